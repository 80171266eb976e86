"""The dashboard's compliance rates, counted once per evaluation run rather than per page view.

Counting a year of periods for every person of a program took seconds per
dashboard view at state scale (bench/EXPLAIN.md). `record_rates` counts them
at the end of `evaluate_compliance`, in one INSERT ... SELECT, per regional
program, case manager, rule and period:

- every calendar month and quarter that ended in the `MONTHS` before the run's
  as-of date: the persons in scope and those who met the rule, by the engine's
  own definition (`ContactRule.outcomes`), so the dashboard and the findings agree;
- each annual rule on the as-of date (period_start = period_end = as-of date):
  the persons whose case is open and those not late by the rule's `late()`.

The run's rates then replace the previous run's: they are a snapshot derived
from the records, recounted by any evaluation as of the same date.
"""

from datetime import date

from django.db import connection
from django.db.models import CharField, Count, DateField, Q, Value

from compliance.models import ComplianceRate, Rule
from compliance.periods import Period, ended_months, ended_quarters
from compliance.rules import RULES, open_on
from people.models import Person

MONTHS = 12  # how far back the dashboard shows calendar periods
PERIODIC_RULES = (Rule.MONTHLY_CONTACT, Rule.QUARTERLY_FACE_TO_FACE)
ANNUAL_RULES = (Rule.ANNUAL_PLAN_REVIEW, Rule.ANNUAL_REASSESSMENT, Rule.INITIAL_PLAN)
COLUMNS = (
    "regional_program_id",
    "case_manager_id",
    "rule",
    "period_start",
    "period_end",
    "persons_in_scope",
    "persons_met",
)


def dashboard_periods(as_of: date) -> dict[Rule, list[Period]]:
    """The calendar periods the dashboard shows for an evaluation as of `as_of`."""
    return {
        Rule.MONTHLY_CONTACT: ended_months(as_of, MONTHS),
        Rule.QUARTERLY_FACE_TO_FACE: ended_quarters(as_of, MONTHS),
    }


def record_rates(*, run) -> None:
    """Store the rates of `run` (as of `run.as_of`) and drop those of earlier runs."""
    sql, params = _counted(run.as_of).query.sql_with_params()
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ComplianceRate._meta.db_table} (run_id, {columns}) "  # noqa: S608  # nosec B608
            f"SELECT %s, {columns} FROM ({sql}) counted",
            [run.pk, *params],
        )
    ComplianceRate.objects.exclude(run=run).delete()


def _counted(as_of: date):
    """One UNION ALL of `COLUMNS` rows: every calendar period, then every annual rule."""
    parts = [
        _grouped(RULES[rule].outcomes(period), rule, met=Q(pk__in=_met(rule, period)))
        for rule, periods in dashboard_periods(as_of).items()
        for period in periods
    ]
    open_today = Person.objects.filter(open_on(as_of)).annotate(
        period_start=Value(as_of, output_field=DateField()),
        period_end=Value(as_of, output_field=DateField()),
    )
    for rule in ANNUAL_RULES:
        late = RULES[rule].late(as_of).values("person_id")
        parts.append(_grouped(open_today, rule, met=~Q(pk__in=late)))
    return parts[0].union(*parts[1:], all=True)


def _met(rule: Rule, period: Period):
    """The persons who met `rule` in `period`, as one set: PostgreSQL reads the period's
    contacts once and hashes them, where an EXISTS per person probed the index 9,000
    times a month at 10,000 persons (bench/EXPLAIN.md)."""
    return RULES[rule].met_between(period.start, period.end).values("person_id")


def _grouped(persons, rule: Rule, *, met: Q):
    """Persons (annotated with their period) counted per program and case manager."""
    return (
        persons.annotate(rule=Value(rule.value, output_field=CharField()))
        .order_by()
        .values("regional_program_id", "case_manager_id", "rule", "period_start", "period_end")
        .annotate(persons_in_scope=Count("pk"), persons_met=Count("pk", filter=met))
        .values_list(*COLUMNS)
    )

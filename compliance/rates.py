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

The persons who did not meet a rule are the ones the sweep has just written to
its table of dues, so the counts read them there rather than judging every
person again from the contacts, plans and assessments: the same answer, since
the dues are the rules' own `unmet()` (half the statement's CPU time,
bench/EXPLAIN.md). A dashboard period older than the sweep's look-back
(`TCM_COMPLIANCE_LOOKBACK_MONTHS` under 12) has no dues and is counted from
the records.

The run's rates then replace the previous run's: they are a snapshot derived
from the records, recounted by any evaluation as of the same date.
"""

from datetime import date

from django.db import connection
from django.db.models import CharField, Count, DateField, Q, Value
from django.db.models.expressions import RawSQL

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


def record_rates(*, run, dues: str) -> None:
    """Store the rates of `run` (as of `run.as_of`) and drop those of earlier runs.

    `dues` names the sweep's table of unmet (rule, person, period) rows for the same date.
    """
    sql, params = _counted(run.as_of, dues).query.sql_with_params()
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {ComplianceRate._meta.db_table} (run_id, {columns}) "  # noqa: S608  # nosec B608
            f"SELECT %s, {columns} FROM ({sql}) counted",
            [run.pk, *params],
        )
    ComplianceRate.objects.exclude(run=run).delete()


def _counted(as_of: date, dues: str):
    """One UNION ALL of `COLUMNS` rows: every calendar period, then every annual rule."""
    parts = [
        _grouped(RULES[rule].outcomes(period), rule, met=_met(rule, period, as_of, dues))
        for rule, periods in dashboard_periods(as_of).items()
        for period in periods
    ]
    open_today = Person.objects.filter(open_on(as_of)).annotate(
        period_start=Value(as_of, output_field=DateField()),
        period_end=Value(as_of, output_field=DateField()),
    )
    for rule in ANNUAL_RULES:
        parts.append(_grouped(open_today, rule, met=~Q(pk__in=_unmet(dues, rule))))
    return parts[0].union(*parts[1:], all=True)


def _met(rule: Rule, period: Period, as_of: date, dues: str) -> Q:
    """Persons in scope of `period` who met `rule`: those without a due, when the sweep
    judged the period; otherwise those with a qualifying record, as one set, which
    PostgreSQL reads once and hashes (bench/EXPLAIN.md)."""
    if period in RULES[rule].periods(as_of):
        return ~Q(pk__in=_unmet(dues, rule, period))
    return Q(pk__in=RULES[rule].met_between(period.start, period.end).values("person_id"))


def _unmet(dues: str, rule: Rule, period: Period | None = None) -> RawSQL:
    """The persons of the sweep's dues of `rule` (in `period`, if given)."""
    sql = f"SELECT person_id FROM {dues} WHERE rule = %s"  # noqa: S608  # nosec B608: a constant table name
    params = [rule.value]
    if period:
        sql += " AND period_start = %s AND period_end = %s"
        params += [period.start, period.end]
    return RawSQL(sql, params)  # noqa: S611  # nosec B611: the values are parameters


def _grouped(persons, rule: Rule, *, met: Q):
    """Persons (annotated with their period) counted per program and case manager."""
    return (
        persons.annotate(rule=Value(rule.value, output_field=CharField()))
        .order_by()
        .values("regional_program_id", "case_manager_id", "rule", "period_start", "period_end")
        .annotate(persons_in_scope=Count("pk"), persons_met=Count("pk", filter=met))
        .values_list(*COLUMNS)
    )

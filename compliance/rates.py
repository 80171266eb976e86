"""The dashboard's compliance rates, counted once per evaluation run rather than per page view.

Counting a year of periods for every person of a program took seconds per
dashboard view at state scale (bench/EXPLAIN.md). `record_rates` counts them
at the end of `evaluate_compliance`, in one INSERT ... SELECT, per regional
program, case manager, rule and period:

- every calendar month and quarter that ended in the `MONTHS` before the run's
  as-of date: the persons in scope and those who met the rule, by the engine's
  own definition, so the dashboard and the findings agree;
- each annual rule on the as-of date (period_start = period_end = as-of date):
  the persons whose case is open and those not late by the rule's `late()`.

The persons who did not meet a rule are the ones the sweep has just written to
its table of dues (the rules' own `unmet()`), so the counts read them there
rather than judging every person again from contacts, plans and assessments.
A dashboard period older than the sweep's look-back
(`TCM_COMPLIANCE_LOOKBACK_MONTHS` under 12) has no dues; its persons who met
the rule are counted from the records.

Who is in scope of which period is read in one pass over the episodes, and
the persons are counted with one sum per period over one join of persons,
episodes and dues, each program and case manager a row, which the statement
then splits into a row per period. Asking per period instead joined every
person with every episode 19 times (bench/EXPLAIN.md).

The run's rates then replace the previous run's: they are a snapshot derived
from the records, recounted by any evaluation as of the same date.
"""

from datetime import date

from django.db import connection

from compliance.models import ComplianceRate, Rule
from compliance.periods import Period, ended_months, ended_quarters
from compliance.rules import RULES
from people.models import CaseEpisode, Person

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
    with connection.cursor() as cursor:
        cursor.execute(*_insert(run, dues))
    ComplianceRate.objects.exclude(run=run).delete()


def _insert(run, dues: str) -> tuple[str, list]:
    """One statement: `covered` (a row per person: which periods an episode of theirs
    covers), `unmet` (a row per person with dues: which periods they did not meet),
    `counted` (a row per program and case manager: n persons in scope and m who met,
    per period), then a rate row per program, case manager and period with anyone in scope.
    """
    as_of, date_param = run.as_of, connection.ops.adapt_datefield_value
    counted = [
        (rule, period) for rule, periods in dashboard_periods(as_of).items() for period in periods
    ]
    counted += [(rule, Period(as_of, as_of)) for rule in ANNUAL_RULES]
    covered, unmet, sums, rows = [], [], [], []
    params = {"covered": [], "unmet": [], "sums": [], "rows": []}
    for i, (rule, period) in enumerate(counted):
        start, end = date_param(period.start), date_param(period.end)
        covered.append(
            f"MAX(CASE WHEN opened_on <= %s AND (closed_on IS NULL OR closed_on >= %s) "
            f"THEN 1 ELSE 0 END) AS c{i}"
        )
        params["covered"] += [start, end]
        if rule in ANNUAL_RULES:
            unmet.append(f"MAX(CASE WHEN rule = %s THEN 1 ELSE 0 END) AS u{i}")
            params["unmet"] += [rule.value]
            met = f"COALESCE(unmet.u{i}, 0) = 0"
        elif period in RULES[rule].periods(as_of):
            unmet.append(
                f"MAX(CASE WHEN rule = %s AND period_start = %s AND period_end = %s "
                f"THEN 1 ELSE 0 END) AS u{i}"
            )
            params["unmet"] += [rule.value, start, end]
            met = f"COALESCE(unmet.u{i}, 0) = 0"
        else:  # older than the look-back: no dues
            met_sql, met_params = (
                RULES[rule]
                .met_between(period.start, period.end)
                .values("person_id")
                .query.sql_with_params()
            )
            met = f"person.id IN ({met_sql})"
            params["sums"] += list(met_params)
        sums.append(
            f"SUM(covered.c{i}) AS n{i}, "
            f"SUM(CASE WHEN covered.c{i} = 1 AND {met} THEN 1 ELSE 0 END) AS m{i}"
        )
        rows.append(
            f"SELECT %s, regional_program_id, case_manager_id, %s, %s, %s, n{i}, m{i} "  # noqa: S608  # nosec B608
            f"FROM counted WHERE n{i} > 0"
        )
        params["rows"] += [run.pk, rule.value, start, end]
    sql = (
        f"WITH covered AS (SELECT person_id, {', '.join(covered)} "  # noqa: S608  # nosec B608
        f"FROM {CaseEpisode._meta.db_table} GROUP BY person_id), "
        f"unmet AS (SELECT person_id, {', '.join(unmet)} FROM {dues} GROUP BY person_id), "
        f"counted AS (SELECT person.regional_program_id, person.case_manager_id, "
        f"{', '.join(sums)} FROM {Person._meta.db_table} person "
        f"JOIN covered ON covered.person_id = person.id "
        f"LEFT JOIN unmet ON unmet.person_id = person.id "
        f"GROUP BY person.regional_program_id, person.case_manager_id) "
        f"INSERT INTO {ComplianceRate._meta.db_table} (run_id, {', '.join(COLUMNS)}) "
        + " UNION ALL ".join(rows)
    )
    return sql, [*params["covered"], *params["unmet"], *params["sums"], *params["rows"]]

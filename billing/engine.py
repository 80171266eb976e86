"""Bill generation as set-based SQL: the same statements for a run of 5 bills or 50,000.

`write_run(run, ...)` rewrites a locked, open run from the database as it is
now, without bringing a single bill, line or entry into Python. Plain SQL
that means the same on SQLite (3.35+) and PostgreSQL, in four temporary
tables and then the writes:

1. staged entries: every time entry of the program and month that no
   finalized run billed, with the billing gate facts, the T1017 rate and the
   private and Medicaid coverage in force on its day, and the minutes of its
   day already billed (billing/staging.py builds these from the querysets
   the pages use, so the gate has one definition);
2. staged days: billable minutes per person and day, the day's payer
   (private insurance, else Medicaid, else the family) and units, counted on
   all the day's minutes so a supplemental run adds only the units its late
   minutes complete (rules 2 to 4);
3. staged persons: the means-test facts of each person with self-pay time;
4. staged bills: one per person and payer, with its charge and the amount due
   under the means-test cap (rule 5), in whole cents so both databases round
   the same way.

Then bills are updated where something changed, withdrawn where nothing is
due any more, inserted where new, and their history rows copied in SQL
(tcm/history.py); the run's lines, their time-entry links and the excluded
entries are replaced.
"""

from django.db import connection
from django.db.models import Exists, OuterRef

from billing import rules, staging
from billing.models import Bill, BillingRun
from tcm.history import record_history

HISTORY_REASON = "Bill run generated"

# An entry passes the gate of TimeEntryQuerySet.billable() and its day has a rate.
BILLABLE = "NOT voided AND author_qualified AND program_certified AND case_open"

STAGE_DAYS = f"""
CREATE TEMP TABLE billing_staged_day AS
WITH days AS (
    SELECT person_id, service_date, MAX(rate) AS rate,
           CASE WHEN MAX(private_coverage_id) IS NOT NULL THEN 'private_insurance'
                WHEN MAX(medicaid_coverage_id) IS NOT NULL THEN 'medicaid'
                ELSE 'self_pay' END AS payer_type,
           COALESCE(MAX(private_coverage_id), MAX(medicaid_coverage_id)) AS coverage_id,
           SUM(minutes) AS minutes,
           MAX(previously_billed_minutes) AS previously_billed_minutes
    FROM billing_staged_entry
    WHERE {BILLABLE} AND rate IS NOT NULL
    GROUP BY person_id, service_date
),
counted AS (
    SELECT days.*,
           (previously_billed_minutes + minutes + %(allowance)s) / %(unit)s
           - (previously_billed_minutes + %(allowance)s) / %(unit)s AS units
    FROM days
)
SELECT counted.*,
       units * CAST(ROUND(rate * 100) AS INTEGER) AS charge_cents,
       FIRST_VALUE(coverage_id) OVER (
           PARTITION BY person_id, payer_type ORDER BY service_date
       ) AS bill_coverage_id
FROM counted
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# The cap is a fourth of the ability to pay, rounded half up to the cent, in
# the natural home; what earlier finalized runs asked for comes off it.
STAGE_BILLS = """
CREATE TEMP TABLE billing_staged_bill AS
WITH planned AS (
    SELECT person_id, payer_type, MIN(bill_coverage_id) AS coverage_id,
           SUM(minutes) AS minutes, SUM(units) AS units, SUM(charge_cents) AS charge_cents
    FROM billing_staged_day
    GROUP BY person_id, payer_type
),
capped AS (
    SELECT planned.*, facts.means_test_id, facts.monthly_ability_to_pay,
           COALESCE(facts.natural_home, FALSE) AS natural_home,
           CASE WHEN facts.natural_home
                THEN (CAST(ROUND(facts.monthly_ability_to_pay * 100) AS INTEGER) + 2) / 4
                ELSE CAST(ROUND(facts.monthly_ability_to_pay * 100) AS INTEGER)
           END AS cap_cents,
           COALESCE(CAST(ROUND(facts.already_due * 100) AS INTEGER), 0) AS already_due_cents
    FROM planned
    LEFT JOIN billing_staged_person facts
      ON facts.person_id = planned.person_id AND planned.payer_type = 'self_pay'
),
due AS (
    SELECT capped.*,
           CASE WHEN payer_type <> 'self_pay' THEN charge_cents
                WHEN cap_cents IS NULL OR cap_cents <= already_due_cents THEN 0
                WHEN charge_cents < cap_cents - already_due_cents THEN charge_cents
                ELSE cap_cents - already_due_cents
           END AS amount_due_cents
    FROM capped
)
SELECT person_id, payer_type, coverage_id, means_test_id, minutes, units,
       charge_cents / 100.0 AS charge, amount_due_cents / 100.0 AS amount_due,
       monthly_ability_to_pay, natural_home, cap_cents / 100.0 AS cap,
       already_due_cents / 100.0 AS already_due
FROM due
"""

DELETE_LINKS = """
DELETE FROM billing_billline_time_entries WHERE billline_id IN (
    SELECT line.id FROM billing_billline line
    JOIN billing_bill bill ON bill.id = line.bill_id
    WHERE bill.run_id = %(run)s)
"""
DELETE_LINES = """
DELETE FROM billing_billline WHERE bill_id IN (SELECT id FROM billing_bill WHERE run_id = %(run)s)
"""
DELETE_EXCLUDED = "DELETE FROM billing_excludedentry WHERE run_id = %(run)s"

FACTS = [
    "coverage_id",
    "means_test_id",
    "minutes",
    "units",
    "charge",
    "amount_due",
    "monthly_ability_to_pay",
    "natural_home",
    "cap",
    "already_due",
]


def columns(table: str = "") -> str:
    return ", ".join(f"{table}.{name}" if table else name for name in FACTS)


# Only bills whose facts differ: unchanged bills keep their history as it is.
# INTERSECT compares NULLs as equal on both databases, where `=` would not.
UPDATE_CHANGED_BILLS = f"""
UPDATE billing_bill SET
    coverage_id = staged.coverage_id, means_test_id = staged.means_test_id,
    minutes = staged.minutes, units = staged.units,
    charge = staged.charge, amount_due = staged.amount_due,
    monthly_ability_to_pay = staged.monthly_ability_to_pay,
    natural_home = staged.natural_home, cap = staged.cap, already_due = staged.already_due,
    withdrawn = FALSE, generated_at = %(stamp)s
FROM billing_staged_bill staged
WHERE billing_bill.run_id = %(run)s
  AND billing_bill.person_id = staged.person_id
  AND billing_bill.payer_type = staged.payer_type
  AND NOT EXISTS (
      SELECT {columns("staged")}, FALSE
      INTERSECT
      SELECT {columns("billing_bill")}, billing_bill.withdrawn)
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

WITHDRAW_BILLS = """
UPDATE billing_bill SET
    coverage_id = NULL, means_test_id = NULL, minutes = 0, units = 0, charge = 0,
    amount_due = 0, monthly_ability_to_pay = NULL, natural_home = FALSE, cap = NULL,
    already_due = 0, withdrawn = TRUE, generated_at = %(stamp)s
WHERE run_id = %(run)s AND NOT withdrawn
  AND NOT EXISTS (
      SELECT 1 FROM billing_staged_bill staged
      WHERE staged.person_id = billing_bill.person_id
        AND staged.payer_type = billing_bill.payer_type)
"""

# ON CONFLICT on billing_bill_one_per_payer, not NOT EXISTS against billing_bill: with
# the table's statistics saying it is empty (a first run), such an anti-join can scan the
# table for every staged bill, rows this statement inserted included (bench/EXPLAIN.md).
INSERT_NEW_BILLS = f"""
INSERT INTO billing_bill
    (run_id, person_id, month, payer_type, {columns()}, withdrawn, generated_at)
SELECT %(run)s, staged.person_id, %(month)s, staged.payer_type, {columns("staged")},
       FALSE, %(stamp)s
FROM billing_staged_bill staged
WHERE true
ON CONFLICT DO NOTHING
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

INSERT_LINES = """
INSERT INTO billing_billline
    (bill_id, service_date, minutes, previously_billed_minutes, units, rule, rate, charge)
SELECT bill.id, day.service_date, day.minutes, day.previously_billed_minutes, day.units,
       %(rule)s, day.rate, day.charge_cents / 100.0
FROM billing_staged_day day
JOIN billing_bill bill
  ON bill.run_id = %(run)s AND bill.person_id = day.person_id
 AND bill.payer_type = day.payer_type
"""

# A person's day is on exactly one line of the run (the day has one payer).
INSERT_LINKS = f"""
INSERT INTO billing_billline_time_entries (billline_id, timeentry_id)
SELECT line.id, entry.time_entry_id
FROM billing_staged_entry entry
JOIN billing_bill bill ON bill.run_id = %(run)s AND bill.person_id = entry.person_id
JOIN billing_billline line
  ON line.bill_id = bill.id AND line.service_date = entry.service_date
WHERE {BILLABLE}
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

INSERT_EXCLUDED = f"""
INSERT INTO billing_excludedentry
    (run_id, time_entry_id, voided, author_qualified, program_certified, case_open,
     rate_in_force)
SELECT %(run)s, time_entry_id, voided, author_qualified, program_certified, case_open,
       rate IS NOT NULL
FROM billing_staged_entry
WHERE NOT ({BILLABLE} AND rate IS NOT NULL)
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

STAGED_TABLES = [
    "billing_staged_entry",
    "billing_staged_day",
    "billing_staged_person",
    "billing_staged_bill",
]


def write_run(run: BillingRun, *, rule: str, stamp, actor=None) -> None:
    """Rewrite the bills, lines and exclusions of `run`; bills changed now get `stamp`."""
    parameters = {
        "run": run.pk,
        "month": connection.ops.adapt_datefield_value(run.month),
        "rule": rule,
        "allowance": rules.ROUNDING_ALLOWANCE[rule],
        "unit": rules.UNIT_MINUTES,
        # As the ORM writes it, so Bill.objects.filter(generated_at=stamp) finds it on SQLite.
        "stamp": connection.ops.adapt_datetimefield_value(stamp),
    }
    with connection.cursor() as cursor:
        _stage(cursor, "billing_staged_entry", staging.entries(run))
        cursor.execute(STAGE_DAYS, parameters)
        _stage(cursor, "billing_staged_person", staging.self_pay_facts(run))
        cursor.execute(STAGE_BILLS)
        for statement in (DELETE_LINKS, DELETE_LINES, DELETE_EXCLUDED):
            cursor.execute(statement, parameters)
        _write_bills(cursor, run, parameters, stamp, actor)
        for statement in (INSERT_LINES, INSERT_LINKS, INSERT_EXCLUDED):
            cursor.execute(statement, parameters)
        for table in STAGED_TABLES:
            cursor.execute(f"DROP TABLE {table}")


def _stage(cursor, table: str, queryset) -> None:
    sql, params = queryset.query.sql_with_params()
    cursor.execute(f"CREATE TEMP TABLE {table} AS {sql}", params)


def _write_bills(cursor, run: BillingRun, parameters: dict, stamp, actor) -> None:
    """Changed and withdrawn bills first, then new ones, each with its kind of history row."""
    cursor.execute(UPDATE_CHANGED_BILLS, parameters)
    cursor.execute(WITHDRAW_BILLS, parameters)
    changed = Bill.objects.filter(run=run, generated_at=stamp)
    record_history(changed, history_type="~", when=stamp, reason=HISTORY_REASON, user=actor)
    cursor.execute(INSERT_NEW_BILLS, parameters)
    new = Bill.objects.filter(run=run).exclude(Exists(Bill.history.filter(id=OuterRef("pk"))))
    record_history(new, history_type="+", when=stamp, reason=HISTORY_REASON, user=actor)

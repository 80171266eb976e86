"""Bill generation as set-based SQL: the same statements for a run of 5 bills or 50,000.

`write_run(run, ...)` rewrites a locked, open run from the database as it is
now, without bringing a single bill, line or entry into Python. Plain SQL
that means the same on SQLite (3.39+, for FULL JOIN) and PostgreSQL, in
temporary tables and then the writes:

1. staged entries: every time entry of the program and month that no
   finalized run billed, with the billing gate facts, the T1017 rate and the
   private and Medicaid coverage in force on its day, and the minutes of its
   day already billed. billing/staging.py builds these from the querysets the
   pages use, so the gate has one definition, asked of the staged month
   (`billing_month_entry`) and its person-days (`billing_person_day`): a day's
   facts once per day, not once per entry, then joined back to its entries;
2. staged days: billable minutes per person and day, the day's payer
   (private insurance, else Medicaid, else the family) and units, counted on
   all the day's minutes so a supplemental run adds only the units its late
   minutes complete (rules 2 to 4);
3. staged persons: the means-test facts of each person with self-pay time;
4. staged bills: one per person and payer, with its charge and the amount due
   under the means-test cap (rule 5), in whole cents so both databases round
   the same way;
5. staged lines: one per staged day on its payer's bill, next to the run's
   line of that bill and day if there is one, and the run's lines no staged
   day has (stale);
6. staged links: each billable entry on the line of its day, next to the
   link if it exists, and the links of the run's lines no staged entry has
   (stale).

Then bills are updated where something changed, withdrawn where nothing is
due any more, inserted where new, and their history rows copied in SQL
(tcm/history.py). The run's lines, their time-entry links and the excluded
entries are brought to what the month says the same way: staged next to what
the run has (5. and 6., two more temporary tables), then only the rows that
differ are updated, deleted or inserted. Regenerating an unchanged draft
writes nothing; rewriting every row cost its index entries and, for lines and
links, a deferred foreign-key check each at COMMIT (bench/EXPLAIN.md).
"""

from django.db import connection

from billing import rules, staging
from billing.models import Bill, BillingRun
from tcm.history import record_history

HISTORY_REASON = "Bill run generated"

# An entry passes the gate of TimeEntryQuerySet.billable() and its day has a rate.
BILLABLE = "NOT voided AND author_qualified AND program_certified AND case_open"

# The month's entries (staging.month_entries) are staged first, then their person-days,
# whose facts staging.person_day_facts asks once each, and those of their dates alone
# (staging.date_facts) once a date; an entry takes its day's and date's facts and
# whether its author is qualified (staging.qualified_entries, `{qualified}` here).
# In person order, so the facts' index probes of one person's episodes and coverages
# follow each other (at 100,000 persons, a fifth of their time: bench/EXPLAIN.md).
STAGE_PERSON_DAYS = """
CREATE TEMP TABLE billing_person_day AS
SELECT MIN(id) AS id, person_id, service_date
FROM billing_month_entry
GROUP BY person_id, service_date
ORDER BY person_id, service_date
"""

# Told nothing, PostgreSQL takes a temporary table of one page for 1,700 rows and joins
# the month's 30 dates by sorting the entries on date to merge them, then sorting them
# again for the day facts; counted, it hashes them (bench/EXPLAIN.md). SQLite's ANALYZE
# takes a table name too.
ANALYZE_DATE_FACTS = "ANALYZE billing_date_fact"

STAGE_ENTRIES = """
CREATE TEMP TABLE billing_staged_entry AS
SELECT entry.id AS time_entry_id, entry.person_id, entry.service_date, entry.minutes,
       entry.voided, entry.id IN ({qualified}) AS author_qualified,
       calendar.program_certified, day.case_open, calendar.rate, day.private_coverage_id,
       day.medicaid_coverage_id, day.previously_billed_minutes
FROM billing_month_entry entry
JOIN billing_person_day_fact day
  ON day.person_id = entry.person_id AND day.service_date = entry.service_date
JOIN billing_date_fact calendar ON calendar.service_date = entry.service_date
"""

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


def columns(table: str = "", names: list[str] = FACTS) -> str:
    """`names` as a column list, qualified with `table` when given."""
    return ", ".join(f"{table}.{name}" if table else name for name in names)


# The facts a bill may leave empty; every fact of a line is required.
NULLABLE_FACTS = {"coverage_id", "means_test_id", "monthly_ability_to_pay", "cap"}


def same(left: str, right: str, names: list[str] = FACTS) -> str:
    """SQL: each of `names` is equal in tables `left` and `right`, two NULLs being equal
    (never unknown: a NULL next to a value is a difference, and NOT of it is true).

    Plain comparisons, not `NOT EXISTS (SELECT ... INTERSECT SELECT ...)`: that set
    operation, run once per row, cost more than the rest of the comparison (at 100,000
    persons, 0.7 s against 0.1 s for the month's lines: bench/EXPLAIN.md).
    """
    return " AND ".join(_same_column(f"{left}.{name}", f"{right}.{name}", name) for name in names)


def _same_column(left: str, right: str, name: str) -> str:
    if name in NULLABLE_FACTS:
        return f"COALESCE({left} = {right}, {left} IS NULL AND {right} IS NULL)"
    return f"{left} = {right}"


# Only bills whose facts differ: unchanged bills keep their history as it is.
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
  AND NOT ({same("staged", "billing_bill")} AND NOT billing_bill.withdrawn)
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

# Every staged bill, for a run that has none yet: one per person and payer, so none can
# conflict, and a plain INSERT writes each row once where ON CONFLICT inserts it
# speculatively (a probe, a token, a confirmation: 0.2 s of a first run's 83,843 bills).
INSERT_BILLS = f"""
INSERT INTO billing_bill
    (run_id, person_id, month, payer_type, {columns()}, withdrawn, generated_at)
SELECT %(run)s, staged.person_id, %(month)s, staged.payer_type, {columns("staged")},
       FALSE, %(stamp)s
FROM billing_staged_bill staged
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# The staged bills a regenerated run lacks. ON CONFLICT on billing_bill_one_per_payer, not
# NOT EXISTS against billing_bill: with the table's statistics saying it is empty, such an
# anti-join can scan the table for every staged bill, rows this statement inserted
# included (bench/EXPLAIN.md).
INSERT_NEW_BILLS = f"""
{INSERT_BILLS}
WHERE %(new_bills)s
ON CONFLICT DO NOTHING
"""

# The run's highest bill id before new bills are inserted (0 for a new run). A run's bills
# are inserted only by its generation, which holds the run locked, and ids only grow, so
# the run's bills above it are the ones just inserted: their "+" history is copied without
# an anti-join against the history table, which the planner, told by the statistics that
# the table was empty, ran as a scan of it per new bill (5 s a program at 100,000 persons).
#
# And whether any staged bill is new. After the updates above, the run's bills not
# withdrawn are exactly its staged bills that it already had (a staged one is updated back
# from withdrawn, the others withdrawn), so fewer of them than staged bills means some are
# new. When none is, INSERT_NEW_BILLS gets a literal FALSE and inserts nothing without
# trying each staged bill against the unique key (0.5 s of an unchanged rerun).
LAST_BILL = """
SELECT COALESCE(MAX(id), 0),
       COUNT(CASE WHEN NOT withdrawn THEN 1 END) < (SELECT COUNT(*) FROM billing_staged_bill)
FROM billing_bill WHERE run_id = %(run)s
"""

LINE_FACTS = ["minutes", "previously_billed_minutes", "units", "rule", "rate", "charge"]


# The lines the run must have: one per staged day, on the bill of the day's payer, each
# with the run's line of that bill and day if it has one, and whether that line's facts
# differ; and, with no staged day (`stale`, `changed` unknown), the run's lines no longer
# due. Reading the existing lines here, into a table of our own, is what lets the writes
# below skip what is already right without an anti-join against the table being written
# (the quadratic plan at INSERT_NEW_BILLS); the FULL JOIN reads the run's lines once for
# both, where finding the stale ones was a second anti-join of every line of the run
# (bench/EXPLAIN.md).
#
# `had_bills` (the run had bills before this generation) is bound as a literal: a new run
# has no lines or links yet, and PostgreSQL answers `WHERE FALSE AND ...` without
# reading the table, where it would otherwise look up every staged line and link of a
# first run in vain (bench/EXPLAIN.md).
STAGE_LINES = f"""
CREATE TEMP TABLE billing_staged_line AS
SELECT staged.*, line.id AS line_id, staged.bill_id IS NULL AS stale,
       line.id IS NOT NULL AND NOT ({same("staged", "line", LINE_FACTS)}) AS changed
FROM (
    SELECT bill.id AS bill_id, day.person_id, day.service_date, day.minutes,
           day.previously_billed_minutes, day.units, %(rule)s AS rule, day.rate,
           day.charge_cents / 100.0 AS charge
    FROM billing_staged_day day
    JOIN billing_bill bill
      ON bill.run_id = %(run)s AND bill.person_id = day.person_id
     AND bill.payer_type = day.payer_type
) staged
FULL JOIN (
    SELECT line.* FROM billing_billline line
    JOIN billing_bill bill ON bill.id = line.bill_id
    WHERE %(had_bills)s AND bill.run_id = %(run)s
) line
  ON line.bill_id = staged.bill_id AND line.service_date = staged.service_date
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# A regenerated draft keeps the lines, links and exclusions that are still right, so an
# unchanged month writes nothing: each row written costs its index entries, and each
# line or link a deferred foreign-key check at COMMIT (bench/EXPLAIN.md).
UPDATE_CHANGED_LINES = """
UPDATE billing_billline SET
    minutes = staged.minutes, previously_billed_minutes = staged.previously_billed_minutes,
    units = staged.units, rule = staged.rule, rate = staged.rate, charge = staged.charge
FROM billing_staged_line staged
WHERE billing_billline.id = staged.line_id AND staged.changed
"""

INSERT_NEW_LINES = f"""
INSERT INTO billing_billline (bill_id, service_date, {columns(names=LINE_FACTS)})
SELECT bill_id, service_date, {columns(names=LINE_FACTS)}
FROM billing_staged_line
WHERE line_id IS NULL
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# The ids of the lines just inserted, so the staged lines name every line of the run and
# the links below need not look each line up again (one index probe per link, 68,000 a
# program at 100,000 persons: bench/EXPLAIN.md). An unchanged rerun has none to number.
NUMBER_NEW_LINES = """
UPDATE billing_staged_line SET line_id = (
    SELECT line.id FROM billing_billline line
    WHERE line.bill_id = billing_staged_line.bill_id
      AND line.service_date = billing_staged_line.service_date)
WHERE line_id IS NULL
"""

# Each billable entry on the line of its day (a person's day has one payer, so one line),
# next to its link if that is already there; and, with no staged entry (`timeentry_id`
# NULL), the links of the run's lines that are no longer due, stale lines' included.
# Every line of the run is in billing_staged_line (the stale ones as `stale`), so the
# run's links are read here once, not again by an anti-join to delete the stale ones.
STAGE_LINKS = f"""
CREATE TEMP TABLE billing_staged_link AS
SELECT staged.billline_id, staged.timeentry_id, link.id AS link_id
FROM (
    SELECT line.line_id AS billline_id, entry.time_entry_id AS timeentry_id
    FROM billing_staged_entry entry
    JOIN billing_staged_line line
      ON line.person_id = entry.person_id AND line.service_date = entry.service_date
    WHERE {BILLABLE}
) staged
FULL JOIN (
    SELECT link.id, link.billline_id, link.timeentry_id
    FROM billing_billline_time_entries link
    JOIN billing_staged_line line ON line.line_id = link.billline_id
    WHERE %(had_bills)s
) link
  ON link.billline_id = staged.billline_id AND link.timeentry_id = staged.timeentry_id
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

DELETE_STALE_LINKS = """
DELETE FROM billing_billline_time_entries
WHERE id IN (SELECT link_id FROM billing_staged_link WHERE timeentry_id IS NULL)
"""

# Their links went with DELETE_STALE_LINKS: a stale line has no staged entry.
DELETE_STALE_LINES = """
DELETE FROM billing_billline
WHERE id IN (SELECT line_id FROM billing_staged_line WHERE stale)
"""

INSERT_NEW_LINKS = """
INSERT INTO billing_billline_time_entries (billline_id, timeentry_id)
SELECT billline_id, timeentry_id FROM billing_staged_link
WHERE link_id IS NULL
"""

# Qualified: inside DELETE_STALE_EXCLUDED the unqualified names would be ambiguous to a reader.
EXCLUDED = (
    "NOT (NOT entry.voided AND entry.author_qualified AND entry.program_certified"
    " AND entry.case_open AND entry.rate IS NOT NULL)"
)

# The facts of an exclusion are its reasons: one whose reasons changed is replaced.
DELETE_STALE_EXCLUDED = f"""
DELETE FROM billing_excludedentry
WHERE run_id = %(run)s
  AND NOT EXISTS (
      SELECT 1 FROM billing_staged_entry entry
      WHERE entry.time_entry_id = billing_excludedentry.time_entry_id AND {EXCLUDED}
        AND entry.voided = billing_excludedentry.voided
        AND entry.author_qualified = billing_excludedentry.author_qualified
        AND entry.program_certified = billing_excludedentry.program_certified
        AND entry.case_open = billing_excludedentry.case_open
        AND (entry.rate IS NOT NULL) = billing_excludedentry.rate_in_force)
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# ON CONFLICT on billing_excludedentry_once_per_run: the ones kept above are there already.
INSERT_NEW_EXCLUDED = f"""
INSERT INTO billing_excludedentry
    (run_id, time_entry_id, voided, author_qualified, program_certified, case_open,
     rate_in_force)
SELECT %(run)s, entry.time_entry_id, entry.voided, entry.author_qualified,
       entry.program_certified, entry.case_open, entry.rate IS NOT NULL
FROM billing_staged_entry entry
WHERE {EXCLUDED}
ON CONFLICT DO NOTHING
"""  # noqa: S608  # nosec B608 - constants of this module only; values are bound parameters

# In this order: lines before the links that point to them, stale links before the lines
# they pointed to.
WRITE_LINES_AND_EXCLUSIONS = [
    STAGE_LINES,
    UPDATE_CHANGED_LINES,
    INSERT_NEW_LINES,
    NUMBER_NEW_LINES,
    STAGE_LINKS,
    DELETE_STALE_LINKS,
    DELETE_STALE_LINES,
    INSERT_NEW_LINKS,
    DELETE_STALE_EXCLUDED,
    INSERT_NEW_EXCLUDED,
]

STAGED_TABLES = [
    "billing_month_entry",
    "billing_person_day",
    "billing_person_day_fact",
    "billing_date_fact",
    "billing_staged_entry",
    "billing_staged_day",
    "billing_staged_person",
    "billing_staged_bill",
    "billing_staged_line",
    "billing_staged_link",
]


def write_run(run: BillingRun, *, rule: str, stamp, actor=None) -> None:
    """Bring the bills, lines and exclusions of `run` up to date; bills changed now get `stamp`."""
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
        _stage(cursor, "billing_month_entry", staging.month_entries(run))
        cursor.execute(STAGE_PERSON_DAYS)
        after_finalized = staging.builds_on_finalized(run)
        facts = staging.person_day_facts(run, after_finalized=after_finalized)
        _stage(cursor, "billing_person_day_fact", facts)
        _stage(cursor, "billing_date_fact", staging.date_facts(run))
        cursor.execute(ANALYZE_DATE_FACTS)
        qualified, params = staging.qualified_entries().query.sql_with_params()
        cursor.execute(STAGE_ENTRIES.format(qualified=qualified), params)
        cursor.execute(STAGE_DAYS, parameters)
        _stage(cursor, "billing_staged_person", staging.self_pay_facts(run))
        cursor.execute(STAGE_BILLS)
        parameters["had_bills"] = _write_bills(cursor, run, parameters, stamp, actor) > 0
        for statement in WRITE_LINES_AND_EXCLUSIONS:
            cursor.execute(statement, parameters)
        for table in STAGED_TABLES:
            cursor.execute(f"DROP TABLE {table}")


def _stage(cursor, table: str, queryset) -> None:
    sql, params = queryset.query.sql_with_params()
    cursor.execute(f"CREATE TEMP TABLE {table} AS {sql}", params)


def _write_bills(cursor, run: BillingRun, parameters: dict, stamp, actor) -> int:
    """Changed and withdrawn bills first, then new ones, each with its kind of history row.

    Returns the run's highest bill id before the new ones (0: the run had no bills).
    """
    cursor.execute(UPDATE_CHANGED_BILLS, parameters)
    cursor.execute(WITHDRAW_BILLS, parameters)
    changed = Bill.objects.filter(run=run, generated_at=stamp)
    record_history(changed, history_type="~", when=stamp, reason=HISTORY_REASON, user=actor)
    cursor.execute(LAST_BILL, parameters)
    last_bill, parameters["new_bills"] = cursor.fetchone()
    cursor.execute(INSERT_NEW_BILLS if last_bill else INSERT_BILLS, parameters)
    new = Bill.objects.filter(run=run, pk__gt=last_bill)
    record_history(new, history_type="+", when=stamp, reason=HISTORY_REASON, user=actor)
    return last_bill

"""No author may have more than 24 hours of time on one day: enforced by the database.

The services checked it themselves, under an advisory lock on the author's day taken
in their own transaction: BEGIN, the lock, the day's total and COMMIT were four
round trips of every contact logged, around its one INSERT (bench/EXPLAIN.md,
"Contact POST: its write alone, and the 24-hour rule in the database"). A trigger checks it inside that INSERT, whoever writes
(a page, the API, the admin, a shell), so a write of time can be one statement in
autocommit.

PostgreSQL: after each statement that inserts time, lock each author it wrote for
(in author order: two such statements cannot deadlock), then sum their days. The sum
is a statement of its own in a PL/pgSQL function, so it reads a snapshot taken after
the lock was granted: a writer that waited sees the minutes of the one it waited
for. Locked by author, not by author and day: a bulk insert (the demo data) would
need a lock per day and could fill the lock table, and a contact's writes queue on
its person's and caseload's page versions anyway (tcm.versions). SQLite: after each
row, whose writers are serialized already (IMMEDIATE transactions, tcm/settings.py).
"""

from django.db import migrations

RULE = "contacts_timeentry_day_total"
MESSAGE = f"{RULE}: more than 24 hours of time on one day"

CREATE = {
    "postgresql": [
        f"""
        CREATE FUNCTION {RULE}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            full_day record;
        BEGIN
            PERFORM pg_advisory_xact_lock('contacts_timeentry'::regclass::oid::int, author_id::int)
            FROM (SELECT DISTINCT author_id FROM new_entries ORDER BY author_id) AS authors;
            SELECT days.author_id, days.service_date INTO full_day
            FROM (SELECT DISTINCT author_id, service_date FROM new_entries) AS days
            JOIN contacts_timeentry AS entry USING (author_id, service_date)
            WHERE entry.voided_at IS NULL
            GROUP BY days.author_id, days.service_date
            HAVING SUM(entry.minutes) > 24 * 60
            LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION '{MESSAGE} (author %, %)', full_day.author_id, full_day.service_date
                    USING ERRCODE = 'check_violation', CONSTRAINT = '{RULE}';
            END IF;
            RETURN NULL;
        END
        $$
        """,
        f"""
        CREATE TRIGGER {RULE} AFTER INSERT ON contacts_timeentry
        REFERENCING NEW TABLE AS new_entries
        FOR EACH STATEMENT EXECUTE FUNCTION {RULE}()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER {RULE} AFTER INSERT ON contacts_timeentry
        WHEN (
            SELECT SUM(minutes) FROM contacts_timeentry
            WHERE author_id = NEW.author_id AND service_date = NEW.service_date
              AND voided_at IS NULL
        ) > 24 * 60
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
    ],
}
DROP = {
    "postgresql": [f"DROP TRIGGER {RULE} ON contacts_timeentry", f"DROP FUNCTION {RULE}()"],
    "sqlite": [f"DROP TRIGGER {RULE}"],
}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)  # no parameters: RAISE has its own %

    return run


class Migration(migrations.Migration):
    dependencies = [("contacts", "0006_fewer_indexes_per_write")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

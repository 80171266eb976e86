"""The business actions of compliance: evaluate the rules, acknowledge a finding.

`evaluate_compliance` is the engine's one entry point (nightly task, the
supervisor's "evaluate now", `manage.py evaluate_compliance`). It is set-based
from end to end, so its time follows the SQL and its memory stays flat
whatever the number of persons: the unmet requirements of every rule are
copied into a temporary table of dues, findings are reopened and refreshed from
it, the dashboard's rates are counted with the dues as the persons who did not
meet each rule (compliance.rates), open findings with no due are resolved where a
record meets them now, in one statement, the dues already on file are dropped
and the rest opened as new findings, and the history of every
finding the run touched is copied in SQL (tcm.history). No finding is read
into Python.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import BigIntegerField, BooleanField, Case, OuterRef, Q, Subquery, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from compliance.models import EvaluationRun, Finding
from compliance.rates import record_rates
from compliance.rules import DUE_FIELDS, RULES
from tcm.history import record_opened_or_changed
from tcm.locks import lock_until_commit

# Any constant: two evaluations at once queue on this PostgreSQL advisory lock.
EVALUATION_LOCK = 6_104_2026
CHANGE_REASON = "compliance evaluation"
DUES = "compliance_evaluation_due"  # temporary table, one per connection
KEY = ("rule", "person_id", "period_start", "period_end")
UNIQUE_KEY = ("person_id", "rule", "period_start", "period_end")  # the unique index's order
# PostgreSQL's memory for each sort and hash of the run. Under the default 4MB, sorting
# the new findings (47 MB at 100,000 persons) and counting the rates from the dues
# (48 MB) spill to temporary files.
WORK_MEM = "64MB"


def evaluate_compliance(*, as_of: date | None = None, actor=None) -> EvaluationRun:
    """Open, refresh, reopen and resolve findings for `as_of` (default today); idempotent.

    Safe to run twice at once: the second waits for the first's lock and then
    finds nothing to change. On SQLite the write transaction itself serializes.
    """
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        lock_until_commit(EVALUATION_LOCK)
        _sort_in_memory()
        now = timezone.now()
        run = EvaluationRun.objects.create(as_of=as_of, started_at=now, requested_by=actor)
        with connection.cursor() as cursor:
            _collect_dues(cursor, as_of)
            run.reopened_count = _reopen(cursor, run)
            _refresh(cursor, run)
            run.resolved_count = _resolve_met(run, now)
            record_rates(run=run, dues=DUES)  # from every due, before those on file go
            _drop_dues_on_file(cursor)
            run.opened_count = _open_new(cursor, run, now)
            cursor.execute(f"DROP TABLE {DUES}")
        record_opened_or_changed(
            Finding.objects.filter(evaluation=run),
            created=Q(detected_at=now),
            when=now,
            reason=CHANGE_REASON,
        )
        run.open_total = Finding.objects.open().count()
        run.finished_at = timezone.now()
        run.status = EvaluationRun.Status.FINISHED
        run.save()
    return run


def _sort_in_memory() -> None:
    """`WORK_MEM` until the run's transaction ends (SET LOCAL), on PostgreSQL."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")


def _collect_dues(cursor, as_of: date) -> None:
    """Fill the temporary table of dues: one row per unmet (rule, person, period)."""
    types = {
        "rule": Finding._meta.get_field("rule"),
        "citation": Finding._meta.get_field("citation"),
        "person_id": models.BigIntegerField(),
        "period_start": models.DateField(),
        "period_end": models.DateField(),
        "due_date": models.DateField(),
        "evidence": Finding._meta.get_field("evidence"),
    }
    columns = ", ".join(f"{name} {field.db_type(connection)}" for name, field in types.items())
    cursor.execute(f"CREATE TEMPORARY TABLE {DUES} ({columns})")
    for rule in RULES.values():
        unmet = rule.unmet(as_of)
        if unmet.query.is_empty():
            continue
        sql, params = unmet.query.sql_with_params()
        cursor.execute(
            f"INSERT INTO {DUES} ({', '.join(DUE_FIELDS)}, rule, citation) "  # noqa: S608  # nosec B608
            f"SELECT due.*, %s, %s FROM ({sql}) due",
            [rule.rule.value, rule.citation, *params],
        )
    if connection.vendor == "postgresql":
        # Autovacuum never analyzes temporary tables. The statements after this one join
        # and filter on the key only; the evidence and citation are wide and never tested.
        cursor.execute(f"ANALYZE {DUES} ({', '.join(KEY)})")


def _matching(finding="compliance_finding"):
    return " AND ".join(f"{finding}.{column} = due.{column}" for column in KEY)


def _reopen(cursor, run) -> int:
    """Resolved findings unmet again (say, the contact that met it was voided)."""
    cursor.execute(
        f"UPDATE compliance_finding SET status = %s, resolved_at = NULL, "  # noqa: S608  # nosec B608
        f"met_by_record_id = NULL, evidence = due.evidence, evaluation_id = %s "
        f"FROM {DUES} due WHERE {_matching()} AND compliance_finding.status = %s",
        [Finding.Status.OPEN, run.pk, Finding.Status.RESOLVED],
    )
    return cursor.rowcount


def _refresh(cursor, run) -> None:
    """Open findings whose evidence changed (another contact recorded, none qualifying)."""
    cursor.execute(
        f"UPDATE compliance_finding SET evidence = due.evidence, "  # noqa: S608  # nosec B608
        f"citation = due.citation, evaluation_id = %s FROM {DUES} due WHERE {_matching()} "
        f"AND compliance_finding.status = %s AND (compliance_finding.evidence <> due.evidence "
        f"OR compliance_finding.citation <> due.citation)",
        [run.pk, Finding.Status.OPEN],
    )


def _drop_dues_on_file(cursor) -> None:
    """Dues that already have a finding (reopened, refreshed or unchanged), so that
    `_open_new` inserts the rest as they are. Its own statement: asked inside the INSERT,
    "no finding yet" is an anti-join against the table being filled, which rescans the
    rows the statement itself inserts (quadratic; 13 minutes at 100,000 persons)."""
    cursor.execute(
        f"DELETE FROM {DUES} AS due WHERE EXISTS (SELECT 1 FROM compliance_finding "  # noqa: S608  # nosec B608
        f"WHERE {_matching()})"
    )


def _open_new(cursor, run, now) -> int:
    """The dues left by `_drop_dues_on_file`, each a new finding. A plain INSERT: ON
    CONFLICT DO NOTHING cost a first run at 100,000 persons 0.6 s of CPU more (each row
    inserted speculatively, then confirmed), and no other writer opens findings while
    the run holds `EVALUATION_LOCK`; the unique key still refuses a second one.

    In the order of the unique key (person first): each new entry of the key and of
    `compliance_finding_person` then goes to the end of the index, and the deferred
    foreign-key checks at COMMIT probe one person after another instead of at random."""
    columns = (*DUE_FIELDS, "rule", "citation")
    cursor.execute(
        f"INSERT INTO compliance_finding ({', '.join(columns)}, status, detected_at, "  # noqa: S608  # nosec B608
        f"evaluation_id, acknowledgement_note) "
        f"SELECT {', '.join(f'due.{column}' for column in columns)}, %s, %s, %s, '' "
        f"FROM {DUES} due ORDER BY {', '.join(f'due.{c}' for c in UNIQUE_KEY)}",
        [Finding.Status.OPEN, connection.ops.adapt_datetimefield_value(now), run.pk],
    )
    return cursor.rowcount


def _resolve_met(run, now) -> int:
    """Open findings whose requirement is met now (a late entry), in one statement.

    Only those with no due are asked for the record that met them: a due is the rule
    saying the requirement is unmet, so a finding with one stays open, and the probe
    for a meeting record was 155,805 index look-ups in vain on every run at 100,000
    persons (bench/EXPLAIN.md). Before `_open_new`, so the findings it opens are not
    asked either. What a record logged while the run is under way meets, the next run
    resolves.
    """
    finding_key = ", ".join(f"compliance_finding.{column}" for column in KEY)
    no_due = RawSQL(  # noqa: S611  # nosec B611 - this module's constants only
        f"({finding_key}) NOT IN (SELECT {', '.join(KEY)} FROM {DUES})",  # noqa: S608  # nosec B608
        [],
        output_field=BooleanField(),
    )
    met_by = Case(
        *(
            When(
                rule=rule.rule,
                then=Subquery(
                    rule.satisfying(
                        person=OuterRef("person_id"),
                        start=OuterRef("period_start"),
                        end=OuterRef("period_end"),
                    )
                    .order_by("pk")
                    .values("pk")[:1]
                ),
            )
            for rule in RULES.values()
        ),
        output_field=BigIntegerField(),
    )
    return (
        Finding.objects.open()
        .filter(no_due)
        .alias(met_by=met_by)
        .filter(met_by__isnull=False)
        .update(
            status=Finding.Status.RESOLVED, resolved_at=now, met_by_record_id=met_by, evaluation=run
        )
    )


def acknowledge_finding(*, finding: Finding, actor, note: str) -> Finding:
    """A supervisor's acknowledgement of a finding, with a note saying what was done."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what was done about this finding."})
    if finding.is_acknowledged:
        when = f"{finding.acknowledged_at:%Y-%m-%d}"
        raise ValidationError(
            {"note": f"Already acknowledged by {finding.acknowledged_by} on {when}."}
        )
    with transaction.atomic():
        finding.acknowledged_by = actor
        finding.acknowledged_at = timezone.now()
        finding.acknowledgement_note = note
        finding.full_clean()
        finding.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note"])
    return finding


def request_evaluation(*, actor) -> None:
    """Queue an evaluation for today once the surrounding transaction commits."""
    from compliance.tasks import evaluate_compliance_task  # tasks import this module

    transaction.on_commit(lambda: evaluate_compliance_task.delay(requested_by_id=actor.pk))

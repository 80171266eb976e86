"""The business actions of compliance: evaluate the rules, acknowledge a finding.

`evaluate_compliance` is the engine's one entry point (nightly task, the
supervisor's "evaluate now", `manage.py evaluate_compliance`). It runs a fixed
number of queries whatever the number of persons: one per rule for what is
unmet, one for the findings already on file, one that asks every open finding
whether its requirement is met now, then bulk writes with history.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, OuterRef, Q, Subquery, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from compliance.models import EvaluationRun, Finding
from compliance.rules import RULES, Due

# Any constant: two evaluations at once queue on this PostgreSQL advisory lock.
EVALUATION_LOCK = 6_104_2026
REFRESHED_FIELDS = ["status", "resolved_at", "due_date", "explanation", "evidence", "citation"]
CHANGE_REASON = "compliance evaluation"


def evaluate_compliance(*, as_of: date | None = None, actor=None) -> EvaluationRun:
    """Open, refresh, reopen and resolve findings for `as_of` (default today); idempotent.

    Safe to run twice at once: the second waits for the first's lock and then
    finds nothing to change. On SQLite the write transaction itself serializes.
    """
    as_of = as_of or timezone.localdate()
    with transaction.atomic():
        _take_lock()
        now = timezone.now()
        run = EvaluationRun.objects.create(as_of=as_of, started_at=now, requested_by=actor)
        dues = {
            (rule.rule.value, due.person_id, due.period_start, due.period_end): due
            for rule in RULES.values()
            for due in rule.unmet(as_of)
        }
        known = _findings_on_file(dues)
        created = _open_new(dues, known, now)
        reopened, refreshed = _refresh_known(dues, known)
        resolved = _resolve_met(now)
        bulk_update_with_history(
            reopened + refreshed + resolved,
            Finding,
            REFRESHED_FIELDS,
            default_change_reason=CHANGE_REASON,
        )
        run.opened_count = len(created)
        run.reopened_count = len(reopened)
        run.resolved_count = len(resolved)
        run.open_total = Finding.objects.open().count()
        run.finished_at = timezone.now()
        run.status = EvaluationRun.Status.FINISHED
        run.save()
    return run


def _take_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [EVALUATION_LOCK])


def _findings_on_file(dues: dict) -> dict:
    """Findings that may share a key with `dues`, plus every open one, in one query."""
    if not dues:
        return {}
    earliest = min(key[2] for key in dues)
    rows = Finding.objects.filter(Q(status=Finding.Status.OPEN) | Q(period_start__gte=earliest))
    return {(f.rule, f.person_id, f.period_start, f.period_end): f for f in rows}


def _open_new(dues: dict, known: dict, now) -> list[Finding]:
    new = [_finding(key, due, now) for key, due in dues.items() if key not in known]
    return bulk_create_with_history(new, Finding, default_change_reason=CHANGE_REASON)


def _finding(key, due: Due, now) -> Finding:
    rule = RULES[key[0]]
    return Finding(
        person_id=due.person_id,
        rule=rule.rule,
        period_start=due.period_start,
        period_end=due.period_end,
        due_date=due.due_date,
        explanation=rule.explain(due),
        evidence=due.evidence,
        citation=rule.citation,
        detected_at=now,
    )


def _refresh_known(dues: dict, known: dict) -> tuple[list[Finding], list[Finding]]:
    """Reopen resolved findings that are unmet again (say, the contact was voided)
    and refresh the evidence of open ones when it changed."""
    reopened, refreshed = [], []
    for key, due in dues.items():
        finding = known.get(key)
        if finding is None:
            continue
        if finding.status == Finding.Status.RESOLVED:
            finding.status, finding.resolved_at = Finding.Status.OPEN, None
            finding.evidence = due.evidence
            finding.explanation = RULES[finding.rule].explain(due)
            reopened.append(finding)
        elif finding.evidence != due.evidence:
            finding.evidence = due.evidence
            finding.explanation = RULES[finding.rule].explain(due)
            refreshed.append(finding)
    return reopened, refreshed


def _resolve_met(now) -> list[Finding]:
    """Open findings whose requirement is met now (a late entry), in one query."""
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
    findings = list(Finding.objects.open().annotate(met_by=met_by).filter(met_by__isnull=False))
    for finding in findings:
        finding.status, finding.resolved_at = Finding.Status.RESOLVED, now
        record = RULES[finding.rule].record
        finding.evidence = {**finding.evidence, "met_by": {"record": record, "id": finding.met_by}}
    return findings


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

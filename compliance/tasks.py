"""Celery tasks of compliance: thin wrappers over the engine, safe to repeat."""

from celery import shared_task
from django.utils.dateparse import parse_date

from compliance.services import evaluate_compliance
from tcm.models import User


@shared_task
def evaluate_compliance_task(as_of: str | None = None, requested_by_id: int | None = None) -> dict:
    """Evaluate every rule for `as_of` (ISO date, default today); beat runs it nightly.

    Idempotent, so a redelivered task (acks_late) changes nothing the second time.
    """
    actor = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    run = evaluate_compliance(as_of=parse_date(as_of) if as_of else None, actor=actor)
    return {
        "run": run.pk,
        "as_of": run.as_of.isoformat(),
        "opened": run.opened_count,
        "reopened": run.reopened_count,
        "resolved": run.resolved_count,
        "open_total": run.open_total,
    }

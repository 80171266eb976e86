"""Celery tasks of billing: thin, idempotent, one service call each."""

from celery import shared_task
from django.utils import timezone

from billing import services
from tcm.dates import previous_month
from tcm.models import RegionalProgram, User


@shared_task
def generate_run(run_id: int, actor_id: int | None = None) -> int:
    """Generate an open run; running it again regenerates the same draft in place."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return services.generate_run(run_id=run_id, actor=actor).pk


@shared_task
def draft_last_month() -> list[int]:
    """Beat, on the 1st: draft last month's regular run for every program that has none yet.

    Programs that already have a run for the month (drafted, being reviewed or
    finalized) are left alone, so a second beat or a retry changes nothing.
    """
    month = previous_month(timezone.localdate())
    programs = RegionalProgram.objects.exclude(billing_runs__month=month)
    return [
        services.start_generation(month=month, regional_program=program).pk for program in programs
    ]

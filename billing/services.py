"""The business actions of billing: open a run, generate its bills, finalize it.

Concurrency (SPEC.md section 5, rule 6): a partial unique constraint allows
one open run per program and month, and generation holds the run row with
`select_for_update` while it plans and writes, so two generations started at
once serialize and the second rewrites the same bills in place: one set.

Bills are never deleted. Regenerating a draft updates each bill (run, person,
payer) in place and withdraws, with an explanation, the bills no longer due;
only the derived lines and exclusions of the draft are replaced.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from billing import engine
from billing.models import BillingRun, BillLine
from billing.selectors import totals_of
from contacts.models import TimeEntry
from tcm.dates import month_end, month_start
from tcm.history import record_history


def save_record(*, record, actor=None):
    """Save a coverage, means test or rate after full validation (API writes)."""
    record.full_clean()
    with transaction.atomic():
        record.save()
    return record


def generate_bills(*, month, regional_program, actor=None) -> BillingRun:
    """Open (or reopen) the month's run and generate its bills now, in this process."""
    run = open_run(month=month, regional_program=regional_program, actor=actor)
    return generate_run(run_id=run.pk, actor=actor)


def start_generation(*, month, regional_program, actor=None) -> BillingRun:
    """Open the run now and generate it in the worker; pages poll its progress."""
    from billing.tasks import generate_run  # the tasks call these services

    run = open_run(month=month, regional_program=regional_program, actor=actor)
    actor_id = actor.pk if actor else None
    transaction.on_commit(lambda: generate_run.delay(run.pk, actor_id))
    return run


def open_run(*, month, regional_program, actor=None) -> BillingRun:
    """The month's open run, created if needed, marked `generating`.

    The regular run comes first; once it is finalized, a new run of the same
    month is supplemental and bills only what no finalized run has billed.
    """
    month = month_start(month)
    if month_end(month) >= timezone.localdate():
        raise ValidationError({"month": f"{month:%B %Y} has not ended yet; bill it from the 1st."})
    with transaction.atomic():
        run = _locked_open_run(month, regional_program)
        if run is None:
            run = _create_run(month, regional_program, actor)
        run.status, run.progress = BillingRun.Status.GENERATING, 0
        run.save()
    return run


def _locked_open_run(month, regional_program):
    runs = BillingRun.objects.open_for(month=month, regional_program_id=regional_program.pk)
    return runs.select_for_update().first()


def _create_run(month, regional_program, actor) -> BillingRun:
    has_regular = BillingRun.objects.filter(
        month=month, regional_program=regional_program, kind=BillingRun.Kind.REGULAR
    ).exists()
    run = BillingRun(
        month=month,
        regional_program=regional_program,
        kind=BillingRun.Kind.SUPPLEMENTAL if has_regular else BillingRun.Kind.REGULAR,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        # Another generation created it between our read and our insert: use theirs.
        run = _locked_open_run(month, regional_program)
    return run


def generate_run(*, run_id: int, actor=None) -> BillingRun:
    """Write the bills of an open run in SQL, holding its row locked throughout."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run_id)
        if run.is_finalized:
            raise ValidationError({"status": "This run is finalized; its bills are frozen."})
        # Taken before reading the month: time changed while we generate makes the draft stale.
        stamp = timezone.now()
        engine.write_run(run, rule=settings.TCM_UNIT_ROUNDING, stamp=stamp, actor=actor)
        run.status, run.progress, run.generated_at = BillingRun.Status.DRAFT, 100, stamp
        run.bill_count, run.total_due = totals_of(run)
        run.save()
    return run


def finalize_run(*, run: BillingRun, actor) -> BillingRun:
    """Freeze a reviewed draft: the run, its bills and the time entries it billed (section 3)."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run.pk)
        if run.status != BillingRun.Status.DRAFT:
            raise ValidationError(
                {"status": f"Only a draft run can be finalized; this one is {run.status}."}
            )
        _refuse_if_stale(run)
        now = timezone.now()
        billed = TimeEntry.objects.filter(Exists(_billed_by(run)))
        billed.update(frozen_at=now)  # history copied on the next line, in SQL too
        record_history(billed, history_type="~", when=now, reason="Bill run finalized", user=actor)
        run.status, run.finalized_by, run.finalized_at = BillingRun.Status.FINALIZED, actor, now
        run.save()
    return run


def _billed_by(run: BillingRun):
    return BillLine.time_entries.through.objects.filter(
        timeentry_id=OuterRef("pk"), billline__bill__run=run
    )


def _refuse_if_stale(run: BillingRun) -> None:
    """A draft reviewed before time entries of its month changed must be regenerated first."""
    changed = TimeEntry.history.filter(
        person__regional_program_id=run.regional_program_id,
        service_date__range=(run.month, month_end(run.month)),
        history_date__gt=run.generated_at,
    )
    if changed.exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: "Time entries of this month changed after the draft was "
                "generated; regenerate the draft and review it again before finalizing."
            }
        )

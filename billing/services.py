"""The business actions of billing: open a run, generate its bills, finalize it.

Concurrency (SPEC.md section 5, rule 6): a partial unique constraint allows
one open run per program and month, and generation holds the run row with
`select_for_update` while it plans and writes, so two generations started at
once serialize and the second rewrites the same bills in place: one set.

Bills are never deleted. Regenerating a draft updates each bill (run, person,
payer) in place and withdraws, with an explanation, the bills no longer due;
only the derived lines and exclusions of the draft are replaced.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from billing import engine
from billing.models import Bill, BillingRun, BillLine, ExcludedEntry
from contacts.models import TimeEntry
from tcm.dates import month_end, month_start

BILL_FIELDS = [
    "coverage_id",
    "means_test_id",
    "minutes",
    "units",
    "charge",
    "amount_due",
    "explanation",
    "withdrawn",
]


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
    """Plan and write the bills of an open run, holding its row locked throughout."""
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().get(pk=run_id)
        if run.is_finalized:
            raise ValidationError({"status": "This run is finalized; its bills are frozen."})
        _write_plan(run, engine.plan_run(run), actor)
        run.status, run.progress, run.generated_at = BillingRun.Status.DRAFT, 100, timezone.now()
        run.save()
    return run


def _write_plan(run: BillingRun, plan: engine.RunPlan, actor) -> None:
    existing = {(bill.person_id, bill.payer_type): bill for bill in run.bills.all()}
    BillLine.objects.filter(bill__run=run).delete()
    run.excluded_entries.all().delete()
    to_create, to_update, by_key = [], [], {}
    for planned in plan.bills:
        key = (planned.person_id, planned.payer_type)
        bill = existing.pop(key, None) or Bill(
            run=run, person_id=planned.person_id, month=run.month, payer_type=planned.payer_type
        )
        values = {name: getattr(planned, name) for name in BILL_FIELDS if name != "withdrawn"}
        _assign(bill, {**values, "withdrawn": False}, to_create, to_update)
        by_key[key] = bill
    for bill in existing.values():
        _assign(bill, _withdrawn_values(), to_create, to_update)
    for bill in bulk_create_with_history(to_create, Bill, default_user=actor):
        by_key[(bill.person_id, bill.payer_type)] = bill
    if to_update:
        bulk_update_with_history(to_update, Bill, BILL_FIELDS, default_user=actor)
    _write_lines(plan, by_key)
    ExcludedEntry.objects.bulk_create(
        ExcludedEntry(run=run, time_entry_id=entry_id, reasons="\n".join(reasons))
        for entry_id, reasons in plan.excluded.items()
    )


def _assign(bill: Bill, values: dict, to_create: list, to_update: list) -> None:
    """Set the bill's values; queue it only when something changed (history stays meaningful)."""
    changed = any(getattr(bill, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(bill, name, value)
    if bill.pk is None:
        to_create.append(bill)
    elif changed:
        to_update.append(bill)


def _withdrawn_values() -> dict:
    return {
        "coverage_id": None,
        "means_test_id": None,
        "minutes": 0,
        "units": 0,
        "charge": 0,
        "amount_due": 0,
        "explanation": "Withdrawn when the draft was regenerated: no billable time for this "
        "payer remains in the month.",
        "withdrawn": True,
    }


def _write_lines(plan: engine.RunPlan, bills: dict) -> None:
    planned_lines = [(planned, line) for planned in plan.bills for line in planned.lines]
    lines = BillLine.objects.bulk_create(
        BillLine(
            bill=bills[(planned.person_id, planned.payer_type)],
            service_date=line.service_date,
            minutes=line.minutes,
            previously_billed_minutes=line.previously_billed_minutes,
            units=line.units,
            rule=line.rule,
            rate=line.rate,
            charge=line.charge,
        )
        for planned, line in planned_lines
    )
    Through = BillLine.time_entries.through
    Through.objects.bulk_create(
        Through(billline_id=saved.pk, timeentry_id=entry_id)
        for saved, (_, line) in zip(lines, planned_lines, strict=True)
        for entry_id in line.entry_ids
    )


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
        entries = list(TimeEntry.objects.filter(bill_lines__bill__run=run).distinct())
        for entry in entries:
            entry.frozen_at = now
        bulk_update_with_history(entries, TimeEntry, ["frozen_at"], default_user=actor)
        run.status, run.finalized_by, run.finalized_at = BillingRun.Status.FINALIZED, actor, now
        run.save()
    return run


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

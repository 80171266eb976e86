"""Finalizing freezes a run and its time; late time goes to a supplemental run."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from billing import staging
from billing.models import Bill, BillingRun
from billing.services import finalize_run, generate_bills, open_run
from billing.tasks import draft_last_month
from contacts.services import void_time_entry
from tests.billing.conftest import MARCH
from tests.factories import CoverageFactory, MeansTestFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def generate(person):
    return generate_bills(month=MARCH, regional_program=person.regional_program)


def entry(person, day, minutes):
    return TimeEntryFactory(person=person, service_date=date(2024, 3, day), minutes=minutes)


@pytest.fixture
def finalized(person, rate, reimbursement_officer):
    """March billed to Medicaid: 10 minutes on the 5th (1 unit), finalized."""
    CoverageFactory(person=person)
    billed = entry(person, 5, 10)
    run = finalize_run(run=generate(person), actor=reimbursement_officer)
    return run, billed


def test_finalize_freezes_the_run_and_the_time_it_billed(finalized, reimbursement_officer):
    run, billed = finalized
    billed.refresh_from_db()
    assert run.status == BillingRun.Status.FINALIZED
    assert run.finalized_by == reimbursement_officer
    assert billed.frozen_at == run.finalized_at
    assert billed.history.first().history_user == reimbursement_officer


def test_frozen_time_cannot_be_voided(finalized, case_manager):
    _, billed = finalized
    billed.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        void_time_entry(actor=case_manager, entry=billed, reason="Oops")
    assert "finalized bill run for March 2024" in str(error.value)


def test_a_finalized_run_cannot_be_finalized_or_regenerated_again(finalized, reimbursement_officer):
    run, _ = finalized
    with pytest.raises(ValidationError, match="Only a draft"):
        finalize_run(run=run, actor=reimbursement_officer)


def test_a_stale_draft_must_be_regenerated_before_finalizing(person, rate, reimbursement_officer):
    CoverageFactory(person=person)
    entry(person, 5, 30)
    run = generate(person)
    entry(person, 6, 30)
    with pytest.raises(ValidationError, match="regenerate the draft"):
        finalize_run(run=run, actor=reimbursement_officer)
    assert finalize_run(run=generate(person), actor=reimbursement_officer).is_finalized


def test_late_time_goes_to_a_supplemental_run_that_bills_only_new_units(finalized, person):
    run, _ = finalized
    late_same_day = entry(person, 5, 3)  # 10 + 3 = 13 minutes: still 1 unit in total
    late_other_day = entry(person, 9, 30)

    supplemental = generate(person)

    assert supplemental.pk != run.pk
    assert supplemental.kind == BillingRun.Kind.SUPPLEMENTAL
    bill = supplemental.bills.get()
    day5, day9 = bill.lines.all()
    assert (day5.minutes, day5.previously_billed_minutes, day5.units) == (3, 10, 0)
    assert (day9.units, bill.units, bill.charge) == (2, 2, Decimal("40.00"))
    assert list(day5.time_entries.all()) == [late_same_day]
    assert list(day9.time_entries.all()) == [late_other_day]
    assert run.bills.get().units == 1  # the finalized bill is untouched


def test_only_a_run_after_a_finalized_one_asks_for_minutes_already_billed(
    finalized, person, other_region
):
    """Another program's finalized month is not this one's: its regular run asks for none."""
    supplemental = open_run(month=MARCH, regional_program=person.regional_program)
    regular = open_run(month=MARCH, regional_program=other_region)
    assert staging.builds_on_finalized(supplemental)
    assert not staging.builds_on_finalized(regular)


def test_supplemental_self_pay_respects_what_the_month_already_asked(
    person, rate, reimbursement_officer
):
    MeansTestFactory(person=person, monthly_ability_to_pay=Decimal("50.00"))
    entry(person, 5, 30)  # $40
    finalize_run(run=generate(person), actor=reimbursement_officer)
    entry(person, 9, 30)  # another $40, but only $10 of the cap is left
    bill = generate(person).bills.get()
    assert (bill.charge, bill.amount_due) == (Decimal("40.00"), Decimal("10.00"))


def test_nothing_new_after_finalizing_gives_an_empty_supplemental(finalized, person):
    supplemental = generate(person)
    assert supplemental.kind == BillingRun.Kind.SUPPLEMENTAL
    assert not supplemental.bills.exists()
    assert Bill.objects.count() == 1


def test_generate_bills_command_drafts_each_program(person, rate, other_region, capsys):
    CoverageFactory(person=person)
    entry(person, 5, 30)
    call_command("generate_bills", month="2024-03")
    out = capsys.readouterr().out
    assert "HRC March 2024: regular run draft, 1 bills, $40.00 due, 0 time entries" in out
    assert "SMRC March 2024" in out
    assert BillingRun.objects.count() == 2


def test_generate_bills_command_bills_last_month_by_default(person, rate, capsys):
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    call_command("generate_bills", region="HRC")
    assert BillingRun.objects.get().month == last_month
    assert f"HRC {last_month:%B %Y}: regular run draft" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"month": "2024-13"}, "--month"),
        ({"month": "March"}, "--month"),
        ({"month": "2024-03", "region": "NOPE"}, "--region"),
        ({"month": "2999-01"}, "has not ended"),
    ],
)
def test_generate_bills_command_names_bad_input(region, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_bills", **arguments)


def test_beat_drafts_last_month_once_per_program(person, rate, django_capture_on_commit_callbacks):
    CoverageFactory(person=person)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    TimeEntryFactory(person=person, service_date=last_month, minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        first = draft_last_month.delay().get()
    again = draft_last_month.delay().get()
    run = BillingRun.objects.get()
    assert first == [run.pk] and again == []
    assert run.status == BillingRun.Status.DRAFT and run.bills.get().units == 2

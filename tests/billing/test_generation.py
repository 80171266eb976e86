"""Bill generation end to end through the real services (SPEC.md section 5)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Bill, BillingRun, BillLine
from billing.rules import NO_RATE
from billing.services import generate_bills
from contacts.rules import CASE_NOT_OPEN, NOT_CERTIFIED, NOT_QUALIFIED, VOIDED
from tests.billing.conftest import MARCH
from tests.factories import (
    CaseEpisodeFactory,
    CertificationFactory,
    CoverageFactory,
    LivingArrangementFactory,
    MeansTestFactory,
    PersonFactory,
    RegionalProgramFactory,
    StaffQualificationFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def generate(person, month=MARCH, **kwargs):
    return generate_bills(month=month, regional_program=person.regional_program, **kwargs)


def entry(person, day, minutes, **kwargs):
    return TimeEntryFactory(
        person=person, service_date=date(2024, 3, day), minutes=minutes, **kwargs
    )


def void(time_entry):
    time_entry.voided_at, time_entry.voided_by = timezone.now(), time_entry.person.case_manager
    time_entry.void_reason = "Entered twice"
    time_entry.save()


def only_bill(run):
    (bill,) = run.bills.all()
    return bill


@pytest.mark.parametrize(("minutes", "units"), [(7, 0), (8, 1), (22, 1), (23, 2)])
def test_units_follow_the_eight_minute_rule(person, rate, minutes, units):
    CoverageFactory(person=person)
    entry(person, 5, minutes)
    bill = only_bill(generate(person))
    assert (bill.minutes, bill.units, bill.charge) == (minutes, units, Decimal(20 * units))
    line = bill.lines.get()
    assert (line.minutes, line.units, line.rule, line.rate) == (minutes, units, "eight_minute", 20)


def test_floor_rounding_setting(person, rate, settings):
    settings.TCM_UNIT_ROUNDING = "floor"
    CoverageFactory(person=person)
    entry(person, 5, 29)
    assert only_bill(generate(person)).units == 1


def test_minutes_are_summed_per_day_across_entries_before_rounding(person, rate):
    CoverageFactory(person=person)
    first, second = entry(person, 5, 5), entry(person, 5, 4)  # 9 minutes -> 1 unit
    entry(person, 6, 7)  # 7 minutes alone -> 0 units
    bill = only_bill(generate(person))
    day5, day6 = bill.lines.all()
    assert (day5.minutes, day5.units, day6.minutes, day6.units) == (9, 1, 7, 0)
    assert set(day5.time_entries.all()) == {first, second}
    assert bill.units == 1


def test_coverage_changing_mid_month_makes_two_bills(person, rate):
    CoverageFactory(
        person=person,
        payer_type="private_insurance",
        payer_name="Acme Health",
        member_id="ACME1",
        effective_to=date(2024, 3, 15),
    )
    CoverageFactory(person=person, effective_from=date(2024, 3, 16))
    entry(person, 10, 30)
    entry(person, 20, 45)
    bills = {bill.payer_type: bill for bill in generate(person).bills.all()}
    assert bills["private_insurance"].units == 2
    assert bills["medicaid"].units == 3
    assert bills["medicaid"].amount_due == Decimal("60.00")
    assert "Targeted Case Management" in bills["medicaid"].explanation


def test_insurance_pays_first_when_medicaid_is_also_active(person, rate):
    CoverageFactory(person=person)
    CoverageFactory(person=person, payer_type="private_insurance", payer_name="Acme")
    entry(person, 10, 30)
    bill = only_bill(generate(person))
    assert bill.payer_type == "private_insurance"
    assert bill.coverage.payer_name == "Acme"


def test_self_pay_capped_by_the_monthly_ability_to_pay(person, rate):
    MeansTestFactory(person=person, monthly_ability_to_pay=Decimal("50.00"))
    entry(person, 10, 60)  # 4 units, $80
    bill = only_bill(generate(person))
    assert (bill.payer_type, bill.charge, bill.amount_due) == ("self_pay", 80, 50)


@pytest.mark.parametrize(
    ("minutes", "ability", "natural_home", "due"),
    [
        (150, "120.00", False, "120.00"),  # $200 charged, capped at the ability to pay
        (60, "120.00", False, "80.00"),  # under the cap: the whole charge
        (150, "120.00", True, "30.00"),  # natural home: a fourth
        (15, "120.00", True, "20.00"),
        (150, "10.01", True, "2.50"),  # 2.5025 rounds down
        (150, "10.02", True, "2.51"),  # 2.505 rounds half up
        (150, "0.02", True, "0.01"),
        (150, "0.00", False, "0.00"),
    ],
)
def test_self_pay_cap_is_computed_to_the_cent(person, rate, minutes, ability, natural_home, due):
    MeansTestFactory(person=person, monthly_ability_to_pay=Decimal(ability))
    if natural_home:
        LivingArrangementFactory(person=person, effective_from=date(2024, 3, 1))
    entry(person, 10, minutes)
    bill = only_bill(generate(person))
    assert (bill.charge, bill.amount_due) == (Decimal(20 * ((minutes + 7) // 15)), Decimal(due))
    assert bill.explanation.endswith(f"Amount due ${due}.") or due == "0.00"


def test_natural_home_caps_self_pay_at_a_quarter(person, rate):
    MeansTestFactory(person=person, monthly_ability_to_pay=Decimal("100.00"))
    LivingArrangementFactory(person=person, effective_from=date(2024, 3, 20))
    entry(person, 10, 60)
    bill = only_bill(generate(person))
    assert bill.amount_due == Decimal("25.00")
    assert "natural home" in bill.explanation


def test_ability_zero_means_nothing_due(person, rate):
    MeansTestFactory(person=person, monthly_ability_to_pay=Decimal("0.00"))
    entry(person, 10, 60)
    bill = only_bill(generate(person))
    assert (bill.charge, bill.amount_due) == (80, 0)
    assert bill.explanation.startswith("Nothing is due because")


def test_no_means_test_means_nothing_due(person, rate):
    entry(person, 10, 60)
    bill = only_bill(generate(person))
    assert bill.amount_due == 0
    assert "no Standard Means Test is in force on March 1, 2024" in bill.explanation


def test_means_test_effective_mid_month_applies_from_next_month(person, rate):
    MeansTestFactory(person=person, effective_from=date(2024, 3, 15))
    entry(person, 20, 60)
    bill = only_bill(generate(person))
    assert bill.amount_due == 0
    assert bill.means_test is None


def test_older_means_test_in_force_on_the_first_is_used(person, rate):
    old = MeansTestFactory(person=person, effective_from=date(2023, 1, 1))
    MeansTestFactory(person=person, effective_from=date(2024, 3, 2), monthly_ability_to_pay=1)
    entry(person, 20, 60)
    bill = only_bill(generate(person))
    assert bill.means_test == old
    assert bill.amount_due == Decimal("80.00")


@pytest.fixture
def gated_person(rate):
    """Program certified until 2024-03-20, case open 2024-03-05..2024-03-25,
    case manager qualified (PCP training) from 2024-03-10."""
    region = RegionalProgramFactory(certified=False)
    CertificationFactory(regional_program=region, certified_until=date(2024, 3, 20))
    manager = UserFactory(regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=manager, pcp_training_completed_on=date(2024, 3, 10))
    person = PersonFactory(case_manager=manager)
    CaseEpisodeFactory(
        person=person,
        opened_on=date(2024, 3, 5),
        closed_on=date(2024, 3, 25),
        closure_reason="moved",
    )
    CoverageFactory(person=person)
    return person


def test_excluded_entries_are_listed_with_their_reasons(gated_person):
    person = gated_person
    billable = entry(person, 12, 30)
    unqualified = entry(person, 8, 30)
    uncertified = entry(person, 22, 30)
    closed = entry(person, 27, 30)
    voided = entry(
        person,
        12,
        30,
        voided_at=timezone.now(),
        voided_by=person.case_manager,
        void_reason="Wrong person",
    )
    run = generate(person)
    excluded = {e.time_entry_id: e.reason_list for e in run.excluded_entries.all()}
    assert excluded == {
        unqualified.pk: [NOT_QUALIFIED],
        uncertified.pk: [NOT_CERTIFIED],
        closed.pk: [NOT_CERTIFIED, CASE_NOT_OPEN],
        voided.pk: [VOIDED],
    }
    assert list(only_bill(run).lines.get().time_entries.all()) == [billable]


def test_time_without_a_rate_is_excluded_with_the_reason(person):
    CoverageFactory(person=person)
    late = entry(person, 5, 30)
    run = generate(person)
    assert not run.bills.exists()
    assert run.excluded_entries.get().time_entry == late
    assert run.excluded_entries.get().reason_list == [NO_RATE]


def test_other_programs_time_is_not_in_the_run(person, rate, other_case_manager):
    stranger = PersonFactory(case_manager=other_case_manager)
    CaseEpisodeFactory(person=stranger)
    entry(stranger, 5, 30)
    entry(person, 5, 30)
    run = generate(person)
    assert [bill.person for bill in run.bills.all()] == [person]


def test_regenerating_a_draft_updates_bills_in_place_and_withdraws_the_rest(person, rate):
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    entry(person, 5, 30)
    late = entry(person, 20, 30)
    run = generate(person)
    medicaid = run.bills.get(payer_type="medicaid")
    self_pay = run.bills.get(payer_type="self_pay")
    late.voided_at, late.voided_by, late.void_reason = timezone.now(), person.case_manager, "Dup"
    late.save()
    entry(person, 6, 15)

    again = generate(person)

    assert again.pk == run.pk and again.status == BillingRun.Status.DRAFT
    medicaid.refresh_from_db()
    self_pay.refresh_from_db()
    assert (medicaid.units, medicaid.lines.count()) == (3, 2)
    assert self_pay.withdrawn and self_pay.units == 0 and self_pay.lines.count() == 0
    assert "Withdrawn" in self_pay.explanation
    assert Bill.objects.count() == 2
    assert again.excluded_entries.get().time_entry == late


def test_regenerating_an_unchanged_draft_keeps_its_lines_links_and_exclusions(person, rate):
    CoverageFactory(person=person)
    entry(person, 5, 30)
    entry(person, 5, 10)
    entry(person, 6, 20, voided_at=timezone.now(), voided_by=person.case_manager, void_reason="x")
    run = generate(person)

    def rows():
        lines = BillLine.objects.filter(bill__run=run)
        links = BillLine.time_entries.through.objects.filter(billline__bill__run=run)
        return (
            sorted(lines.values_list("pk", "service_date", "minutes", "units")),
            sorted(links.values_list("pk", "billline_id", "timeentry_id")),
            sorted(run.excluded_entries.values_list("pk", "time_entry_id", "voided")),
        )

    before = rows()
    generate(person)
    assert rows() == before  # the same rows, not copies of them


def test_a_day_whose_payer_changes_moves_its_line_and_entries(person, rate):
    coverage = CoverageFactory(person=person)
    early = entry(person, 5, 30)
    late = [entry(person, 20, 30), entry(person, 20, 8)]
    run = generate(person)
    coverage.effective_to = date(2024, 3, 15)
    coverage.save()

    generate(person)

    medicaid = run.bills.get(payer_type="medicaid")
    self_pay = run.bills.get(payer_type="self_pay")
    assert [(line.service_date.day, line.units) for line in medicaid.lines.all()] == [(5, 2)]
    assert list(medicaid.lines.get().time_entries.all()) == [early]
    assert [(line.service_date.day, line.units) for line in self_pay.lines.all()] == [(20, 3)]
    assert sorted(self_pay.lines.get().time_entries.all(), key=lambda e: e.pk) == late
    assert BillLine.time_entries.through.objects.count() == 3


def test_a_day_whose_minutes_change_is_rewritten_with_its_entries(person, rate):
    CoverageFactory(person=person)
    first = entry(person, 5, 30)
    run = generate(person)
    second = entry(person, 5, 15)
    first.minutes = 20
    first.save()

    generate(person)

    line = only_bill(run).lines.get()
    assert (line.minutes, line.units, line.charge) == (35, 2, Decimal("40.00"))
    assert sorted(line.time_entries.all(), key=lambda e: e.pk) == [first, second]


def test_an_exclusion_whose_reasons_change_is_rewritten(gated_person):
    person = gated_person
    unqualified = entry(person, 8, 30)
    run = generate(person)
    unqualified.voided_at, unqualified.voided_by = timezone.now(), person.case_manager
    unqualified.void_reason = "Duplicate"
    unqualified.save()

    generate(person)

    assert run.excluded_entries.get().reason_list == [VOIDED, NOT_QUALIFIED]


@pytest.mark.parametrize("in_force_first", [False, True])
def test_a_bill_whose_only_change_is_an_empty_fact_is_rewritten(person, rate, in_force_first):
    """With an ability to pay of 0 nothing is due either way: only the means test, the
    ability and the cap, facts a bill may leave empty, go from empty to set or back."""
    means_test = MeansTestFactory(
        person=person,
        monthly_ability_to_pay=Decimal("0.00"),
        effective_from=date(2024, 1, 1) if in_force_first else date(2024, 3, 15),
    )
    entry(person, 20, 60)
    bill = only_bill(generate(person))
    means_test.effective_from = date(2024, 3, 15) if in_force_first else date(2024, 1, 1)
    means_test.save()

    generate(person)

    bill.refresh_from_db()
    expected = None if in_force_first else means_test
    assert (bill.means_test, bill.amount_due) == (expected, 0)
    assert (bill.cap is None, bill.monthly_ability_to_pay is None) == (in_force_first,) * 2
    assert list(bill.history.values_list("history_type", flat=True)) == ["~", "+"]


def test_regenerating_unchanged_bills_writes_no_history(person, rate):
    CoverageFactory(person=person)
    entry(person, 5, 30)
    run = generate(person)
    bill = only_bill(run)
    generate(person)
    assert bill.history.count() == 1


def test_a_month_that_has_not_ended_cannot_be_billed(person):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        generate(person, month=timezone.localdate())
    assert "month" in error.value.message_dict


def test_regeneration_history_names_the_change_and_the_actor(person, rate, reimbursement_officer):
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    entry(person, 5, 30)
    late = entry(person, 20, 30)
    run = generate(person, actor=reimbursement_officer)
    late.voided_at, late.voided_by, late.void_reason = timezone.now(), person.case_manager, "Dup"
    late.save()
    entry(person, 6, 15)

    generate(person, actor=reimbursement_officer)

    medicaid = run.bills.get(payer_type="medicaid")
    created, changed = medicaid.history.order_by("history_id")
    assert (created.history_type, created.units, changed.history_type, changed.units) == (
        "+",
        2,
        "~",
        3,
    )
    assert changed.history_user == reimbursement_officer
    assert changed.history_date == medicaid.generated_at == BillingRun.objects.get().generated_at
    withdrawn = run.bills.get(payer_type="self_pay").history.first()
    assert (withdrawn.history_type, withdrawn.withdrawn) == ("~", True)


def test_only_the_bills_a_regeneration_adds_get_a_created_history_row(
    person, rate, other_case_manager
):
    """New bills are told from kept ones by id; another program's run, generated in
    between, takes ids above this run's bills and must not be mistaken for them."""
    other = PersonFactory(case_manager=other_case_manager)
    CaseEpisodeFactory(person=other)
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    entry(person, 5, 30)
    entry(other, 5, 30)
    run = generate(person)
    generate(other)  # its bill's id is above every bill of `run`
    entry(person, 20, 30)  # self-pay after the coverage ends: a new bill in `run`

    generate(person)

    history = {
        bill.payer_type: list(bill.history.values_list("history_type", flat=True))
        for bill in run.bills.all()
    }
    assert history == {"medicaid": ["+"], "self_pay": ["+"]}
    (other_bill,) = Bill.objects.exclude(run=run)
    assert list(other_bill.history.values_list("history_type", flat=True)) == ["+"]


def test_a_regeneration_can_bring_a_bill_back_withdraw_one_and_add_one(person, rate):
    """As many bills stay due as there were, yet one of them is new: it is inserted."""
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    CoverageFactory(person=person, payer_type="private_insurance", effective_from=date(2024, 3, 25))
    medicaid_day = entry(person, 5, 30)
    self_pay_day = entry(person, 20, 30)
    run = generate(person)
    void(self_pay_day)
    generate(person)  # self-pay withdrawn
    void(medicaid_day)
    entry(person, 21, 30)  # self-pay due again
    entry(person, 26, 30)  # private insurance: a new bill

    generate(person)

    due = set(run.bills.filter(withdrawn=False).values_list("payer_type", flat=True))
    assert due == {"self_pay", "private_insurance"}
    assert run.bills.get(payer_type="medicaid").withdrawn
    private = run.bills.get(payer_type="private_insurance")
    assert (private.units, private.lines.count()) == (2, 1)
    assert list(private.history.values_list("history_type", flat=True)) == ["+"]


def test_the_run_keeps_the_count_and_total_of_the_bills_due(person, rate):
    CoverageFactory(person=person, effective_to=date(2024, 3, 15))
    entry(person, 5, 30)
    late = entry(person, 20, 30)
    run = generate(person)
    assert run.bill_count == 2  # Medicaid until the 15th, self-pay after
    late.voided_at, late.voided_by, late.void_reason = timezone.now(), person.case_manager, "Dup"
    late.save()

    generate(person)

    run.refresh_from_db()
    medicaid = run.bills.get(payer_type="medicaid")
    assert (run.bill_count, run.total_due) == (1, medicaid.amount_due)  # self-pay withdrawn


@pytest.mark.parametrize("size", [2, 20])
def test_generation_is_a_fixed_number_of_queries(
    rate, region, case_manager, size, django_assert_num_queries
):
    for index in range(size):
        person = PersonFactory(case_manager=case_manager)
        CaseEpisodeFactory(person=person)
        if index % 2:
            CoverageFactory(person=person)
        else:
            MeansTestFactory(person=person)
        entry(person, 4, 30)
        entry(person, 5, 5)
    # Opening the run: savepoint, the open run locked, is there a regular run,
    # savepoint, insert the run and its history, release, mark it generating and
    # its history, release (10). Generating: savepoint, lock the run, whether a
    # finalized run of the month came before, eight staged tables (the month's entries,
    # their person-days, the days' and the dates' facts, the entries, days, self-pay
    # persons and bills) and ANALYZE of the dates', update changed bills, withdraw,
    # their history, the run's last bill id, insert new bills, their history, stage the
    # lines, update changed ones, insert new ones, number the new ones, stage the links,
    # delete stale links, stale lines, insert new links, delete stale exclusions, insert
    # new ones, drop the ten staged tables, the run's totals, save the run and its
    # history, release (42). Each block that saves the run bumps the page versions once
    # (tcm.versions): inserting it, marking it generating, the generation (3).
    with django_assert_num_queries(10 + 42 + 3):
        generate_bills(month=MARCH, regional_program=region)
    # Regenerating reopens the draft (savepoint, lock, save, history, release) then the same
    # 42, with the page versions of both blocks (2).
    with django_assert_num_queries(5 + 42 + 2):
        generate_bills(month=MARCH, regional_program=region)

"""The billing gate annotations: qualified author, certified program, open case."""

from datetime import date

import pytest

from contacts.models import TimeEntry
from contacts.rules import CASE_NOT_OPEN, NOT_CERTIFIED, NOT_QUALIFIED, VOIDED
from tests.factories import (
    CaseEpisodeFactory,
    CertificationFactory,
    PersonFactory,
    RegionalProgramFactory,
    StaffQualificationFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def gated(entry):
    return TimeEntry.objects.with_billing_gate().get(pk=entry.pk)


@pytest.fixture
def setting():
    """A program certified until 2024-06-30, a case open 2024-01-10..2024-09-30,
    and a case manager whose PCP training was completed on 2024-02-01."""
    region = RegionalProgramFactory(certified=False)
    CertificationFactory(
        regional_program=region, certified_from=date(2020, 1, 1), certified_until=date(2024, 6, 30)
    )
    manager = UserFactory(regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=manager, pcp_training_completed_on=date(2024, 2, 1))
    person = PersonFactory(case_manager=manager)
    CaseEpisodeFactory(
        person=person,
        opened_on=date(2024, 1, 10),
        closed_on=date(2024, 9, 30),
        closure_reason="refused",
    )
    return person


@pytest.mark.parametrize(
    ("day", "reasons"),
    [
        (date(2024, 1, 9), [NOT_QUALIFIED, CASE_NOT_OPEN]),
        (date(2024, 1, 31), [NOT_QUALIFIED]),
        (date(2024, 2, 1), []),
        (date(2024, 6, 30), []),
        (date(2024, 7, 1), [NOT_CERTIFIED]),
        (date(2024, 10, 1), [NOT_CERTIFIED, CASE_NOT_OPEN]),
    ],
)
def test_gate_reasons_on_the_boundaries(setting, day, reasons):
    entry = TimeEntryFactory(person=setting, service_date=day)
    assert gated(entry).non_billable_reasons == reasons
    assert TimeEntry.objects.with_billing_gate().billable().filter(pk=entry.pk).exists() is (
        not reasons
    )


def test_voided_entry_is_never_billable(setting):
    entry = TimeEntryFactory(person=setting, service_date=date(2024, 3, 1), void=True)
    assert gated(entry).non_billable_reasons == [VOIDED]
    assert not TimeEntry.objects.with_billing_gate().billable().filter(pk=entry.pk).exists()


def test_gate_is_one_query_for_any_number_of_entries(setting, django_assert_num_queries):
    for day in (1, 2, 3):
        TimeEntryFactory(person=setting, service_date=date(2024, 3, day))
    # One SELECT with three correlated EXISTS subqueries.
    with django_assert_num_queries(1):
        assert len(list(TimeEntry.objects.with_billing_gate())) == 3

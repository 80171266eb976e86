"""The bills section of the person page."""

from datetime import date

import pytest
from django.test import RequestFactory

from billing.sections import bills_section
from billing.services import generate_bills
from tests.billing.conftest import MARCH
from tests.factories import CoverageFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def section_for(user, person):
    request = RequestFactory().get("/")
    request.user = user
    return bills_section(request, person)


@pytest.fixture
def billed(person, rate, region):
    CoverageFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    generate_bills(month=MARCH, regional_program=region)
    return person


def test_case_managers_do_not_see_bills(case_manager, billed):
    assert section_for(case_manager, billed) is None


@pytest.mark.parametrize("persona", ["reimbursement_officer", "supervisor", "reviewer"])
def test_billing_readers_see_the_persons_bills(request, persona, billed):
    section = section_for(request.getfixturevalue(persona), billed)
    assert section.title == "Bills"
    assert [bill.units for bill in section.context["bills"]] == [2]


def test_the_section_renders_with_the_person_page(client_for, supervisor, billed):
    response = client_for(supervisor).get(f"/persons/{billed.pk}/")
    assert response.status_code == 200
    assert b"March 2024" in response.content

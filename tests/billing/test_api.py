"""Billing API: coverages, means-tests, rates, billing-runs (+ finalize), bills."""

from datetime import date

import pytest
from django.urls import reverse

from billing.models import BillingRun, Coverage
from billing.services import generate_bills
from people.models import AccessLog
from tests.billing.conftest import MARCH
from tests.factories import (
    CaseEpisodeFactory,
    CoverageFactory,
    MeansTestFactory,
    PersonFactory,
    TimeEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(person, rate, region):
    CoverageFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    return generate_bills(month=MARCH, regional_program=region)


@pytest.fixture
def foreign(other_case_manager, rate):
    stranger = PersonFactory(case_manager=other_case_manager)
    CaseEpisodeFactory(person=stranger)
    coverage = CoverageFactory(person=stranger)
    TimeEntryFactory(person=stranger, service_date=date(2024, 3, 4), minutes=30)
    run = generate_bills(month=MARCH, regional_program=other_case_manager.regional_program)
    return {"coverage": coverage, "run": run, "bill": run.bills.get(), "person": stranger}


def detail_urls(run):
    bill = run.bills.get()
    coverage = Coverage.objects.get(person=bill.person)
    return [
        reverse("coverage-detail", args=[coverage.pk]),
        reverse("billing-run-detail", args=[run.pk]),
        reverse("bill-detail", args=[bill.pk]),
    ]


LISTS = ["coverage", "means-test", "rate", "billing-run", "bill"]


def test_anonymous_gets_401_or_403(client, run):
    for name in LISTS:
        assert client.get(reverse(f"{name}-list")).status_code in (401, 403)


def test_case_managers_get_403(client_for, case_manager, run):
    client = client_for(case_manager)
    for name in LISTS:
        assert client.get(reverse(f"{name}-list")).status_code == 403, name


@pytest.mark.parametrize("persona", ["reimbursement_officer", "supervisor", "reviewer"])
def test_readers_list_and_read(request, client_for, persona, run):
    client = client_for(request.getfixturevalue(persona))
    for name in LISTS:
        assert client.get(reverse(f"{name}-list")).status_code == 200, name
    for url in detail_urls(run):
        assert client.get(url).status_code == 200, url


def test_other_programs_records_are_404(client_for, reimbursement_officer, foreign):
    client = client_for(reimbursement_officer)
    for url in detail_urls(foreign["run"]):
        assert client.get(url).status_code == 404, url
    finalize = reverse("billing-run-finalize", args=[foreign["run"].pk])
    assert client.post(finalize).status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "reviewer"])
def test_only_reimbursement_officers_write(request, client_for, persona, run, person):
    client = client_for(request.getfixturevalue(persona))
    coverage = {
        "person": person.pk,
        "payer_type": "medicaid",
        "payer_name": "X",
        "member_id": "1",
        "effective_from": "2024-01-01",
    }
    assert client.post(reverse("coverage-list"), coverage).status_code == 403
    assert client.post(reverse("billing-run-list"), {"month": "2024-03"}).status_code == 403
    finalize = reverse("billing-run-finalize", args=[run.pk])
    assert client.post(finalize).status_code == 403


def test_officer_records_coverage_and_means_test(client_for, reimbursement_officer, person):
    client = client_for(reimbursement_officer)
    response = client.post(
        reverse("coverage-list"),
        {
            "person": person.pk,
            "payer_type": "private_insurance",
            "payer_name": "Acme",
            "member_id": "A1",
            "effective_from": "2024-01-01",
        },
    )
    assert response.status_code == 201, response.json()
    assert Coverage.objects.get().payer_name == "Acme"
    response = client.post(
        reverse("means-test-list"),
        {
            "person": person.pk,
            "effective_from": "2024-01-01",
            "family_size": 3,
            "adjusted_gross_monthly_income": "3000.00",
            "monthly_ability_to_pay": "45.00",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["monthly_ability_to_pay"] == "45.00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"effective_from": "2024-05-01", "effective_to": "2024-01-01"}, "__all__"),
        ({"payer_type": "cash"}, "payer_type"),
        ({"effective_from": "soon"}, "effective_from"),
    ],
)
def test_bad_coverage_is_a_400_naming_the_field(
    client_for, reimbursement_officer, person, payload, field
):
    data = {
        "person": person.pk,
        "payer_type": "medicaid",
        "payer_name": "M",
        "member_id": "1",
        "effective_from": "2024-01-01",
        **payload,
    }
    response = client_for(reimbursement_officer).post(reverse("coverage-list"), data)
    assert response.status_code == 400
    assert field in response.json() or "non_field_errors" in response.json()
    assert not Coverage.objects.exists()


def test_coverage_for_another_programs_person_is_refused(
    client_for, reimbursement_officer, foreign
):
    data = {
        "person": foreign["person"].pk,
        "payer_type": "medicaid",
        "payer_name": "M",
        "member_id": "1",
        "effective_from": "2024-01-01",
    }
    response = client_for(reimbursement_officer).post(reverse("coverage-list"), data)
    assert response.status_code == 400 and "person" in response.json()


def test_officer_generates_and_finalizes_a_run(
    client_for, reimbursement_officer, person, rate, django_capture_on_commit_callbacks
):
    CoverageFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    client = client_for(reimbursement_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing-run-list"), {"month": "2024-03"})
    assert response.status_code == 202
    assert response.json()["month"] == "2024-03"
    run_id = response.json()["id"]
    assert client.get(reverse("billing-run-detail", args=[run_id])).json()["status"] == "draft"
    finalized = client.post(reverse("billing-run-finalize", args=[run_id]))
    assert finalized.status_code == 200 and finalized.json()["status"] == "finalized"
    again = client.post(reverse("billing-run-finalize", args=[run_id]))
    assert again.status_code == 400 and "status" in again.json()
    assert BillingRun.objects.get().is_finalized


@pytest.mark.parametrize("month", ["2024-13", "soon", "2999-01", ""])
def test_bad_month_is_a_400(client_for, reimbursement_officer, month):
    response = client_for(reimbursement_officer).post(reverse("billing-run-list"), {"month": month})
    assert response.status_code == 400 and "month" in response.json()


def test_bill_detail_shows_amounts_and_lines_and_logs_access(client_for, supervisor, run):
    bill = run.bills.get()
    data = client_for(supervisor).get(reverse("bill-detail", args=[bill.pk])).json()
    assert (data["payer_type"], data["units"], data["amount_due"]) == ("medicaid", 2, "40.00")
    assert data["lines"][0]["time_entries"]
    assert AccessLog.objects.get().view == "api:bill-detail"


def test_no_deletes(client_for, reimbursement_officer, run):
    client = client_for(reimbursement_officer)
    for url in detail_urls(run):
        assert client.delete(url).status_code == 405, url


@pytest.mark.parametrize("size", [2, 20])
def test_bill_list_query_count_does_not_grow(
    client_for, reimbursement_officer, case_manager, rate, region, size, django_assert_num_queries
):
    for _ in range(size):
        person = PersonFactory(case_manager=case_manager)
        CaseEpisodeFactory(person=person)
        MeansTestFactory(person=person)
        TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    generate_bills(month=MARCH, regional_program=region)
    client = client_for(reimbursement_officer)
    # session, user with its role, count, bills, their lines, the lines' time entries
    with django_assert_num_queries(6):
        assert client.get(reverse("bill-list")).status_code == 200

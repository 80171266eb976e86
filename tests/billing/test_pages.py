"""Billing pages: who may see and do what, the generate-review-finalize flow, downloads."""

from datetime import date

import pytest
from django.urls import reverse

from billing.models import BillingRun
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


def bill_month(persons, region):
    for index, person in enumerate(persons):
        if index % 2:
            CoverageFactory(person=person)
        else:
            MeansTestFactory(person=person)
        TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
        TimeEntryFactory(person=person, service_date=date(2024, 3, 5), minutes=5)
    return generate_bills(month=MARCH, regional_program=region)


@pytest.fixture
def run(person, rate, region):
    return bill_month([person], region)


@pytest.fixture
def self_pay_bill(run):
    return run.bills.get(payer_type="self_pay")


@pytest.fixture
def foreign_run(other_case_manager, rate):
    stranger = PersonFactory(case_manager=other_case_manager)
    CaseEpisodeFactory(person=stranger)
    return bill_month([stranger], other_case_manager.regional_program)


def page_urls(run, bill):
    return [
        reverse("billing:run-list"),
        reverse("billing:run-detail", args=[run.pk]),
        reverse("billing:run-csv", args=[run.pk]),
        reverse("billing:bill-detail", args=[bill.pk]),
        reverse("billing:bill-pdf", args=[bill.pk]),
    ]


def test_anonymous_visitors_are_sent_to_login(client, run, self_pay_bill):
    for url in page_urls(run, self_pay_bill):
        assert client.get(url).status_code == 302, url


def test_case_managers_may_not_see_billing(client_for, case_manager, run, self_pay_bill):
    client = client_for(case_manager)
    for url in page_urls(run, self_pay_bill):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", ["reimbursement_officer", "supervisor", "reviewer"])
def test_readers_see_every_page(request, client_for, persona, run, self_pay_bill):
    client = client_for(request.getfixturevalue(persona))
    for url in page_urls(run, self_pay_bill):
        assert client.get(url).status_code == 200, url


def test_another_programs_run_and_bills_are_404(client_for, reimbursement_officer, foreign_run):
    client = client_for(reimbursement_officer)
    bill = foreign_run.bills.get()
    for url in page_urls(foreign_run, bill)[1:]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("billing:run-finalize", args=[foreign_run.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "reviewer", "case_manager"])
def test_only_reimbursement_officers_generate_and_finalize(request, client_for, persona, run):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("billing:run-generate"), {"month": "2024-03"}).status_code == 403
    finalize = reverse("billing:run-finalize", args=[run.pk])
    assert client.post(finalize, {"confirm": "on"}).status_code == 403
    run.refresh_from_db()
    assert run.status == BillingRun.Status.DRAFT


def test_generate_shows_progress_then_the_bills(
    client_for, reimbursement_officer, person, rate, django_capture_on_commit_callbacks
):
    MeansTestFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    client = client_for(reimbursement_officer)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("billing:run-generate"), {"month": "2024-03"})
    run = BillingRun.objects.get()
    assert response.url == reverse("billing:run-detail", args=[run.pk])
    page = client.get(response.url)
    assert b'id="run-progress"' in page.content and b"every 2s" in page.content

    callbacks[0]()  # the worker's turn: the task runs eagerly in tests

    poll = client.get(response.url + "?progress=1", headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    page = client.get(response.url)
    assert b"Totals by payer" in page.content
    assert b"no Standard Means Test" not in page.content
    assert person.last_name.encode() in page.content


@pytest.mark.parametrize(
    ("month", "message"),
    [("2024-13", b"not a month"), ("", b"This field is required"), ("2999-01", b"has not ended")],
)
def test_generate_names_the_bad_month(client_for, reimbursement_officer, month, message):
    response = client_for(reimbursement_officer).post(
        reverse("billing:run-generate"), {"month": month}
    )
    assert response.status_code == 400
    assert message in response.content
    assert not BillingRun.objects.exists()


def test_finalize_needs_confirmation_then_freezes(client_for, reimbursement_officer, run):
    client = client_for(reimbursement_officer)
    url = reverse("billing:run-finalize", args=[run.pk])
    assert b"I reviewed every bill" in client.get(url).content
    refused = client.post(url, {})
    assert refused.status_code == 400 and b"This field is required" in refused.content
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert b"is finalized" in response.content
    run.refresh_from_db()
    assert run.status == BillingRun.Status.FINALIZED
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400 and b"Only a draft run" in again.content


def test_bill_detail_shows_the_unit_math_and_logs_the_view(
    client_for, reimbursement_officer, self_pay_bill
):
    response = client_for(reimbursement_officer).get(
        reverse("billing:bill-detail", args=[self_pay_bill.pk])
    )
    assert b"30 min = 2 x 15 + 0: 2 units" in response.content
    assert b"5 min = 0 x 15 + 5: 0 units (under 8 dropped)" in response.content
    log = AccessLog.objects.get()
    assert (log.person, log.view) == (self_pay_bill.person, "billing:bill-detail")


def test_downloads(client_for, reimbursement_officer, person, rate, region):
    CoverageFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=30)
    run = generate_bills(month=MARCH, regional_program=region)
    client = client_for(reimbursement_officer)
    claims = client.get(reverse("billing:run-837p", args=[run.pk]))
    assert claims.status_code == 200 and claims.content.startswith(b"ISA*")
    assert "attachment" in claims["Content-Disposition"]
    csv = client.get(reverse("billing:run-csv", args=[run.pk]))
    assert csv.content.startswith(b"run,month")
    # Each export is a view of every person in it: one access-log row per person.
    logged = AccessLog.objects.values_list("person", "view").order_by("view")
    assert list(logged) == [(person.pk, "billing:run-837p"), (person.pk, "billing:run-csv")]
    medicaid_bill = run.bills.get()
    assert client.get(reverse("billing:bill-pdf", args=[medicaid_bill.pk])).status_code == 404


def test_run_without_claims_has_no_837p(client_for, reimbursement_officer, run):
    response = client_for(reimbursement_officer).get(reverse("billing:run-837p", args=[run.pk]))
    assert response.status_code == 404


def test_reimbursement_officer_lands_on_the_runs(client_for, reimbursement_officer):
    response = client_for(reimbursement_officer).get(reverse("home"))
    assert response.url == reverse("billing:run-list")


@pytest.mark.parametrize("size", [2, 20])
def test_pages_query_counts_do_not_grow_with_the_run(
    client_for, reimbursement_officer, case_manager, rate, region, size, django_assert_num_queries
):
    persons = [PersonFactory(case_manager=case_manager) for _ in range(size)]
    for person in persons:
        CaseEpisodeFactory(person=person)
    run = bill_month(persons, region)
    bill = run.bills.filter(payer_type="self_pay").first()
    client = client_for(reimbursement_officer)
    # Every page: session, user with its role, the user's program (header) = 3. Then its
    # own reads:
    # run list: its cache's versions (records and the program's staffing), runs with
    # counts, case managers counted, a page of them, their qualifications (5)
    # run detail: run, totals by payer, bills with person and coverage, excluded entries (4)
    # bill detail: bill, lines, their time entries, entry authors, access-log insert (5)
    for url, count in [
        (reverse("billing:run-list"), 8),
        (reverse("billing:run-detail", args=[run.pk]), 7),
        (reverse("billing:bill-detail", args=[bill.pk]), 8),
    ]:
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200

"""A reimbursement officer generates a month, reviews it, finalizes it and downloads the files."""

from datetime import date

from playwright.sync_api import expect

from tests.e2e.helpers import check_page, login_as
from tests.factories import CaseEpisodeFactory, PersonFactory, TimeEntryFactory
from tests.factories.billing import CoverageFactory, MeansTestFactory, RateFactory


def _person_with_time(case_manager, last_name):
    person = PersonFactory(case_manager=case_manager, last_name=last_name)
    CaseEpisodeFactory(person=person)
    TimeEntryFactory(person=person, service_date=date(2024, 3, 4), minutes=38)
    return person


def test_reimbursement_officer_generates_reviews_finalizes_and_downloads(
    page, reimbursement_officer, case_manager
):
    RateFactory()
    MeansTestFactory(person=_person_with_time(case_manager, "Selfpay"))
    CoverageFactory(person=_person_with_time(case_manager, "Medicaid"))

    login_as(page, reimbursement_officer)
    expect(page.get_by_role("heading", level=1)).to_have_text("Billing")
    check_page(page, "billing-runs")

    page.get_by_label("Month").fill("2024-03")
    page.get_by_role("button", name="Generate draft").click()
    expect(page.get_by_role("heading", name="Totals by payer")).to_be_visible()
    bills = page.locator("section", has=page.get_by_role("heading", name="Bills", exact=True))
    expect(bills.get_by_role("row")).to_have_count(3)  # the header and two bills
    check_page(page, "billing-run-draft")

    bills.get_by_role("link", name="Selfpay").click()
    expect(page.get_by_role("heading", name="Unit math, day by day")).to_be_visible()
    check_page(page, "bill-detail")
    with page.expect_download() as statement:
        page.get_by_role("link", name="Statement (PDF)").click()
    assert statement.value.suggested_filename.endswith(".pdf")
    assert statement.value.path().read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="March 2024").first.click()  # the breadcrumb back to the run
    page.get_by_role("link", name="Finalize").click()
    page.get_by_role("button", name="Finalize the run").click()  # not confirmed yet
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "billing-finalize-error")
    page.get_by_label("I reviewed every bill").check()
    page.get_by_role("button", name="Finalize the run").click()
    expect(page.get_by_role("status")).to_contain_text("is finalized")
    expect(page.get_by_role("link", name="Finalize")).to_have_count(0)
    check_page(page, "billing-run-final")

    with page.expect_download() as claims:
        page.get_by_role("link", name="837P claims").click()
    assert claims.value.path().read_text().startswith("ISA*")

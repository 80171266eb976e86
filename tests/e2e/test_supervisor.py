"""A supervisor reads the dashboard, drills down to one finding and acknowledges it."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from compliance.services import evaluate_compliance
from tests.e2e.helpers import check_page, login_as
from tests.factories import CaseEpisodeFactory, PersonFactory


def test_supervisor_drills_down_from_the_dashboard_and_acknowledges_a_finding(
    page, supervisor, case_manager
):
    # A case opened about three months ago with no contact since: monthly contacts are missed.
    person = PersonFactory(case_manager=case_manager, last_name="Okafor")
    CaseEpisodeFactory(person=person, opened_on=timezone.localdate() - timedelta(days=95))
    evaluate_compliance(actor=supervisor)

    login_as(page, supervisor)
    expect(page.get_by_role("heading", level=1)).to_have_text("Program dashboard")
    check_page(page, "dashboard")

    page.get_by_role("link", name="open findings").first.click()  # the first rule's count
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance findings")
    check_page(page, "finding-list")

    row = page.get_by_role("row").filter(has_text="Okafor").filter(has_text="Monthly contact")
    row.first.get_by_role("link", name="Details").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monthly contact")

    note = page.get_by_role("textbox", name="Note")
    page.get_by_role("button", name="Acknowledge").click()  # without a note: the browser stops it
    assert note.evaluate("element => element.validity.valueMissing")
    check_page(page, "finding-detail-open")

    note.fill("Spoke with the case manager; a visit is booked for next week.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Finding acknowledged.")
    expect(page.get_by_role("main")).to_contain_text(f"Acknowledged by {supervisor}")
    check_page(page, "finding-detail")

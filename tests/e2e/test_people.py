"""A case manager finds a person on the caseload and enrolls a new one, by keyboard."""

from playwright.sync_api import expect

from tests.e2e.helpers import check_page, login_as, tab_to
from tests.factories import CaseEpisodeFactory, PersonFactory


def test_case_manager_finds_a_person_and_opens_the_record(page, case_manager, person):
    other = PersonFactory(case_manager=case_manager, last_name="Zimmerman")
    CaseEpisodeFactory(person=other)
    login_as(page, case_manager)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    expect(page.get_by_role("status")).to_have_text("2 persons")
    check_page(page, "caseload")

    page.get_by_label("Search").fill(person.last_name)  # htmx narrows the list as one types
    expect(page.get_by_role("status")).to_have_text("1 person")
    page.get_by_role("link", name=f"{person.last_name}, {person.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.last_name)
    check_page(page, "person-record")


def test_enrolling_by_keyboard_shows_errors_next_to_fields_then_opens_the_case(page, case_manager):
    login_as(page, case_manager)
    page.goto("/persons/enroll/")
    first_name = page.get_by_label("First name")
    tab_to(page, first_name)
    page.keyboard.press("Enter")  # submit the empty form

    expect(first_name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_first_name_error")).to_have_attribute("role", "alert")
    check_page(page, "enroll-errors")

    tab_to(page, page.get_by_label("First name"))
    page.keyboard.type("Jordan")
    tab_to(page, page.get_by_label("Last name"))
    page.keyboard.type("Keyes")
    tab_to(page, page.get_by_label("Date of birth"))
    page.keyboard.type("04152001")
    tab_to(page, page.get_by_label("Medicaid ID"))
    page.keyboard.type("123456789012")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Keyes, Jordan")
    expect(page.get_by_role("status")).to_contain_text("is enrolled")

"""A case manager's day, keyboard only: find a person, log a contact, see it count."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import check_page, login_as, tab_to


def test_case_manager_logs_a_contact_by_keyboard_and_the_worklist_updates(
    page, case_manager, person
):
    login_as(page, case_manager)
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")
    due_this_month = page.locator("section", has=page.get_by_role("heading", name="Due this month"))
    monthly_row = (
        due_this_month.get_by_role("row")
        .filter(has_text=person.last_name)
        .filter(has_text="Monthly contact")
    )
    expect(monthly_row).to_have_count(1)
    check_page(page, "worklist")

    # Find the person from the caseload search, then do everything else from the keyboard.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    page.get_by_label("Search").fill(person.last_name)
    expect(page.get_by_role("status")).to_have_text("1 person")
    record_link = page.get_by_role("link", name=f"{person.last_name}, {person.first_name}")
    tab_to(page, record_link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person.last_name)

    tab_to(page, page.get_by_role("link", name="Log a contact").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a contact")
    date = page.get_by_role("textbox", name="Date", exact=True)
    expect(date).to_be_focused()  # autofocus, with today filled in
    expect(date).not_to_be_empty()
    check_page(page, "contact-form")

    tab_to(page, page.get_by_role("spinbutton", name="Minutes", exact=True))
    page.keyboard.type("35")
    # Tab enters the radio group at the checked mode (the last one used: phone); arrows move it.
    tab_to(page, page.get_by_role("radio", name="Phone"))
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Face to face")).to_be_checked()
    tab_to(page, page.get_by_role("checkbox", name="The person"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("combobox", name="Location"))
    page.keyboard.press("s")  # a select jumps to "Service setting" by its first letter
    expect(page.get_by_role("combobox", name="Location")).to_have_value("service_setting")
    tab_to(page, page.get_by_role("textbox", name="Note"))
    page.keyboard.type("Visited at the day program; reviewed the plan's job outcome.")
    tab_to(page, page.get_by_role("button", name="Sign and save"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Contact logged and signed.")
    check_page(page, "contact-detail")

    page.goto(f"/persons/{person.pk}/")
    timeline = page.get_by_role("list", name="Timeline, newest first")
    expect(timeline).to_contain_text(re.compile(r"Face to face contact\s*· 35 min"))
    expect(timeline).to_contain_text("reviewed the plan's job outcome")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Worklist").click()
    expect(monthly_row).to_have_count(0)

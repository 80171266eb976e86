"""Each role logs in through the form and lands on its own page; a reviewer audits a history."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_page, login_as

LANDINGS = [
    ("case_manager", "Worklist"),
    ("supervisor", "Program dashboard"),
    ("reimbursement_officer", "Billing"),
    ("reviewer", "Statewide overview"),
]


def test_login_page_is_accessible(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    check_page(page, "login")


def test_wrong_password_is_announced_next_to_the_form(page, case_manager):
    login_page = page
    login_page.goto("/login/")
    login_page.get_by_label("Username").fill("alice")
    login_page.get_by_label("Password").fill("not her password")
    login_page.get_by_role("button", name="Log in").click()
    expect(login_page.get_by_role("alert")).to_contain_text("correct username and password")
    check_page(login_page, "login-error")


@pytest.mark.parametrize(("persona", "heading"), LANDINGS)
def test_each_role_lands_on_its_page(request, page, person, persona, heading):
    user = request.getfixturevalue(persona)
    login_as(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_page(page, f"landing-{persona}")


def test_reviewer_opens_a_persons_history_in_the_admin(page, reviewer, person):
    login_as(page, reviewer)
    page.get_by_role("link", name="Admin").first.click()
    check_page(page, "admin-index")
    page.goto(f"/admin/people/person/{person.pk}/change/")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("View history")
    expect(page.locator("#change-history")).to_contain_text("Created")
    check_page(page, "admin-person-history")


def test_unknown_page_shows_the_404_page_with_a_way_back(page, case_manager):
    login_as(page, case_manager)
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_page(page, "error-404")
    page.get_by_role("link", name="Back to your start page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Worklist")


def test_pages_fit_a_tablet_and_the_skip_link_is_first(page, supervisor, person):
    page.set_viewport_size({"width": 768, "height": 1024})
    login_as(page, supervisor)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        page.evaluate(
            """() => [...document.querySelectorAll('body *')]
        .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(element => !element.parentElement.closest('.table-wrap, .compliance-scroll'))
        .map(element => element.tagName + '.' + element.className)"""
        )
    )
    check_page(page, "tablet-dashboard")

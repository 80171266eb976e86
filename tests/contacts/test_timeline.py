"""The person timeline: every kind of event newest first, paginated, bounded queries."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts import services
from contacts.models import Contact, TimeEntry
from contacts.sections import timeline_section
from contacts.selectors import TIMELINE_PAGE_SIZE, timeline_page
from people.models import AccessLog
from tcm import versions

pytestmark = pytest.mark.django_db


def kinds(person, page=1):
    return [event.kind for event in timeline_page(person, page)]


def test_every_kind_of_event_newest_first(case_manager, person, contact_args):
    today = timezone.localdate()
    first = services.log_contact(**contact_args | {"contact_date": today - timedelta(days=5)})
    services.log_time_entry(
        actor=case_manager,
        person=person,
        service_date=today - timedelta(days=3),
        minutes=10,
        activity="documentation",
    )
    services.add_addendum(actor=case_manager, contact=first, text="Late detail.")
    services.void_contact(actor=case_manager, contact=first, reason="Duplicate")

    # Addendum and void happened today, after the time entry dated three days ago.
    assert kinds(person) == ["contact_void", "addendum", "time_entry", "contact"]


def test_pages_hold_a_fixed_number_of_events(person, many_contacts):
    many_contacts(person, TIMELINE_PAGE_SIZE + 3)
    assert len(kinds(person, 1)) == TIMELINE_PAGE_SIZE
    assert len(kinds(person, 2)) == 3
    assert len(kinds(person, "not a number")) == TIMELINE_PAGE_SIZE


@pytest.fixture
def many_contacts(case_manager):
    """`n` signed contacts with their direct-contact time, written in bulk for speed."""

    def make(person, n):
        now = timezone.now()
        contacts = Contact.objects.bulk_create(
            Contact(
                person=person,
                author=case_manager,
                contact_date=date(2024, 1, 1) + timedelta(days=i % 600),
                minutes=20,
                mode="phone",
                with_person=True,
                note=f"Call {i}",
                signed_at=now,
            )
            for i in range(n)
        )
        TimeEntry.objects.bulk_create(
            TimeEntry(
                person=person,
                author=case_manager,
                service_date=c.contact_date,
                minutes=20,
                activity="direct_contact",
                contact=c,
            )
            for c in contacts
        )
        # Bulk writes send no save signals: they bump the page versions themselves.
        versions.bump_persons([person.pk])

    return make


@pytest.mark.parametrize("viewer", ["case_manager", "supervisor", "reviewer"])
@pytest.mark.parametrize("page_name", ["contacts:person-timeline", "people:person-detail"])
def test_timeline_queries_do_not_grow_from_10_to_1000_contacts(
    client_for, request, person, many_contacts, viewer, page_name, django_assert_num_queries
):
    """The same count at 10 and at 1,000 contacts, on the timeline page and on the
    person page that embeds it. The timeline page takes at most 8: session, user
    with its role, person, the page of the union (with one row more, never a COUNT),
    the page's contacts, their time entries with the gate's EXISTS, the access-log
    insert and the user's program (page header); the person page adds its own header
    queries."""
    client = client_for(request.getfixturevalue(viewer))
    url = reverse(page_name, args=[person.pk])
    many_contacts(person, 10)
    client.get(url)
    cache.clear()  # both counts are of a page rendered afresh (tcm.page_cache)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    many_contacts(person, 990)
    with django_assert_num_queries(len(small)):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="contacts-event contacts-contact"') == TIMELINE_PAGE_SIZE
    if page_name == "contacts:person-timeline":
        assert len(small) <= 8


def test_more_button_returns_only_the_next_rows(client_for, case_manager, person, many_contacts):
    many_contacts(person, TIMELINE_PAGE_SIZE + 1)
    client = client_for(case_manager)
    url = reverse("contacts:person-timeline", args=[person.pk])
    first = client.get(url).content.decode()
    assert f'hx-get="{url}?page=2"' in first
    more = client.get(f"{url}?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in more and more.count('class="contacts-event') == 1
    assert "hx-get" not in more
    # The htmx fragment is part of the page already logged: one access-log row.
    assert AccessLog.objects.filter(view="contacts:person-timeline").count() == 1


def test_person_page_section_for_each_role(rf_request, person, logged_contact):
    for role_user, writable in (("case_manager", True), ("supervisor", False)):
        section = timeline_section(rf_request(role_user), person)
        assert section.title == "Timeline" and section.anchor == "timeline"
        html = render_to_string(section.template, section.context)
        assert logged_contact.note in html
        assert ("Log a contact" in html) is writable
    assert timeline_section(rf_request("reimbursement_officer"), person) is None


@pytest.fixture
def rf_request(request):
    def build(persona):
        req = RequestFactory().get("/persons/1/")
        req.user = request.getfixturevalue(persona)
        return req

    return build


def test_time_entries_show_their_non_billable_reasons(client_for, case_manager, person):
    person.episodes.update(opened_on=timezone.localdate())
    services.log_time_entry(
        actor=case_manager,
        person=person,
        service_date=timezone.localdate() - timedelta(days=1),
        minutes=15,
        activity="travel",
    )
    page = client_for(case_manager).get(reverse("contacts:person-timeline", args=[person.pk]))
    assert "Case not open on the service date" in page.content.decode()


def test_person_page_links_to_log_a_contact_in_one_click(client_for, case_manager, person):
    page = client_for(case_manager).get(reverse("people:person-detail", args=[person.pk]))
    html = page.content.decode()
    assert 'id="timeline"' in html
    assert reverse("contacts:contact-create", args=[person.pk]) in html

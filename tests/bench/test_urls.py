"""The load benchmark's yardsticks answer as bench/load.py expects, and the contact's
write alone writes what logging a contact writes."""

from datetime import date

import pytest

from contacts.models import Contact, TimeEntry
from tcm import versions

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

POSTED = {
    "contact_date": "2026-03-02",
    "minutes": "15",
    "mode": "phone",
    "with_whom": "person",
    "note": "Phone check-in during the load benchmark.",
}


def test_the_bare_view_answers_without_a_query(client_for, case_manager, django_assert_num_queries):
    client = client_for(case_manager)
    client.get("/bench/bare/")  # the session's first read
    with django_assert_num_queries(2):  # the session and the user, as every page
        answer = client.post("/bench/bare/", POSTED)
    assert (answer.status_code, answer.content) == (200, b"ok")


def test_the_contact_write_alone_writes_a_signed_contact_its_time_and_their_history(
    client_for, case_manager, person
):
    before = versions.current(versions.person_scope(person.pk))

    answer = client_for(case_manager).post(f"/bench/contact-write/{person.pk}/", POSTED)

    assert answer.status_code == 201
    contact = Contact.objects.get()
    assert (contact.person, contact.author, contact.contact_date) == (
        person,
        case_manager,
        date(2026, 3, 2),
    )
    assert contact.is_signed and contact.minutes == 15 and contact.note == POSTED["note"]
    entry = TimeEntry.objects.get()
    assert (entry.contact, entry.minutes, entry.activity) == (contact, 15, "direct_contact")
    assert contact.history.get().history_type == entry.history.get().history_type == "+"
    assert versions.current(versions.person_scope(person.pk)) > before

"""The bench generator at a tiny N: realistic shape, valid keys, usable afterwards."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Count

from bench.generate import DAYS_OVER_24_HOURS, PERSONS_PER_CASE_MANAGER, generate
from contacts.models import Contact, TimeEntry
from people.models import Person
from tcm.models import User
from tcm.roles import Role

TODAY = date(2026, 11, 15)


@pytest.fixture
def generated(db):
    if connection.vendor != "postgresql":
        pytest.skip("the bench generator streams with PostgreSQL COPY")
    return generate(60, today=TODAY)


def test_counts_match_the_rows_in_the_database(generated):
    assert generated["people_person"] == Person.objects.count() == 60
    assert generated["contacts_contact"] == Contact.objects.count()
    assert generated["contacts_timeentry"] == TimeEntry.objects.count()


def test_every_case_manager_carries_at_most_a_full_caseload(generated):
    caseloads = User.objects.with_role(Role.CASE_MANAGER).annotate(size=Count("caseload"))
    assert max(user.size for user in caseloads) <= PERSONS_PER_CASE_MANAGER
    assert all(person.case_manager.is_case_manager for person in Person.objects.all())


def test_two_years_of_contacts_with_gaps(generated):
    contacts = Contact.objects.filter(with_person=True, successful=True)
    first = contacts.order_by("contact_date").first().contact_date
    assert first < date(2024, 12, 1)
    months = contacts.values("person", "contact_date__year", "contact_date__month").distinct()
    # Some person-months have no successful contact with the person: compliance finds things.
    assert months.count() < Person.objects.count() * 24


def test_contacts_create_their_time_entries(generated):
    contact = Contact.objects.filter(mode="face_to_face").first()
    activities = set(contact.time_entries.values_list("activity", flat=True))
    assert activities == {"direct_contact", "travel"}


def test_foreign_keys_are_back_and_sequences_moved_past_the_keys(generated, case_manager):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = 'contacts_timeentry'::regclass"
        )
        assert cursor.fetchone()[0] == 4
    person = Person.objects.first()
    entry = TimeEntry.objects.create(
        person=person, author=case_manager, service_date=TODAY, minutes=15, activity="other"
    )
    assert entry.pk > generated["contacts_timeentry"]


def test_the_24_hour_rule_is_on_again_and_held_by_the_data(generated):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgname = 'contacts_timeentry_day_total'"
        )
        assert cursor.fetchone() == ("O",)  # fires on every insert again
        cursor.execute(DAYS_OVER_24_HOURS)
        assert cursor.fetchone() is None


def test_the_month_in_progress_holds_only_its_days_share_of_contacts(db):
    """A month's contacts of a whole caseload on its first day alone would put the case
    manager over 24 hours, which the generator's final check refuses."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench generator streams with PostgreSQL COPY")
    generate(60, today=date(2026, 12, 2))
    assert Contact.objects.filter(contact_date=date(2026, 12, 1)).count() < 15


def test_refuses_a_database_that_has_persons(generated):
    with pytest.raises(RuntimeError, match="empty database"):
        generate(1, today=TODAY)

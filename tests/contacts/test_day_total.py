"""The database refuses more than 24 hours of one author's time on one day, whoever
writes it (contacts/migrations/0007), on SQLite and PostgreSQL alike."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from contacts.models import TimeEntry
from tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db

DAY = date(2024, 2, 29)


def test_a_day_may_hold_24_hours_and_not_a_minute_more(case_manager, person):
    TimeEntryFactory(person=person, author=case_manager, service_date=DAY, minutes=1400)
    TimeEntryFactory(person=person, author=case_manager, service_date=DAY, minutes=40)
    with pytest.raises(IntegrityError, match="contacts_timeentry_day_total"), transaction.atomic():
        TimeEntryFactory(person=person, author=case_manager, service_date=DAY, minutes=1)
    assert TimeEntry.objects.filter(service_date=DAY).count() == 2


def test_a_statement_of_several_entries_is_refused_as_a_whole(case_manager, person):
    entries = [
        TimeEntry(person=person, author=case_manager, service_date=DAY, minutes=minutes)
        for minutes in (1000, 441)
    ]
    with pytest.raises(IntegrityError, match="contacts_timeentry_day_total"), transaction.atomic():
        TimeEntry.objects.bulk_create(entries)
    assert not TimeEntry.objects.exists()


def test_only_the_authors_own_live_time_on_that_day_counts(case_manager, peer_case_manager, person):
    TimeEntryFactory(person=person, author=case_manager, service_date=DAY, minutes=1440, void=True)
    TimeEntryFactory(person=person, author=peer_case_manager, service_date=DAY, minutes=1440)
    TimeEntryFactory(
        person=person, author=case_manager, service_date=date(2024, 2, 28), minutes=1440
    )
    TimeEntryFactory(
        person=person, author=case_manager, service_date=date(2024, 3, 1), minutes=1440
    )
    assert TimeEntryFactory(person=person, author=case_manager, service_date=DAY, minutes=1440).pk

"""tcm.history: history rows written in SQL match what simple-history writes from Python."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from compliance.models import Finding
from contacts.models import TimeEntry
from tcm import versions
from tcm.history import insert_created, record_history, record_opened_or_changed
from tests.factories import ContactFactory, PersonFactory, TimeEntryFactory
from tests.factories.compliance import FindingFactory

pytestmark = pytest.mark.django_db


def test_copies_each_row_of_the_queryset_with_type_reason_and_user(supervisor):
    person = PersonFactory()
    kept = FindingFactory(person=person, evidence={"contacts_in_period": 2})
    FindingFactory(person=person, period_start=date(2024, 2, 1), period_end=date(2024, 2, 29))
    when = timezone.now()

    written = record_history(
        Finding.objects.filter(pk=kept.pk),
        history_type="~",
        when=when,
        reason="compliance evaluation",
        user=supervisor,
    )

    assert written == 1
    latest = kept.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", "compliance evaluation")
    assert (latest.history_date, latest.history_user) == (when, supervisor)
    assert latest.instance == kept
    assert latest.evidence == {"contacts_in_period": 2}
    assert latest.person_id == person.pk
    assert kept.history.count() == 2  # the factory's save, then ours


def test_writes_nothing_for_an_empty_queryset():
    when = timezone.now()
    assert record_history(Finding.objects.none(), history_type="+", when=when, reason="x") == 0


def test_inserted_records_get_their_own_ids_and_one_created_row_each(case_manager):
    """Several rows in one statement: each record gets the id of its own row, in order."""
    person = PersonFactory(case_manager=case_manager)
    records = [
        TimeEntryFactory.build(person=person, author=case_manager, minutes=minutes, activity=kind)
        for minutes, kind in [(10, "travel"), (20, "documentation"), (30, "meeting")]
    ]
    when = timezone.now()

    insert_created(records, when=when, user=case_manager)

    for record in records:
        stored = TimeEntry.objects.get(pk=record.pk)
        assert (stored.minutes, stored.activity) == (record.minutes, record.activity)
        assert stored.created_at == record.created_at  # set as a save sets it
        (created,) = stored.history.all()
        assert (created.history_type, created.history_date) == ("+", when)
        assert (created.history_user, created.minutes) == (case_manager, record.minutes)
        assert not record._state.adding


def test_a_later_batch_names_the_record_inserted_before_it_in_the_same_statement(
    case_manager, django_assert_num_queries
):
    """A contact and its time entries, which name it before it has an id, with their
    history and the person's page versions: one statement on PostgreSQL."""
    person = PersonFactory(case_manager=case_manager)
    contact = ContactFactory.build(person=person, author=case_manager)
    entries = [
        TimeEntryFactory.build(person=person, author=case_manager, contact=contact, activity=kind)
        for kind in ["direct_contact", "travel"]
    ]
    entries.append(TimeEntryFactory.build(person=person, author=case_manager, contact=None))
    before = versions.current(versions.person_scope(person.pk))
    when = timezone.now()

    statements = 1 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(statements) as log:
        insert_created(
            [contact],
            entries,
            when=when,
            user=case_manager,
            also=versions.bump_persons_statement([person.pk]),
        )

    assert "contacts_contact" in log.captured_queries[0]["sql"]  # the log shows it, prepared

    named = TimeEntry.objects.filter(contact=contact).order_by("pk")
    assert [entry.pk for entry in named] == [entries[0].pk, entries[1].pk]
    assert [entry.contact_id for entry in entries] == [contact.pk, contact.pk, None]
    assert entries[0].contact is contact
    assert TimeEntry.objects.get(pk=entries[2].pk).contact_id is None
    (created,) = contact.history.all()
    assert (created.history_type, created.history_user, created.history_date) == (
        "+",
        case_manager,
        when,
    )
    for entry in entries:
        (entry_created,) = TimeEntry.history.filter(id=entry.pk)
        assert (entry_created.history_type, entry_created.contact_id) == ("+", entry.contact_id)
    assert versions.current(versions.person_scope(person.pk)) == (before[0] + 1,)


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
)


def _insert_time(person, author, minutes):
    entry = TimeEntryFactory.build(person=person, author=author, minutes=minutes)
    insert_created([entry], when=timezone.now(), user=author)
    return entry


def _prepared_inserts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["WITH new_0 AS (INSERT INTO%"],
        )
        return cursor.fetchone()[0]


@on_postgresql
def test_the_same_write_is_planned_once_per_connection(case_manager):
    """The busiest write is prepared (tcm.prepared): the same shape twice is one
    prepared statement, which the second write reuses."""
    person = PersonFactory(case_manager=case_manager)
    _insert_time(person, case_manager, 10)
    _insert_time(person, case_manager, 20)

    assert _prepared_inserts() == 1
    assert sorted(TimeEntry.objects.values_list("minutes", flat=True)) == [10, 20]


@on_postgresql
def test_a_refused_prepared_write_leaves_the_connection_writing(case_manager):
    """The database refuses a write (its 24-hour rule) after the statement was prepared,
    and again on the statement's first run: the connection goes on writing with it."""
    person = PersonFactory(case_manager=case_manager)
    _insert_time(person, case_manager, 1400)
    for _ in range(2):
        with pytest.raises(IntegrityError, match="day_total"), transaction.atomic():
            _insert_time(person, case_manager, 41)

    entry = _insert_time(person, case_manager, 40)

    assert TimeEntry.objects.get(pk=entry.pk).minutes == 40
    assert sorted(TimeEntry.objects.values_list("minutes", flat=True)) == [40, 1400]


def test_one_statement_copies_new_rows_as_created_and_the_others_as_changed(
    django_assert_num_queries,
):
    person = PersonFactory()
    old = FindingFactory(person=person)
    when = timezone.now()
    new = FindingFactory(
        person=person, period_start=date(2024, 2, 1), period_end=date(2024, 2, 29), detected_at=when
    )

    with django_assert_num_queries(1):
        written = record_opened_or_changed(
            Finding.objects.filter(person=person),
            created=Q(detected_at=when),
            when=when,
            reason="compliance evaluation",
        )

    assert written == 2
    created, changed = new.history.get(history_date=when), old.history.get(history_date=when)
    assert (created.history_type, created.history_date, created.instance) == ("+", when, new)
    assert (changed.history_type, changed.history_change_reason) == ("~", "compliance evaluation")
    assert changed.instance == old
    empty = Finding.objects.none()
    assert record_opened_or_changed(empty, created=Q(pk=old.pk), when=when, reason="x") == 0

"""The contact and time services: what they write, and every rule that refuses a write."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts import services
from contacts.models import Addendum, Contact, TimeEntry
from contacts.rules import NOT_QUALIFIED
from tests.factories import (
    DesiredOutcomeFactory,
    PersonFactory,
    StaffQualificationFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> dict:
    """Run a service that must refuse; return its errors by field."""
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def nothing_written():
    return not (Contact.objects.exists() or TimeEntry.objects.exists() or Addendum.objects.exists())


def test_log_contact_signs_it_and_creates_direct_and_travel_time(contact_args, outcome):
    contact = services.log_contact(**contact_args, travel_minutes=20, outcome_ids=[outcome.pk])

    assert contact.is_signed and contact.author == contact_args["actor"]
    assert contact.with_whom == ["person", "family"]
    assert list(contact.outcomes_addressed.all()) == [outcome]
    entries = {e.activity: e.minutes for e in contact.time_entries.all()}
    assert entries == {"direct_contact": 45, "travel": 20}


def assert_created_history(record, actor, when):
    """One "+" row copying every column of the record as stored, by the actor, at `when`."""
    (created,) = record.history.filter(history_type="+")
    stored = type(record).objects.get(pk=record.pk)
    for field in type(record)._meta.concrete_fields:
        assert getattr(created, field.attname) == getattr(stored, field.attname), field.name
    assert (created.history_user, created.history_date, created.history_change_reason) == (
        actor,
        when,
        None,
    )
    return created


def test_logging_a_contact_writes_the_history_of_each_record(contact_args, outcome):
    actor = contact_args["actor"]
    contact = services.log_contact(**contact_args, travel_minutes=20, outcome_ids=[outcome.pk])

    created = assert_created_history(contact, actor, contact.signed_at)
    for entry in contact.time_entries.all():
        assert_created_history(entry, actor, contact.signed_at)
        assert entry.history.count() == 1
    # Then the outcomes, a change of their own, as simple-history records setting them.
    changed = contact.history.get(history_type="~")
    assert changed.history_user == actor
    assert not created.outcomes_addressed.exists()
    addressed = changed.outcomes_addressed.values_list("desiredoutcome_id", flat=True)
    assert list(addressed) == [outcome.pk]


def test_quick_time_writes_its_history(contact_args):
    actor = contact_args["actor"]
    entry = services.log_time_entry(
        actor=actor,
        person=contact_args["person"],
        service_date=contact_args["contact_date"],
        minutes=30,
        activity="documentation",
    )
    assert_created_history(entry, actor, entry.history.get().history_date)


def test_log_contact_without_travel_creates_only_the_direct_entry(contact_args):
    contact = services.log_contact(**contact_args)
    assert [e.activity for e in contact.time_entries.all()] == ["direct_contact"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"contact_date": timezone.localdate() + timedelta(days=1)}, "contact_date"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"travel_minutes": -1}, "travel_minutes"),
        ({"minutes": 24 * 60 + 1}, "minutes"),
        ({"location": ""}, "location"),
        ({"with_whom": []}, "with_whom"),
        ({"with_whom": ["neighbour"]}, "with_whom"),
        ({"mode": "telepathy"}, "mode"),
        ({"note": ""}, "note"),
        ({"outcome_ids": [999999]}, "outcomes_addressed"),
    ],
)
def test_log_contact_refuses_bad_input_by_field_and_writes_nothing(contact_args, override, field):
    errors = refused(services.log_contact, **(contact_args | override))
    assert field in errors
    assert nothing_written()


def test_outcome_of_another_persons_plan_is_refused(contact_args, case_manager):
    someone_else = PersonFactory(case_manager=case_manager)
    foreign = DesiredOutcomeFactory(plan__person=someone_else)
    errors = refused(services.log_contact, **contact_args, outcome_ids=[foreign.pk])
    assert "outcomes_addressed" in errors
    assert nothing_written()


def test_more_than_24_hours_a_day_across_entries_is_refused(contact_args, case_manager, yesterday):
    other = PersonFactory(case_manager=case_manager)
    TimeEntryFactory(person=other, author=case_manager, service_date=yesterday, minutes=1420)
    errors = refused(services.log_contact, **contact_args | {"minutes": 30})
    assert "would exceed 24 hours" in errors["minutes"][0]
    assert Contact.objects.count() == 0


def test_the_day_total_counts_only_the_authors_day_and_comes_with_the_other_errors(
    contact_args, case_manager, peer_case_manager, yesterday
):
    other = PersonFactory(case_manager=case_manager)
    TimeEntryFactory(person=other, author=case_manager, service_date=yesterday, minutes=1400)
    TimeEntryFactory(person=other, author=peer_case_manager, service_date=yesterday, minutes=30)
    day_before = yesterday - timedelta(days=1)
    TimeEntryFactory(person=other, author=case_manager, service_date=day_before, minutes=30)
    assert services.log_contact(**contact_args | {"minutes": 40})
    errors = refused(
        services.log_contact,
        **contact_args | {"minutes": 1, "mode": "face_to_face", "location": ""},
    )
    assert errors["minutes"] == [
        f"You already have 1440 minutes on {yesterday:%Y-%m-%d}; 1 more would exceed 24 hours "
        "in one day."
    ]
    assert "location" in errors


def test_void_time_does_not_count_towards_the_day(contact_args, case_manager, yesterday):
    TimeEntryFactory(
        person=contact_args["person"],
        author=case_manager,
        service_date=yesterday,
        minutes=1400,
        void=True,
    )
    assert services.log_contact(**contact_args | {"minutes": 30}).pk


def test_outside_scope_is_refused(contact_args, other_case_manager, peer_case_manager):
    for actor in (other_case_manager, peer_case_manager):
        errors = refused(services.log_contact, **contact_args | {"actor": actor})
        assert errors["person"] == ["No such person on your caseload."]
    assert nothing_written()


def test_failure_inside_the_transaction_writes_nothing(contact_args, monkeypatch):
    """A failure after the contact is saved (the time entry) rolls the contact back."""

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Django's own step of writing a time entry's minutes, after the contact is written.
    monkeypatch.setattr(TimeEntry._meta.get_field("minutes"), "get_db_prep_save", explode)
    with pytest.raises(RuntimeError):
        services.log_contact(**contact_args, travel_minutes=10)
    assert nothing_written()


def test_addendum_keeps_the_contact_unchanged(logged_contact):
    versions = logged_contact.history.count()
    addendum = services.add_addendum(
        actor=logged_contact.author, contact=logged_contact, text="Time was 45, not 40."
    )
    assert addendum.author == logged_contact.author
    assert logged_contact.history.count() == versions


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_addendum_is_refused(logged_contact, text):
    errors = refused(
        services.add_addendum, actor=logged_contact.author, contact=logged_contact, text=text
    )
    assert "text" in errors


def test_addendum_out_of_scope_is_refused(logged_contact, other_case_manager):
    errors = refused(
        services.add_addendum, actor=other_case_manager, contact=logged_contact, text="x"
    )
    assert "person" in errors
    assert not Addendum.objects.exists()


def test_void_contact_voids_its_time_entries(logged_contact):
    services.void_contact(
        actor=logged_contact.author, contact=logged_contact, reason="Wrong person"
    )

    logged_contact.refresh_from_db()
    assert logged_contact.is_void and logged_contact.void_reason == "Wrong person"
    assert all(entry.is_void for entry in logged_contact.time_entries.all())
    assert TimeEntry.objects.not_void().count() == 0


def test_void_needs_a_reason_and_happens_once(logged_contact):
    author = logged_contact.author
    assert "void_reason" in refused(
        services.void_contact, actor=author, contact=logged_contact, reason=" "
    )
    services.void_contact(actor=author, contact=logged_contact, reason="Duplicate")
    assert "voided_at" in refused(
        services.void_contact, actor=author, contact=logged_contact, reason="Again"
    )


def test_void_contact_with_billed_time_is_refused_naming_the_run(logged_contact):
    entry = logged_contact.time_entries.first()
    TimeEntry.objects.filter(pk=entry.pk).update(frozen_at=timezone.now())
    errors = refused(
        services.void_contact, actor=logged_contact.author, contact=logged_contact, reason="x"
    )
    month = logged_contact.contact_date.strftime("%B %Y")
    assert f"finalized bill run for {month}" in errors["contact"][0]
    assert not Contact.objects.get(pk=logged_contact.pk).is_void
    assert TimeEntry.objects.not_void().count() == 2


def test_addendum_on_a_void_contact_is_refused(logged_contact):
    services.void_contact(actor=logged_contact.author, contact=logged_contact, reason="Duplicate")
    errors = refused(
        services.add_addendum, actor=logged_contact.author, contact=logged_contact, text="x"
    )
    assert "contact" in errors


@pytest.fixture
def entry_args(case_manager, person, yesterday):
    return {
        "actor": case_manager,
        "person": person,
        "service_date": yesterday,
        "minutes": 25,
        "activity": "documentation",
        "note": "Wrote up the team meeting.",
    }


def test_log_time_entry(entry_args):
    entry = services.log_time_entry(**entry_args)
    assert (entry.minutes, entry.activity, entry.contact) == (25, "documentation", None)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"service_date": timezone.localdate() + timedelta(days=1)}, "service_date"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": 24 * 60 + 1}, "minutes"),
        ({"activity": "direct_contact"}, "activity"),
        ({"activity": "nap"}, "activity"),
    ],
)
def test_log_time_entry_refuses_bad_input(entry_args, override, field):
    assert field in refused(services.log_time_entry, **entry_args | override)
    assert nothing_written()


def test_log_time_entry_out_of_scope(entry_args, other_case_manager):
    errors = refused(services.log_time_entry, **entry_args | {"actor": other_case_manager})
    assert "person" in errors
    assert nothing_written()


def test_void_time_entry(entry_args):
    entry = services.log_time_entry(**entry_args)
    services.void_time_entry(actor=entry_args["actor"], entry=entry, reason="Duplicate")
    entry.refresh_from_db()
    assert entry.is_void and entry.voided_by == entry_args["actor"]


def test_frozen_time_entry_cannot_be_voided(entry_args):
    entry = services.log_time_entry(**entry_args)
    TimeEntry.objects.filter(pk=entry.pk).update(frozen_at=timezone.now())
    entry.refresh_from_db()
    errors = refused(services.void_time_entry, actor=entry.author, entry=entry, reason="Late")
    assert "finalized bill run" in errors["time_entry"][0]
    entry.refresh_from_db()
    assert not entry.is_void


def test_a_contacts_own_time_is_voided_through_the_contact(logged_contact):
    direct = logged_contact.time_entries.get(activity="direct_contact")
    errors = refused(services.void_time_entry, actor=direct.author, entry=direct, reason="x")
    assert "void the contact instead" in errors["time_entry"][0]
    travel = logged_contact.time_entries.get(activity="travel")
    services.void_time_entry(actor=travel.author, entry=travel, reason="Drove from home")


def test_time_on_a_day_the_author_is_not_qualified_is_kept_but_not_billable(region, person):
    """Nothing is lost: the contact and its time are saved, marked with the gate's reason."""
    unqualified = UserFactory(regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=unqualified, pcp_training_completed_on=None)
    person.case_manager = unqualified
    person.save()
    contact = services.log_contact(
        actor=unqualified,
        person=person,
        contact_date=timezone.localdate(),
        minutes=30,
        mode="phone",
        with_whom=["person"],
        note="Checked in by phone.",
    )
    [entry] = TimeEntry.objects.with_billing_gate().filter(contact=contact)
    assert entry.non_billable_reasons == [NOT_QUALIFIED]


def test_a_database_rule_no_check_foresaw_refuses_the_write_with_nothing_saved(contact_args):
    """The services check each constraint themselves; the database is the last word."""
    contact_args.pop("actor")
    with pytest.raises(ValidationError, match="Nothing was saved"), services._written():
        TimeEntry.objects.create(
            person=contact_args["person"],
            author=contact_args["person"].case_manager,
            service_date=contact_args["contact_date"],
            minutes=0,  # contacts_timeentry_minutes_in_day
            activity="documentation",
        )
    assert not TimeEntry.objects.exists()

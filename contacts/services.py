"""The business actions on contacts and time: the only way these records change.

A contact is signed by its author when it is logged and never edited after
that (SPEC.md section 3): corrections are addenda, mistakes are voided with a
reason. Every action validates everything first and raises one
ValidationError keyed by field, so a refused action writes nothing; the
writes themselves run in one transaction.
"""

from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from contacts import selectors
from contacts.models import Addendum, Contact, TimeEntry
from people.models import Person
from people.querysets import person_visible_to
from plans.models import DesiredOutcome
from tcm import versions
from tcm.history import insert_created
from tcm.models import User

MINUTES_IN_A_DAY = 24 * 60
# The database's trigger refusing more than MINUTES_IN_A_DAY of an author's time on one
# day (contacts/migrations/0007), named in its error.
DAY_TOTAL_RULE = "contacts_timeentry_day_total"


def log_contact(
    *,
    actor: User,
    person: Person,
    contact_date: date,
    minutes: int,
    mode: str,
    with_whom: Iterable[str],
    note: str,
    location: str = "",
    successful: bool = True,
    travel_minutes: int = 0,
    outcome_ids: Iterable[int] = (),
    services_declined: str = "",
    coordination: str = "",
    next_steps: str = "",
    next_steps_due_on: date | None = None,
) -> Contact:
    """Log and sign a contact, with its direct-contact time entry and any travel entry."""
    with_whom = list(with_whom)
    outcome_ids = list(outcome_ids)
    errors = _person_errors(actor, person)
    day_errors = _day_errors(
        contact_date, {"minutes": minutes, "travel_minutes": travel_minutes}, "contact_date"
    )
    errors |= day_errors
    if mode == Contact.Mode.FACE_TO_FACE and not location:
        errors["location"] = "A face-to-face contact needs its location."
    if unknown := sorted(set(with_whom) - set(Contact.WITH_WHOM_FIELDS)):
        errors["with_whom"] = f"Unknown choice: {', '.join(unknown)}."
    elif not with_whom:
        errors["with_whom"] = "Say with whom the contact was."
    if "person" not in errors:
        errors |= _outcome_errors(person, outcome_ids)
    now = timezone.now()
    contact = Contact(
        person=person,
        author=actor,
        contact_date=contact_date,
        minutes=minutes,
        travel_minutes=travel_minutes,
        mode=mode,
        location=location,
        successful=successful,
        note=note.strip(),
        services_declined=services_declined,
        coordination=coordination,
        next_steps=next_steps,
        next_steps_due_on=next_steps_due_on,
        signed_at=now,
        **{field: name in with_whom for name, field in Contact.WITH_WHOM_FIELDS.items()},
    )
    _full_clean(contact, errors)
    activities = [(TimeEntry.Activity.DIRECT_CONTACT, minutes)]
    if travel_minutes:
        activities.append((TimeEntry.Activity.TRAVEL, travel_minutes))
    entries = [
        TimeEntry(
            person=person,
            author=actor,
            service_date=contact_date,
            minutes=entry_minutes,
            activity=activity,
            contact=contact,
        )
        for activity, entry_minutes in activities
    ]
    day = (actor, contact_date, minutes + travel_minutes)
    _raise(_with_day_total(errors, day_errors, day))
    with _written(day_total=day, one_write=not outcome_ids):
        insert_new(actor, now, [contact], entries)
        if outcome_ids:  # a change of the new contact, with its own history row, as before
            contact._history_user = actor
            contact.outcomes_addressed.set(outcome_ids)
    return contact


def add_addendum(*, actor: User, contact: Contact, text: str) -> Addendum:
    """Add a correction or addition to a signed contact; the contact itself stays as signed."""
    errors = _person_errors(actor, contact.person)
    if contact.is_void:
        errors["contact"] = "This contact is void; log a new contact instead of amending it."
    addendum = Addendum(contact=contact, author=actor, text=text.strip())
    _full_clean(addendum, errors)
    _raise(errors)
    with _written():
        addendum.save()
    return addendum


def void_contact(*, actor: User, contact: Contact, reason: str) -> Contact:
    """Void a contact and the time entries it created; all stay visible, counting for nothing."""
    errors = _person_errors(actor, contact.person) | _void_errors(contact, reason)
    entries = list(contact.time_entries.filter(voided_at__isnull=True))
    frozen = next((entry for entry in entries if entry.is_frozen), None)
    if frozen is not None:
        errors["contact"] = frozen_message(frozen)
    _raise(errors)
    with transaction.atomic():
        for record in [contact, *entries]:
            _void(record, actor, reason)
    return contact


def log_time_entry(
    *,
    actor: User,
    person: Person,
    service_date: date,
    minutes: int,
    activity: str,
    note: str = "",
) -> TimeEntry:
    """Record time spent for a person outside a contact (travel, documentation, ...)."""
    day_errors = _day_errors(service_date, {"minutes": minutes}, "service_date")
    errors = _person_errors(actor, person) | day_errors
    if activity == TimeEntry.Activity.DIRECT_CONTACT:
        # The 441.18(a)(7) record of a contact lives on the contact, so direct
        # contact time only ever comes from logging one.
        errors["activity"] = "Direct contact time comes from logging a contact."
    entry = TimeEntry(
        person=person,
        author=actor,
        service_date=service_date,
        minutes=minutes,
        activity=activity,
        note=note.strip(),
    )
    _full_clean(entry, errors)
    day = (actor, service_date, minutes)
    _raise(_with_day_total(errors, day_errors, day))
    with _written(day_total=day, one_write=True):
        insert_new(actor, timezone.now(), [entry])
    return entry


def void_time_entry(*, actor: User, entry: TimeEntry, reason: str) -> TimeEntry:
    """Void one time entry, unless a finalized bill run has billed it."""
    errors = _person_errors(actor, entry.person) | _void_errors(entry, reason)
    if entry.is_frozen:
        errors["time_entry"] = frozen_message(entry)
    elif _is_live_contacts_own_time(entry):
        errors["time_entry"] = "This is a contact's own time: void the contact instead."
    _raise(errors)
    _void(entry, actor, reason)
    return entry


def _is_live_contacts_own_time(entry: TimeEntry) -> bool:
    if entry.activity != TimeEntry.Activity.DIRECT_CONTACT or entry.contact_id is None:
        return False
    return entry.contact.voided_at is None


def frozen_message(entry: TimeEntry) -> str:
    """The refusal for a billed entry, naming the bill run by its month (SPEC.md section 3)."""
    month = entry.service_date.strftime("%B %Y")
    return (
        f"This time was billed by the finalized bill run for {month} "
        f"(frozen {timezone.localtime(entry.frozen_at):%Y-%m-%d}); it cannot be changed or "
        "voided. Log late or corrected time as a new entry for the supplemental run."
    )


def _person_errors(actor: User, person: Person) -> dict:
    """The person must be one the actor may see.

    Asked of the record the caller holds, read through the actor's scope moments
    ago (a page's `visible_to`, the API's scoped field): reading the row again
    would answer the same, at the cost of a query.
    """
    if not person_visible_to(actor, person):
        return {"person": "No such person on your caseload."}
    return {}


def _day_errors(day: date, minutes_by_field: dict[str, int], day_field: str) -> dict:
    """Future dates and non-positive minutes; the day's total is `_day_total_errors`."""
    errors = {}
    if day > timezone.localdate():
        errors[day_field] = "The date cannot be in the future."
    for field, value in minutes_by_field.items():
        if value is None or value < 0 or (value == 0 and field == "minutes"):
            errors[field] = "Enter a number of minutes greater than zero."
    return errors


def _with_day_total(errors: dict, day_errors: dict, day: tuple) -> dict:
    """`errors` and the 24-hour rule's for `day` (author, date, minutes), read now when
    the write will not be tried (other errors: all are reported at once) or would be
    refused whatever is on file (more than a day's minutes at once). Otherwise the
    write's own check decides (`_written`), and nothing is read before it."""
    if day_errors or not (errors or day[2] > MINUTES_IN_A_DAY):
        return errors
    return errors | _day_total_errors(*day)


def _day_total_errors(actor: User, day: date, minutes: int) -> dict:
    """More than 24 hours for the author that day, as far as a read can tell.

    The database decides (contacts/migrations/0007: a trigger on every insert of
    time, which serializes an author's writers): this read only reports the rule
    together with the action's other errors, or says by how much a write it refused
    went over. Nothing is written either way, so no lock is needed.
    """
    already = selectors.minutes_logged(actor.pk, day)
    if already + minutes > MINUTES_IN_A_DAY:
        return {
            "minutes": f"You already have {already} minutes on {day:%Y-%m-%d}; "
            f"{minutes} more would exceed 24 hours in one day."
        }
    return {}


def _outcome_errors(person: Person, outcome_ids: list[int]) -> dict:
    """Outcome ids must name desired outcomes of this person's own plans."""
    if not outcome_ids:
        return {}
    wanted = set(outcome_ids)
    found = set(
        DesiredOutcome.objects.filter(plan__person=person, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if missing := sorted(wanted - found):
        listed = ", ".join(str(pk) for pk in missing)
        return {"outcomes_addressed": f"Not an outcome of this person's plan: {listed}."}
    return {}


def _void_errors(record: Contact | TimeEntry, reason: str) -> dict:
    errors = {}
    if record.is_void:
        errors["voided_at"] = "Already void."
    if not (reason or "").strip():
        errors["void_reason"] = "Give the reason for voiding."
    return errors


def _void(record: Contact | TimeEntry, actor: User, reason: str) -> None:
    record.voided_at = timezone.now()
    record.voided_by = actor
    record.void_reason = reason.strip()
    record.save(update_fields=["voided_at", "voided_by", "void_reason"])


# Records the caller already holds, read through the actor's scope: validating that
# they exist would cost a query each. No constraint of these models names them.
FETCHED = {"person", "author", "contact"}


def _full_clean(instance, errors: dict) -> None:
    """Add the model's own field validation to the service's errors (raised by `_raise`).

    The check constraints are not asked of the database one query each (four for
    a contact, each in its own transaction): the service checks every one of them
    itself, with a message on the field (minutes, location, with whom, void
    reason), and the database still enforces them at the write (`_written`).
    """
    exclude = set(errors) | FETCHED
    if "with_whom" in errors:
        exclude |= set(Contact.WITH_WHOM_FIELDS.values())
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)


def insert_new(actor: User, when, *batches: list) -> None:
    """Insert new records, a list per model, with their history, and bump their pages.

    The write of logging a contact or time, checks done; the load benchmark's
    "contact write alone" (bench/urls.py) sends it with no checks at all.

    The history rows are simple-history's "+" rows (every column, the date, the
    user), copied in SQL from the rows just written. The insert sends no
    post_save, so the records' persons bump their page versions (tcm.versions,
    once per transaction). On PostgreSQL all of it is one statement
    (tcm.history.insert_created): a contact, its time entries naming it by the id
    it gets there, their history and the bump.
    """
    persons = {record.person_id for batch in batches for record in batch}
    bump = versions.bump_persons_statement(persons)
    insert_created(*batches, when=when, user=actor, also=bump)


@contextmanager
def _written(*, day_total: tuple | None = None, one_write: bool = False):
    """The writes of one action, all or nothing; refused by a rule of the database, the
    action raises a ValidationError, with nothing saved, not a 500.

    The writes run in a transaction, unless they are `one_write` that is all or
    nothing by itself (tcm.history.insert_created: one statement on PostgreSQL, in
    autocommit), which saves BEGIN and COMMIT, two round trips of every contact
    logged; inside a caller's transaction even that gets a savepoint, so that a
    refusal leaves that transaction usable for the read below. `day_total`, the
    (author, day, minutes) of time written: the database's 24-hour rule names the
    field and the minutes already on that day (`_day_total_errors`).
    """
    together = not one_write or connection.in_atomic_block
    try:
        with transaction.atomic() if together else nullcontext():
            yield
    except IntegrityError as error:
        if day_total is not None and DAY_TOTAL_RULE in str(error):
            raise ValidationError(
                _day_total_errors(*day_total)
                or {"minutes": "That would exceed 24 hours in one day."}
            ) from error
        raise ValidationError(
            "Nothing was saved: the record breaks a rule of the database."
        ) from error


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)

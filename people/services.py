"""The business actions on persons: enroll, close, reopen, reassign, edit.

Each function is one action an office worker would name. Views, the API and
the admin call these, never `save()` on the models directly, so the rules
below hold whichever way a change arrives:

- a person has at most one open case episode; a reopening is a new episode
  that starts after the last one closed (SPEC.md section 2, right to refuse);
- `Person.case_manager` always names the current `CaseAssignment`, and the
  case manager is a qualified case manager of the person's program;
- bad input raises `ValidationError` keyed by field and changes nothing.

Scoping (may this actor touch this person?) is the caller's job: pages and
the API fetch the person through `Person.objects.visible_to(user)` first.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from people.models import CaseAssignment, CaseEpisode, LivingArrangement, Person, Representative
from people.selectors import assignable_case_managers
from tcm import versions
from tcm.models import RegionalProgram, User

# Demographic and contact fields a case manager may correct at any time. The
# program and case manager change only through `reassign`, episodes only
# through close and reopen, so history reads as the actions people took.
PERSON_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "medicaid_id",
    "phone",
    "address_line",
    "city",
    "state",
    "postal_code",
)
REPRESENTATIVE_FIELDS = (
    "name",
    "relationship",
    "is_family",
    "is_legal_representative",
    "is_responsible_party",
    "phone",
    "email",
    "address",
)


def _save(instance, actor: User | None) -> None:
    """Validate and save, naming `actor` in the history row even outside a request."""
    instance.full_clean()
    instance._history_user = actor
    instance.save()


def _not_in_future(field: str, day: date) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: f"{day} is in the future; record it on or after the day."})


def _check_case_manager(case_manager: User | None, program_id: int | None) -> None:
    """Refuse a case manager who is not a qualified case manager of the program today."""
    if case_manager is None:
        raise ValidationError({"case_manager": "Choose a case manager."})
    today = timezone.localdate()
    if not assignable_case_managers(program_id, today).filter(pk=case_manager.pk).exists():
        raise ValidationError(
            {
                "case_manager": f"{case_manager} is not a case manager of this regional "
                f"program who is qualified on {today}."
            }
        )


def _lock(person: Person) -> Person:
    """Lock the person's row so two clerks closing or reopening at once serialize."""
    return Person.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def enroll_person(
    *,
    actor: User,
    regional_program: RegionalProgram | None,
    case_manager: User | None,
    opened_on: date,
    arrangement: str = "",
    **fields,
) -> Person:
    """Create a person with an open case episode and their first assignment.

    `fields` are the PERSON_FIELDS; `arrangement` (optional) starts the
    living-arrangement history on the day the case opens.
    """
    if regional_program is None:
        raise ValidationError({"regional_program": "Choose a regional program."})
    own_program = actor.regional_program_id
    if own_program is not None and own_program != regional_program.pk:
        raise ValidationError(
            {"regional_program": "You can enroll persons only in your own regional program."}
        )
    _not_in_future("opened_on", opened_on)
    _check_case_manager(case_manager, regional_program.pk)
    person = Person(regional_program=regional_program, case_manager=case_manager)
    for name in PERSON_FIELDS:
        if name in fields:
            setattr(person, name, fields.pop(name))
    if fields:
        raise TypeError(f"enroll_person() got unexpected fields {sorted(fields)}")
    _save(person, actor)
    _save(CaseEpisode(person=person, opened_on=opened_on), actor)
    _save(
        CaseAssignment(
            person=person, case_manager=case_manager, assigned_on=opened_on, assigned_by=actor
        ),
        actor,
    )
    if arrangement:
        change_living_arrangement(
            actor=actor, person=person, arrangement=arrangement, effective_from=opened_on
        )
    return person


@transaction.atomic
def close_case(
    *,
    actor: User,
    person: Person,
    closed_on: date,
    closure_reason: str,
    closure_note: str = "",
) -> CaseEpisode:
    """Close the person's open episode; `refused` records the right to refuse.

    The person stays on the case manager's caseload, so the case can be
    reopened at any time; only the episode ends.
    """
    _lock(person)
    episode = person.episodes.filter(closed_on__isnull=True).first()
    if episode is None:
        raise ValidationError({"closed_on": "The case is already closed."})
    if closure_reason not in CaseEpisode.ClosureReason.values:
        raise ValidationError({"closure_reason": "Choose the reason the case closes."})
    if closed_on < episode.opened_on:
        raise ValidationError(
            {"closed_on": f"The case opened on {episode.opened_on}; it cannot close before that."}
        )
    _not_in_future("closed_on", closed_on)
    episode.closed_on = closed_on
    episode.closure_reason = closure_reason
    episode.closure_note = closure_note
    _save(episode, actor)
    return episode


@transaction.atomic
def reopen_case(*, actor: User, person: Person, opened_on: date) -> CaseEpisode:
    """Open a new episode for a closed case; earlier episodes stay as they were."""
    _lock(person)
    episodes = CaseEpisode.objects.filter(person=person)
    current = episodes.filter(closed_on__isnull=True).first()
    if current is not None:
        raise ValidationError(
            {"opened_on": f"The case is already open (since {current.opened_on})."}
        )
    _not_in_future("opened_on", opened_on)
    overlapped = episodes.overlapping(opened_on, None).order_by("-closed_on").first()
    if overlapped is not None:
        raise ValidationError(
            {
                "opened_on": f"The episode from {overlapped.opened_on} ran until "
                f"{overlapped.closed_on}; a new one must open after that."
            }
        )
    episode = CaseEpisode(person=person, opened_on=opened_on)
    _save(episode, actor)
    return episode


@transaction.atomic
def reassign(*, actor: User, persons: Iterable[Person], case_manager: User | None) -> int:
    """Move persons to another qualified case manager of their program, from today.

    Ends each current assignment today and starts a new one; persons already
    with `case_manager` are left alone. Returns how many persons moved.
    """
    persons = list(Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]))
    if not persons:
        raise ValidationError({"persons": "Choose at least one person."})
    programs = {person.regional_program_id for person in persons}
    if len(programs) > 1 or (case_manager and case_manager.regional_program_id not in programs):
        raise ValidationError(
            {"case_manager": "Persons move only to a case manager of their own regional program."}
        )
    _check_case_manager(case_manager, programs.pop())
    moving = [person for person in persons if person.case_manager_id != case_manager.pk]
    leaving = {person.case_manager_id for person in moving}
    today = timezone.localdate()
    current = list(
        CaseAssignment.objects.filter(person__in=moving, ended_on__isnull=True).select_for_update()
    )
    for assignment in current:
        assignment.ended_on = today
    for person in moving:
        person.case_manager = case_manager
    # Bulk writes with history, so a supervisor moving a whole caseload is a
    # handful of statements and every row still records who moved it.
    bulk_update_with_history(current, CaseAssignment, ["ended_on"], default_user=actor)
    bulk_update_with_history(moving, Person, ["case_manager"], default_user=actor)
    bulk_create_with_history(
        [
            CaseAssignment(
                person=person, case_manager=case_manager, assigned_on=today, assigned_by=actor
            )
            for person in moving
        ],
        CaseAssignment,
        default_user=actor,
    )
    # Bulk writes send no save signals: both worklists, each record and the
    # program's caseload sizes change.
    versions.bump_persons([person.pk for person in moving], case_manager_ids=leaving, staffing=True)
    return len(moving)


@transaction.atomic
def update_person(*, actor: User, person: Person, **fields) -> Person:
    """Correct the person's demographics and contact details (PERSON_FIELDS only)."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person() cannot change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(person, name, value)
    _save(person, actor)
    return person


@transaction.atomic
def save_representative(
    *, actor: User, person: Person, representative: Representative | None = None, **fields
) -> Representative:
    """Add a representative to the person, or change one of theirs."""
    unknown = set(fields) - set(REPRESENTATIVE_FIELDS)
    if unknown:
        raise TypeError(f"save_representative() cannot change {sorted(unknown)}")
    if representative is None:
        representative = Representative(person=person)
    elif representative.person_id != person.pk:
        raise ValidationError({"representative": "This representative belongs to someone else."})
    for name, value in fields.items():
        setattr(representative, name, value)
    _save(representative, actor)
    return representative


@transaction.atomic
def change_living_arrangement(
    *, actor: User, person: Person, arrangement: str, effective_from: date
) -> LivingArrangement:
    """Start a new living arrangement, ending the current one the day before."""
    current = person.living_arrangements.filter(effective_to__isnull=True).first()
    if current is not None:
        if effective_from <= current.effective_from:
            raise ValidationError(
                {
                    "effective_from": f"The current arrangement started on "
                    f"{current.effective_from}; a new one must start after that."
                }
            )
        current.effective_to = effective_from - timedelta(days=1)
        _save(current, actor)
    new = LivingArrangement(person=person, arrangement=arrangement, effective_from=effective_from)
    _save(new, actor)
    return new

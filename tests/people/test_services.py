"""The business actions on persons: enroll, close, reopen, reassign, edit."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from people import services
from people.models import CaseAssignment, CaseEpisode, Person
from tests.factories.people import CaseAssignmentFactory, RepresentativeFactory
from tests.factories.tcm import StaffQualificationFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def enroll(actor, case_manager, **overrides):
    values = {
        "actor": actor,
        "regional_program": case_manager.regional_program,
        "case_manager": case_manager,
        "opened_on": date(2024, 3, 1),
        "first_name": "Ada",
        "last_name": "Moore",
        "date_of_birth": date(1999, 5, 6),
        "medicaid_id": "123456789",
    }
    return services.enroll_person(**(values | overrides))


def field_errors(excinfo) -> set[str]:
    return set(excinfo.value.message_dict)


def test_enroll_opens_an_episode_and_records_the_assignment(supervisor, case_manager):
    person = enroll(supervisor, case_manager, arrangement="natural_home")

    episode = person.episodes.get()
    assert (episode.opened_on, episode.closed_on) == (date(2024, 3, 1), None)
    assignment = person.assignments.get()
    assert (assignment.case_manager, assignment.assigned_by) == (case_manager, supervisor)
    assert person.living_arrangements.get().arrangement == "natural_home"
    assert person.history.get().history_user == supervisor


def test_enroll_refuses_an_unqualified_case_manager(supervisor, region):
    unqualified = UserFactory(regional_program=region, role="case_manager")
    with pytest.raises(ValidationError) as excinfo:
        enroll(supervisor, unqualified)
    assert field_errors(excinfo) == {"case_manager"}
    assert not Person.objects.exists()


def test_enroll_refuses_another_programs_region(supervisor, other_case_manager):
    with pytest.raises(ValidationError) as excinfo:
        enroll(supervisor, other_case_manager)
    assert field_errors(excinfo) == {"regional_program"}


def test_enroll_refuses_a_duplicate_medicaid_id_and_changes_nothing(supervisor, case_manager):
    enroll(supervisor, case_manager)
    with pytest.raises(ValidationError) as excinfo:
        enroll(supervisor, case_manager, first_name="Bea")
    assert field_errors(excinfo) == {"medicaid_id"}
    assert CaseEpisode.objects.count() == 1


def test_enroll_refuses_a_future_opening(supervisor, case_manager):
    with pytest.raises(ValidationError) as excinfo:
        enroll(supervisor, case_manager, opened_on=TODAY() + timedelta(days=1))
    assert field_errors(excinfo) == {"opened_on"}


@pytest.mark.parametrize(
    ("closed_on", "reason", "field"),
    [
        (date(2019, 12, 31), "refused", "closed_on"),  # before the episode opened
        (date(2024, 1, 1), "", "closure_reason"),
        (date(2024, 1, 1), "bored", "closure_reason"),
        (date(2999, 1, 1), "moved", "closed_on"),  # in the future
    ],
)
def test_close_refuses_bad_input_and_changes_nothing(person, closed_on, reason, field):
    with pytest.raises(ValidationError) as excinfo:
        services.close_case(
            actor=person.case_manager, person=person, closed_on=closed_on, closure_reason=reason
        )
    assert field_errors(excinfo) == {field}
    assert person.episodes.get().closed_on is None


def test_closing_a_closed_case_is_refused(person):
    services.close_case(
        actor=person.case_manager, person=person, closed_on=date(2024, 1, 1), closure_reason="moved"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.close_case(
            actor=person.case_manager,
            person=person,
            closed_on=date(2024, 2, 1),
            closure_reason="moved",
        )
    assert field_errors(excinfo) == {"closed_on"}
    assert person.episodes.get().closed_on == date(2024, 1, 1)


def test_reopening_an_open_case_is_refused(person):
    with pytest.raises(ValidationError) as excinfo:
        services.reopen_case(actor=person.case_manager, person=person, opened_on=date(2024, 1, 1))
    assert field_errors(excinfo) == {"opened_on"}
    assert person.episodes.count() == 1


@pytest.mark.parametrize("opened_on", [date(2023, 6, 30), date(2022, 1, 1)])
def test_reopening_inside_the_last_episode_is_refused(person, opened_on):
    services.close_case(
        actor=person.case_manager,
        person=person,
        closed_on=date(2023, 6, 30),
        closure_reason="refused",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.reopen_case(actor=person.case_manager, person=person, opened_on=opened_on)
    assert field_errors(excinfo) == {"opened_on"}
    assert person.episodes.count() == 1


def test_refuse_close_reopen_round_trip_keeps_both_episodes_and_their_history(person):
    actor = person.case_manager
    services.close_case(
        actor=actor,
        person=person,
        closed_on=date(2023, 6, 30),
        closure_reason="refused",
        closure_note="Does not want services any more.",
    )
    services.reopen_case(actor=actor, person=person, opened_on=date(2023, 9, 1))

    first, second = person.episodes.order_by("opened_on")
    assert (first.opened_on, first.closed_on, first.closure_reason) == (
        date(2020, 1, 1),
        date(2023, 6, 30),
        "refused",
    )
    assert first.closure_note == "Does not want services any more."
    assert (second.opened_on, second.closed_on) == (date(2023, 9, 1), None)
    # The first episode's history shows it open (factory) and then closed by the actor.
    states = list(first.history.order_by("history_date").values_list("closed_on", "history_user"))
    assert states == [(None, None), (date(2023, 6, 30), actor.pk)]
    assert second.history.get().history_user == actor
    assert Person.objects.with_open_episode_on(date(2023, 7, 15)).count() == 0
    assert Person.objects.with_open_episode_on(date(2023, 9, 1)).get() == person


def test_reassign_moves_persons_and_keeps_the_assignment_history(
    person, supervisor, peer_case_manager
):
    CaseAssignmentFactory(person=person)
    moved = services.reassign(actor=supervisor, persons=[person], case_manager=peer_case_manager)

    assert moved == 1
    person.refresh_from_db()
    assert person.case_manager == peer_case_manager
    old, new = person.assignments.order_by("pk")
    assert (old.ended_on, new.ended_on) == (TODAY(), None)
    assert (new.case_manager, new.assigned_by, new.assigned_on) == (
        peer_case_manager,
        supervisor,
        TODAY(),
    )
    assert person.history.latest().history_user == supervisor


def test_reassign_to_the_same_case_manager_changes_nothing(person, supervisor, case_manager):
    CaseAssignmentFactory(person=person)
    assert services.reassign(actor=supervisor, persons=[person], case_manager=case_manager) == 0
    assert person.assignments.count() == 1


def test_reassign_refuses_a_case_manager_of_another_program(person, supervisor, other_case_manager):
    with pytest.raises(ValidationError) as excinfo:
        services.reassign(actor=supervisor, persons=[person], case_manager=other_case_manager)
    assert field_errors(excinfo) == {"case_manager"}
    person.refresh_from_db()
    assert person.case_manager.username == "alice"


def test_reassign_refuses_a_case_manager_not_qualified_today(person, supervisor, region):
    lapsed = UserFactory(regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=lapsed, effective_to=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        services.reassign(actor=supervisor, persons=[person], case_manager=lapsed)
    assert field_errors(excinfo) == {"case_manager"}
    assert not CaseAssignment.objects.filter(case_manager=lapsed).exists()


def test_reassign_without_persons_names_the_field(supervisor, case_manager):
    with pytest.raises(ValidationError) as excinfo:
        services.reassign(actor=supervisor, persons=[], case_manager=case_manager)
    assert field_errors(excinfo) == {"persons"}


def test_update_person_validates_fields(person):
    services.update_person(actor=person.case_manager, person=person, phone="601-555-0000")
    person.refresh_from_db()
    assert person.phone == "601-555-0000"
    with pytest.raises(ValidationError) as excinfo:
        services.update_person(actor=person.case_manager, person=person, first_name="")
    assert field_errors(excinfo) == {"first_name"}


def test_save_representative_adds_and_changes(person):
    actor = person.case_manager
    added = services.save_representative(
        actor=actor, person=person, name="Gloria Moore", is_legal_representative=True
    )
    services.save_representative(
        actor=actor, person=person, representative=added, relationship="Mother"
    )
    added.refresh_from_db()
    assert (added.relationship, added.is_legal_representative) == ("Mother", True)
    assert added.history.count() == 2


def test_save_representative_refuses_someone_elses_representative(person):
    stranger = RepresentativeFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.save_representative(
            actor=person.case_manager, person=person, representative=stranger, name="X"
        )
    assert field_errors(excinfo) == {"representative"}


def test_changing_the_living_arrangement_ends_the_current_one(person):
    actor = person.case_manager
    services.change_living_arrangement(
        actor=actor, person=person, arrangement="natural_home", effective_from=date(2020, 1, 1)
    )
    services.change_living_arrangement(
        actor=actor, person=person, arrangement="group_home", effective_from=date(2024, 5, 1)
    )
    old, new = person.living_arrangements.order_by("effective_from")
    assert old.effective_to == date(2024, 4, 30)
    assert (new.arrangement, new.effective_to) == ("group_home", None)
    with pytest.raises(ValidationError) as excinfo:
        services.change_living_arrangement(
            actor=actor, person=person, arrangement="other", effective_from=date(2024, 5, 1)
        )
    assert field_errors(excinfo) == {"effective_from"}

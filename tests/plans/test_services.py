"""Plan versions, informed choice, approval and the reassessment-to-referral flow."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from plans import services
from plans.models import Plan, Referral
from tests.factories.plans import PlanFactory
from tests.plans.conftest import MEETING

pytestmark = pytest.mark.django_db


def test_approving_the_first_draft_makes_it_active(draft, case_manager):
    plan = services.approve_plan(actor=case_manager, plan=draft)
    assert plan.status == "active"
    assert plan.approved_by == case_manager
    assert plan.next_revision_due == date(2026, 3, 10)


def test_approving_a_new_version_supersedes_the_active_one(active, case_manager, person):
    revision = services.create_plan(
        actor=case_manager,
        person=person,
        meeting_date=MEETING + timedelta(days=30),
        revision_reason="change_in_circumstances",
    )
    services.approve_plan(actor=case_manager, plan=revision)

    statuses = dict(Plan.objects.filter(person=person).values_list("version", "status"))
    assert statuses == {1: "superseded", 2: "active"}


def test_new_version_copies_outcomes_services_and_informed_choice(active, case_manager, person):
    revision = services.create_plan(
        actor=case_manager, person=person, meeting_date=MEETING, revision_reason="annual"
    )
    assert revision.version == 2
    assert revision.participants == "Pat, mother, case manager"
    assert [o.description for o in revision.outcomes.all()] == ["I want a job at the library."]
    service = revision.services.get()
    assert service.provider.name == "Arc of Mississippi"
    assert {p.name for p in service.providers_presented.all()} == {
        "Arc of Mississippi",
        "Hope Services",
    }
    assert active.outcomes.count() == 1  # the original keeps its own rows


def test_new_version_can_start_empty(active, case_manager, person):
    revision = services.create_plan(
        actor=case_manager,
        person=person,
        meeting_date=MEETING,
        revision_reason="annual",
        copy_active=False,
    )
    assert not revision.outcomes.exists()
    assert not revision.services.exists()


def test_a_second_draft_is_refused(draft, case_manager, person):
    with pytest.raises(ValidationError) as error:
        services.create_plan(
            actor=case_manager, person=person, meeting_date=MEETING, revision_reason="annual"
        )
    assert "status" in error.value.message_dict


def test_database_refuses_two_drafts_even_past_the_service(draft, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(person=person, version=9, status="draft")


def test_database_refuses_two_active_plans_even_past_the_service(active, person):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(person=person, version=9, status="active")


@pytest.mark.parametrize(
    "edit",
    [
        lambda plan, actor: services.update_plan(
            actor=actor, plan=plan, meeting_date=MEETING, revision_reason="annual", participants=""
        ),
        lambda plan, actor: services.add_outcome(actor=actor, plan=plan, description="More"),
        lambda plan, actor: services.remove_outcome(actor=actor, outcome=plan.outcomes.first()),
        lambda plan, actor: services.add_service(
            actor=actor,
            plan=plan,
            service="Respite",
            provider=plan.services.first().provider,
            providers_presented=[plan.services.first().provider],
            start_date=MEETING,
            choice_recorded_on=MEETING,
        ),
        lambda plan, actor: services.remove_service(actor=actor, service=plan.services.first()),
        lambda plan, actor: services.approve_plan(actor=actor, plan=plan),
    ],
    ids=["update", "add_outcome", "remove_outcome", "add_service", "remove_service", "approve"],
)
def test_active_plan_content_is_frozen(active, case_manager, edit):
    with pytest.raises(ValidationError) as error:
        edit(active, case_manager)
    assert "frozen" in error.value.message_dict["status"][0]
    active.refresh_from_db()
    assert active.outcomes.count() == 1
    assert active.services.count() == 1
    assert active.status == "active"


def test_removing_from_a_draft_takes_the_row_out(draft, case_manager):
    services.remove_outcome(actor=case_manager, outcome=draft.outcomes.get())
    services.remove_service(actor=case_manager, service=draft.services.get())
    assert not draft.outcomes.exists()
    assert not draft.services.exists()


def test_outcomes_keep_their_order(draft, case_manager):
    services.add_outcome(actor=case_manager, plan=draft, description="  See my sister monthly ")
    assert [o.description for o in draft.outcomes.all()] == [
        "I want a job at the library.",
        "See my sister monthly",
    ]


def _add_service(plan, actor, provider, presented):
    return services.add_service(
        actor=actor,
        plan=plan,
        service="Respite",
        provider=provider,
        providers_presented=presented,
        start_date=MEETING,
        choice_recorded_on=MEETING,
    )


def test_provider_not_certified_on_the_plan_date_cannot_be_presented(
    draft, case_manager, providers
):
    with pytest.raises(ValidationError) as error:
        _add_service(draft, case_manager, providers["arc"], [providers["arc"], providers["lapsed"]])
    assert "Lapsed Care" in error.value.message_dict["providers_presented"][0]


def test_chosen_provider_must_be_among_those_presented(draft, case_manager, providers):
    with pytest.raises(ValidationError) as error:
        _add_service(draft, case_manager, providers["hope"], [providers["arc"]])
    assert "provider" in error.value.message_dict


def test_informed_choice_needs_providers_presented(draft, case_manager, providers):
    with pytest.raises(ValidationError) as error:
        _add_service(draft, case_manager, providers["arc"], [])
    assert "providers_presented" in error.value.message_dict


def test_approval_rechecks_certification_against_a_moved_meeting_date(
    draft, case_manager, providers
):
    providers["arc"].certified_from = MEETING
    providers["arc"].save()
    services.update_plan(
        actor=case_manager,
        plan=draft,
        meeting_date=MEETING - timedelta(days=1),
        revision_reason="initial",
        participants="",
    )
    with pytest.raises(ValidationError) as error:
        services.approve_plan(actor=case_manager, plan=draft)
    assert "Arc of Mississippi" in error.value.message_dict["services"][0]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_approval_needs_an_outcome_and_a_held_meeting(person, case_manager):
    plan = services.create_plan(
        actor=case_manager,
        person=person,
        meeting_date=timezone.localdate() + timedelta(days=3),
        revision_reason="initial",
    )
    with pytest.raises(ValidationError) as error:
        services.approve_plan(actor=case_manager, plan=plan)
    assert set(error.value.message_dict) == {"meeting_date", "outcomes"}


def test_assessment_that_meets_criteria_opens_no_referral(person, case_manager):
    assessment = services.record_assessment(
        actor=case_manager, person=person, assessed_on=MEETING, meets_criteria=True
    )
    assert not Referral.objects.filter(assessment=assessment).exists()


def test_does_not_meet_criteria_opens_a_referral_to_the_de_team(person, case_manager, settings):
    settings.TCM_REFERRAL_DAYS = 30
    assessment = services.record_assessment(
        actor=case_manager, person=person, assessed_on=MEETING, meets_criteria=False
    )
    referral = assessment.referral
    assert (referral.person, referral.status, referral.referred_on) == (person, "open", MEETING)
    assert referral.due_on == MEETING + timedelta(days=30)


def test_assessment_cannot_be_dated_in_the_future(person, case_manager):
    with pytest.raises(ValidationError) as error:
        services.record_assessment(
            actor=case_manager,
            person=person,
            assessed_on=timezone.localdate() + timedelta(days=1),
            meets_criteria=False,
        )
    assert "assessed_on" in error.value.message_dict
    assert not Referral.objects.exists()


def test_referral_goes_through_review_to_an_outcome(referral, supervisor):
    services.start_referral_review(actor=supervisor, referral=referral)
    decided = services.record_referral_outcome(
        actor=supervisor,
        referral=referral,
        outcome="not_eligible",
        outcome_on=MEETING + timedelta(days=10),
        notes="Secondary review done.",
    )
    assert (decided.status, decided.outcome) == ("decided", "not_eligible")
    assert decided.notes == "Secondary review done."


@pytest.mark.parametrize(
    ("outcome", "days_after", "field"),
    [("maybe", 1, "outcome"), ("eligible", -1, "outcome_on"), ("eligible", 10_000, "outcome_on")],
)
def test_bad_referral_outcome_names_the_field(referral, supervisor, outcome, days_after, field):
    with pytest.raises(ValidationError) as error:
        services.record_referral_outcome(
            actor=supervisor,
            referral=referral,
            outcome=outcome,
            outcome_on=MEETING + timedelta(days=days_after),
        )
    assert field in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == "open"


def test_a_decided_referral_is_not_decided_again(referral, supervisor):
    services.record_referral_outcome(
        actor=supervisor, referral=referral, outcome="eligible", outcome_on=MEETING
    )
    with pytest.raises(ValidationError):
        services.record_referral_outcome(
            actor=supervisor, referral=referral, outcome="not_eligible", outcome_on=MEETING
        )
    with pytest.raises(ValidationError):
        services.start_referral_review(actor=supervisor, referral=referral)

"""The business actions on plans, reassessments and D&E referrals.

Every write to a plan goes through here, from the pages, the API and tests
alike, so the two rules that matter hold on every route:

- Only a draft changes. An active (or superseded) plan is the record of what
  was agreed with the person; a change is a new draft version, copied from the
  active one and approved in turn.
- Approval is atomic: the person's row is locked, the previous active plan is
  superseded and the draft becomes active in one transaction, so two
  approvals racing each other leave exactly one active plan (the partial
  unique constraint `plans_plan_one_active_per_person` is the backstop).

Removing an outcome or a service from a *draft* deletes that row: a draft is
not yet a plan in force, and django-simple-history keeps the removal on
record. Plans themselves, assessments and referrals are never deleted.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from people.models import Person
from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral

FROZEN_MESSAGE = (
    "This plan is {status} and its content is frozen. "
    "To change it, start a new version: a draft copied from the active plan."
)


class PlanFrozen(ValidationError):
    """A change aimed at a plan that is no longer a draft (keyed `status`, like any error)."""


def ensure_draft(plan: Plan) -> None:
    """Refuse any change to a plan that is no longer a draft."""
    if plan.status != Plan.Status.DRAFT:
        raise PlanFrozen(
            {"status": FROZEN_MESSAGE.format(status=plan.get_status_display().lower())}
        )


def _locked_plan(plan: Plan) -> Plan:
    """Re-read `plan` under a row lock so a concurrent approval cannot slip in between."""
    return Plan.objects.select_for_update().get(pk=plan.pk)


@transaction.atomic
def create_plan(
    *,
    actor,
    person: Person,
    meeting_date: date,
    revision_reason: str,
    participants: str = "",
    copy_active: bool = True,
) -> Plan:
    """Start a new draft version of `person`'s PSS, optionally copying the active one.

    One draft at a time per person: a second one would compete with the first
    for approval, so the existing draft is the one to edit.
    """
    Person.objects.select_for_update().get(pk=person.pk)
    plans = Plan.objects.filter(person=person)
    if plans.filter(status=Plan.Status.DRAFT).exists():
        raise ValidationError(
            {"status": "This person already has a draft plan; edit that draft instead."}
        )
    active = plans.filter(status=Plan.Status.ACTIVE).first()
    plan = Plan(
        person=person,
        version=(plans.aggregate(last=Max("version"))["last"] or 0) + 1,
        meeting_date=meeting_date,
        revision_reason=revision_reason,
        participants=participants or (active.participants if active and copy_active else ""),
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    if active is not None and copy_active:
        _copy_content(source=active, target=plan)
    return plan


def _copy_content(*, source: Plan, target: Plan) -> None:
    for outcome in source.outcomes.all():
        DesiredOutcome.objects.create(
            plan=target, description=outcome.description, position=outcome.position
        )
    for service in source.services.prefetch_related("providers_presented"):
        copy = PlanService.objects.create(
            plan=target,
            service=service.service,
            provider_id=service.provider_id,
            frequency=service.frequency,
            start_date=service.start_date,
            choice_recorded_on=service.choice_recorded_on,
        )
        copy.providers_presented.set(service.providers_presented.all())


@transaction.atomic
def update_plan(
    *, actor, plan: Plan, meeting_date: date, revision_reason: str, participants: str
) -> Plan:
    """Change a draft's meeting date, reason for revision and participants."""
    plan = _locked_plan(plan)
    ensure_draft(plan)
    plan.meeting_date = meeting_date
    plan.revision_reason = revision_reason
    plan.participants = participants
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def add_outcome(*, actor, plan: Plan, description: str) -> DesiredOutcome:
    """Add a desired outcome, in the person's own words, at the end of the list."""
    plan = _locked_plan(plan)
    ensure_draft(plan)
    last = plan.outcomes.aggregate(last=Max("position"))["last"]
    outcome = DesiredOutcome(
        plan=plan, description=description.strip(), position=0 if last is None else last + 1
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def remove_outcome(*, actor, outcome: DesiredOutcome) -> None:
    ensure_draft(_locked_plan(outcome.plan))
    outcome.delete()


def check_informed_choice(
    *, plan: Plan, provider: Provider | None, providers_presented: list[Provider]
) -> None:
    """PR0039 informed choice: the person was shown certified providers and chose one of them.

    Every provider presented must be DMH-certified on the plan's meeting date,
    and the chosen one must be among those presented.
    """
    errors = {}
    if not providers_presented:
        errors["providers_presented"] = "Record which certified providers were presented."
    uncertified = sorted(
        p.name for p in providers_presented if not p.is_certified_on(plan.meeting_date)
    )
    if uncertified:
        errors["providers_presented"] = (
            f"Not DMH-certified on the plan date {plan.meeting_date:%m/%d/%Y}: "
            + ", ".join(uncertified)
        )
    if provider is not None and provider not in providers_presented:
        errors["provider"] = "The chosen provider must be one of the providers presented."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_service(
    *,
    actor,
    plan: Plan,
    service: str,
    provider: Provider,
    providers_presented: list[Provider],
    start_date: date,
    choice_recorded_on: date,
    frequency: str = "",
) -> PlanService:
    """Add a service or support with the provider chosen and the informed-choice record."""
    plan = _locked_plan(plan)
    ensure_draft(plan)
    providers_presented = list(providers_presented)
    check_informed_choice(plan=plan, provider=provider, providers_presented=providers_presented)
    row = PlanService(
        plan=plan,
        service=service.strip(),
        provider=provider,
        frequency=frequency.strip(),
        start_date=start_date,
        choice_recorded_on=choice_recorded_on,
    )
    row.full_clean()
    row.save()
    row.providers_presented.set(providers_presented)
    return row


@transaction.atomic
def remove_service(*, actor, service: PlanService) -> None:
    ensure_draft(_locked_plan(service.plan))
    service.providers_presented.clear()
    service.delete()


@transaction.atomic
def approve_plan(*, actor, plan: Plan) -> Plan:
    """Make the draft the person's active plan and supersede the one in force.

    Locks the person's row first: approvals for one person are serialized, and
    the draft is re-read under the lock, so approving twice (a double click,
    two tabs) is refused instead of producing two active plans.
    """
    Person.objects.select_for_update().get(pk=plan.person_id)
    plan = _locked_plan(plan)
    ensure_draft(plan)
    _check_approvable(plan)
    for previous in Plan.objects.select_for_update().filter(
        person_id=plan.person_id, status=Plan.Status.ACTIVE
    ):
        previous.status = Plan.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    plan.status = Plan.Status.ACTIVE
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    return plan


def _check_approvable(plan: Plan) -> None:
    """A plan in force needs an outcome, a held meeting and a valid choice for every service.

    The meeting date may have changed after services were added, so the
    informed choice is checked again against the final date.
    """
    errors = {}
    if plan.meeting_date > timezone.localdate():
        errors["meeting_date"] = "The planning meeting has not happened yet."
    if not plan.outcomes.exists():
        errors["outcomes"] = "Add at least one desired outcome before approving."
    if errors:
        raise ValidationError(errors)
    for service in plan.services.select_related("provider").prefetch_related("providers_presented"):
        try:
            check_informed_choice(
                plan=plan,
                provider=service.provider,
                providers_presented=list(service.providers_presented.all()),
            )
        except ValidationError as error:
            raise ValidationError(
                {"services": f"{service.service}: {' '.join(error.messages)}"}
            ) from None


@transaction.atomic
def record_assessment(
    *, actor, person: Person, assessed_on: date, meets_criteria: bool, notes: str = ""
) -> NeedsAssessment:
    """Record a needs-based reassessment; "does not meet criteria" refers the person to D&E.

    The referral is opened here, in the same transaction, so nobody has to
    remember it (SPEC.md section 2).
    """
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": "A reassessment cannot be dated in the future."})
    assessment = NeedsAssessment(
        person=person,
        assessed_on=assessed_on,
        meets_criteria=meets_criteria,
        notes=notes,
        assessed_by=actor,
    )
    assessment.full_clean()
    assessment.save()
    if not meets_criteria:
        Referral.objects.create(person=person, assessment=assessment, referred_on=assessed_on)
    return assessment


@transaction.atomic
def start_referral_review(*, actor, referral: Referral) -> Referral:
    """The D&E team has taken the referral up."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.OPEN:
        raise ValidationError({"status": "Only an open referral can be put in review."})
    referral.status = Referral.Status.IN_REVIEW
    referral.save(update_fields=["status"])
    return referral


@transaction.atomic
def record_referral_outcome(
    *, actor, referral: Referral, outcome: str, outcome_on: date, notes: str = ""
) -> Referral:
    """Record the D&E team's decision; the referral is then closed as decided.

    A "not eligible" outcome does not close the case by itself: closing is the
    case manager's and the person's step, which the pages prompt for.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    errors = {}
    if referral.status == Referral.Status.DECIDED:
        errors["status"] = "This referral already has an outcome."
    if outcome not in Referral.Outcome.values:
        errors["outcome"] = "Choose eligible or not eligible."
    if outcome_on < referral.referred_on:
        errors["outcome_on"] = "The outcome cannot come before the referral."
    elif outcome_on > timezone.localdate():
        errors["outcome_on"] = "The outcome cannot be dated in the future."
    if errors:
        raise ValidationError(errors)
    referral.status = Referral.Status.DECIDED
    referral.outcome = outcome
    referral.outcome_on = outcome_on
    if notes:
        referral.notes = f"{referral.notes}\n{notes}".strip()
    referral.full_clean()
    referral.save()
    return referral

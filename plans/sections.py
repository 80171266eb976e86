"""The plan's part of the person page (order 20): active plan, next revision, reassessment."""

from django.db.models import Prefetch
from django.utils import timezone

from people.sections import Section, register
from plans.models import DesiredOutcome, NeedsAssessment, Plan, Referral
from tcm.roles import Role

READ_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)
WRITE_ROLES = (Role.CASE_MANAGER, Role.SUPERVISOR)


@register(20)
def plan_section(request, person):
    """Four queries: plans, their outcomes, the latest assessment, pending referrals.

    Hidden from reimbursement officers, whose role does not cover plans.
    """
    user = request.user
    if not (user.is_superuser or user.role in READ_ROLES):
        return None
    # Explicit orderings: the models' default ones start with the person (or the plan,
    # and so the person) and would join and sort by the person's name for nothing.
    outcomes = Prefetch("outcomes", queryset=DesiredOutcome.objects.order_by("position", "pk"))
    plans = list(Plan.objects.filter(person=person).order_by("-version").prefetch_related(outcomes))
    by_status = {plan.status: plan for plan in plans}
    context = {
        "person": person,
        "today": timezone.localdate(),
        "active": by_status.get(Plan.Status.ACTIVE),
        "draft": by_status.get(Plan.Status.DRAFT),
        "versions": len(plans),
        "assessment": NeedsAssessment.objects.filter(person=person)
        .order_by("-assessed_on", "-pk")
        .first(),
        "open_referrals": list(
            Referral.objects.filter(person=person)
            .exclude(status=Referral.Status.DECIDED)
            .order_by("-referred_on")
        ),
        "can_write": user.is_superuser or user.role in WRITE_ROLES,
    }
    return Section("Plan of Services and Supports", "plans/_person_section.html", context, "plan")

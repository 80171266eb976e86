"""Pages of the plans app: plan view, print and comparison, the htmx plan editor,
the reassessment form and the supervisors' D&E referral queue.

Every page reaches records through `visible_to(request.user)` (404 outside
scope) and every write through plans.services. An edit aimed at a plan that
is no longer a draft is sent back to the plan with the service's message.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from people.audit import log_access
from people.models import Person
from plans import services
from plans.forms import (
    AssessmentForm,
    NewPlanForm,
    OutcomeForm,
    PlanForm,
    PlanServiceForm,
    ReferralOutcomeForm,
    apply_errors,
)
from plans.models import Plan, Referral
from plans.selectors import compare_plans
from tcm.decorators import role_required
from tcm.roles import Role

plan_roles = role_required(Role.CASE_MANAGER, Role.SUPERVISOR, reviewers_may_read=True)


def person_links(person_pk: int) -> dict:
    """Links into the person record (owned by the people app), when its pages exist."""
    links = {}
    for key, name, query in (
        ("person_url", "people:person-detail", ""),
        ("close_url", "people:person-close", "?reason=ineligible"),
    ):
        try:
            links[key] = reverse(name, args=[person_pk]) + query
        except NoReverseMatch:
            links[key] = None
    return links


def _plan(request, pk) -> Plan:
    return get_object_or_404(Plan.objects.visible_to(request.user).with_content(), pk=pk)


def _draft(request, pk) -> Plan:
    """The plan to edit; refused (PlanFrozen) before any input is looked at if not a draft."""
    plan = _plan(request, pk)
    services.ensure_draft(plan)
    return plan


def _person(request, pk) -> Person:
    return get_object_or_404(Person.objects.visible_to(request.user), pk=pk)


def _submitted(request, form, action, **kwargs):
    """Run the service `action` on a posted, valid form; its result, or None.

    A service's ValidationError lands next to the fields it names; PlanFrozen
    passes through to `refuses_frozen`.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(actor=request.user, **kwargs, **form.cleaned_data)
    except services.PlanFrozen:
        raise
    except ValidationError as error:
        apply_errors(form, error)
        return None


def refuses_frozen(view):
    """An edit aimed at a plan that is no longer a draft goes back to the plan, with why."""

    @wraps(view)
    def wrapped(request, pk, *args, **kwargs):
        try:
            return view(request, pk, *args, **kwargs)
        except services.PlanFrozen as error:
            messages.error(request, " ".join(error.messages))
            url = reverse("plans:plan-detail", args=[pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)

    return wrapped


@plan_roles
def plan_detail(request, pk):
    plan = _plan(request, pk)
    log_access(request, plan.person, "plans:plan-detail")
    return render(request, "plans/plan_detail.html", {"plan": plan, **person_links(plan.person_id)})


@plan_roles
def plan_print(request, pk):
    """The plan as a clean document for the person and family (browser print)."""
    plan = _plan(request, pk)
    log_access(request, plan.person, "plans:plan-print")
    return render(request, "plans/plan_print.html", {"plan": plan})


@plan_roles
def plan_compare(request, person_pk):
    """Two versions of the person's plan side by side, differences marked."""
    person = _person(request, person_pk)
    versions = list(Plan.objects.filter(person=person).with_content())
    log_access(request, person, "plans:plan-compare")
    context = {"person": person, "versions": versions, **person_links(person.pk)}
    context.update(compare_plans(versions, request.GET.get("left"), request.GET.get("right")))
    return render(request, "plans/plan_compare.html", context)


@plan_roles
def plan_create(request, person_pk):
    person = _person(request, person_pk)
    form = NewPlanForm(request.POST or None)
    plan = _submitted(request, form, services.create_plan, person=person)
    if plan is not None:
        return redirect("plans:plan-edit", plan.pk)
    return render(request, "plans/plan_create.html", {"person": person, "form": form})


@plan_roles
@refuses_frozen
def plan_edit(request, pk):
    """The editor: the plan's header here; outcomes and services through htmx partials."""
    plan = _draft(request, pk)
    form = PlanForm(request.POST or None, instance=plan)
    if _submitted(request, form, services.update_plan, plan=plan):
        messages.success(request, "Plan details saved.")
        return redirect("plans:plan-edit", plan.pk)
    if request.method != "POST":
        log_access(request, plan.person, "plans:plan-edit")
    return render(request, "plans/plan_edit.html", _editor_context(plan, form=form))


def _editor_context(plan, **forms):
    return {
        "plan": plan,
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
        "service_form": forms.get("service_form") or PlanServiceForm(plan=plan),
        **{k: v for k, v in forms.items() if k == "form"},
    }


def _editor_part(request, plan, template, **forms):
    """The changed part for htmx, or the whole editor for a plain form post."""
    plan = _plan(request, plan.pk)  # reload the content the change touched
    if request.htmx:
        return render(request, template, _editor_context(plan, **forms))
    if any(form is not None and form.errors for form in forms.values()):
        context = _editor_context(plan, form=PlanForm(instance=plan), **forms)
        return render(request, "plans/plan_edit.html", context)
    return redirect("plans:plan-edit", plan.pk)


@require_POST
@plan_roles
@refuses_frozen
def outcome_add(request, pk):
    plan = _draft(request, pk)
    form = OutcomeForm(request.POST)
    if _submitted(request, form, services.add_outcome, plan=plan):
        form = None
    return _editor_part(request, plan, "plans/_outcomes.html", outcome_form=form)


@require_POST
@plan_roles
@refuses_frozen
def outcome_remove(request, pk, outcome_pk):
    plan = _draft(request, pk)
    outcome = get_object_or_404(plan.outcomes, pk=outcome_pk)
    services.remove_outcome(actor=request.user, outcome=outcome)
    return _editor_part(request, plan, "plans/_outcomes.html")


@require_POST
@plan_roles
@refuses_frozen
def service_add(request, pk):
    plan = _draft(request, pk)
    form = PlanServiceForm(request.POST, plan=plan)
    if _submitted(request, form, services.add_service, plan=plan):
        form = None
    return _editor_part(request, plan, "plans/_services.html", service_form=form)


@require_POST
@plan_roles
@refuses_frozen
def service_remove(request, pk, service_pk):
    plan = _draft(request, pk)
    row = get_object_or_404(plan.services, pk=service_pk)
    services.remove_service(actor=request.user, service=row)
    return _editor_part(request, plan, "plans/_services.html")


@require_POST
@plan_roles
@refuses_frozen
def plan_approve(request, pk):
    plan = _draft(request, pk)
    try:
        services.approve_plan(actor=request.user, plan=plan)
    except services.PlanFrozen:
        raise
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("plans:plan-edit", plan.pk)
    messages.success(request, f"Version {plan.version} is now the active plan.")
    return redirect("plans:plan-detail", plan.pk)


@plan_roles
def assessment_create(request, person_pk):
    """The needs-based reassessment; "does not meet criteria" opens a D&E referral."""
    person = _person(request, person_pk)
    form = AssessmentForm(request.POST or None)
    assessment = _submitted(request, form, services.record_assessment, person=person)
    if assessment is not None:
        _announce_assessment(request, assessment)
        return redirect(person_links(person.pk)["person_url"] or "home")
    return render(
        request,
        "plans/assessment_form.html",
        {"person": person, "form": form, **person_links(person.pk)},
    )


def _announce_assessment(request, assessment):
    if assessment.meets_criteria:
        messages.success(request, "Reassessment recorded: meets criteria.")
    else:
        messages.warning(
            request,
            "Reassessment recorded: does not meet criteria. A referral to the regional "
            f"D&E team was opened; its outcome is due by {assessment.referral.due_on:%m/%d/%Y}.",
        )


referral_roles = role_required(Role.SUPERVISOR, reviewers_may_read=True)


@referral_roles
def referral_list(request):
    """The supervisor's queue: the program's referrals awaiting the D&E team, oldest first."""
    referrals = Referral.objects.visible_to(request.user).select_related(
        "person", "person__case_manager"
    )
    pending = referrals.exclude(status=Referral.Status.DECIDED).order_by("referred_on", "pk")
    decided = referrals.filter(status=Referral.Status.DECIDED).order_by("-outcome_on", "-pk")[:20]
    context = {"pending": pending, "decided": decided, "today": timezone.localdate()}
    return render(request, "plans/referral_list.html", context)


@referral_roles
def referral_outcome(request, pk):
    """Record the review or the D&E outcome; "not eligible" prompts closing the case."""
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    form = ReferralOutcomeForm(request.POST or None)
    if request.method == "POST" and "start_review" in request.POST:
        return _start_review(request, referral)
    decided = _submitted(request, form, services.record_referral_outcome, referral=referral)
    if decided is not None:
        messages.success(request, f"Outcome recorded: {decided.get_outcome_display()}.")
        return redirect("plans:referral-outcome", referral.pk)
    if request.method != "POST":
        log_access(request, referral.person, "plans:referral-outcome")
    context = {"referral": referral, "form": form, **person_links(referral.person_id)}
    return render(request, "plans/referral_outcome.html", context)


def _start_review(request, referral):
    try:
        services.start_referral_review(actor=request.user, referral=referral)
        messages.success(request, "The referral is now in review.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plans:referral-outcome", referral.pk)

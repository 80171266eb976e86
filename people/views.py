"""Pages of the people app: the caseload, the person record and the case actions.

Every view reaches persons through `Person.objects.visible_to(user)` (out of
scope is a 404) and every change through `people.services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from people import services
from people.audit import log_access
from people.forms import (
    CloseForm,
    EnrollForm,
    LivingArrangementForm,
    PersonForm,
    PersonSearchForm,
    ReassignForm,
    ReopenForm,
    RepresentativeForm,
    show_service_errors,
)
from people.models import CaseEpisode, Person, Representative
from people.sections import sections_for
from tcm import versions
from tcm.decorators import role_required
from tcm.page_cache import CachedBody
from tcm.roles import Role

PAGE_SIZE = 25
# Who may change a person's record on the pages (SPEC.md section 1).
EDITORS = (Role.CASE_MANAGER, Role.SUPERVISOR)
# Header buttons for what other apps let a role do for this person: (label, URL
# name taking the person's pk, roles). Links whose URL is not wired are skipped,
# so an app adds its button by adding its URL, and people never imports it.
PERSON_ACTIONS = [
    ("Log a contact", "contacts:contact-create", (Role.CASE_MANAGER,)),
    ("Record time", "contacts:timeentry-create", (Role.CASE_MANAGER,)),
    ("New plan version", "plans:plan-create", EDITORS),
    ("Record a reassessment", "plans:assessment-create", EDITORS),
]


def _visible_person(request, pk) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("regional_program", "case_manager"),
        pk=pk,
    )


def _caseload(user, today):
    """The user's persons with today's open episode, ready for the list."""
    open_today = CaseEpisode.objects.filter(person=OuterRef("pk")).open_on(today)
    return (
        Person.objects.visible_to(user)
        .select_related("regional_program", "case_manager")
        .annotate(open_since=Subquery(open_today.values("opened_on")[:1]))
    )


def _filtered(persons, data):
    """Apply the search form's valid filters; invalid ones are simply not applied."""
    for term in data.get("q", "").split():
        persons = persons.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(preferred_name__icontains=term)
            | Q(medicaid_id__startswith=term)
        )
    if data.get("status") == "open":
        persons = persons.filter(open_since__isnull=False)
    elif data.get("status") == "closed":
        persons = persons.filter(open_since__isnull=True)
    if data.get("region"):
        persons = persons.filter(regional_program=data["region"])
    if data.get("case_manager"):
        persons = persons.filter(case_manager=data["case_manager"])
    return persons


@require_GET
def person_list(request):
    """The caseload: search by name or Medicaid ID, filter, page through."""
    form = PersonSearchForm(request.GET, user=request.user)
    form.is_valid()  # cleaned_data holds the valid filters only
    persons = _filtered(_caseload(request.user, timezone.localdate()), form.cleaned_data)
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_enroll": request.user.role in EDITORS,
        "can_reassign": request.user.role == Role.SUPERVISOR,
    }
    if request.htmx:
        return render(request, "people/_person_results.html", context)
    return render(request, "people/person_list.html", context)


def _person_actions(user, person) -> list[dict]:
    actions = []
    for label, name, roles in PERSON_ACTIONS:
        if user.role not in roles:
            continue
        try:
            actions.append({"label": label, "url": reverse(name, args=[person.pk])})
        except NoReverseMatch:
            continue
    return actions


def _rendered_sections(request, person, extra: dict) -> list[dict]:
    """Each app's section rendered with its own context, plus the anchor it is linked by."""
    return [
        {
            "title": section.title,
            "anchor": section.anchor or slugify(section.title),
            "html": render_to_string(
                section.template, {"person": person, **section.context, **extra}, request=request
            ),
        }
        for section in sections_for(request, person)
    ]


@require_GET
def person_detail(request, pk):
    """The whole person on one page: header, then each app's section in order.

    Every view is written to the access log; the body is cached until a record of
    the person changes (tcm.page_cache), and its versions are read before the
    person, so the person shown is never older than the versions it is cached under.
    """
    body = CachedBody(request, (versions.person_scope(pk), versions.RECORDS))
    person = _visible_person(request, pk)
    log_access(request, person, "person-detail")
    body = body.render(lambda extra: _person_body(request, person, extra))
    return render(request, "people/person_detail.html", {"person": person, "body": body})


def _person_body(request, person, extra: dict) -> str:
    today = timezone.localdate()
    # One person's records: explicit orderings, since the models' default ones start
    # with "person" and so join and sort by the person's name for nothing.
    episodes = list(person.episodes.order_by("opened_on"))
    living = person.living_arrangements.in_force_on(today).order_by("-effective_from").first()
    assignments = person.assignments.order_by("assigned_on", "pk")
    context = {
        "person": person,
        "episodes": episodes,
        "current_episode": next((e for e in episodes if e.is_open), None),
        "representatives": list(person.representatives.order_by("name")),
        "living_arrangement": living,
        "assignments": assignments.select_related("case_manager", "assigned_by"),
        "sections": _rendered_sections(request, person, extra),
        "actions": _person_actions(request.user, person),
        "can_edit": request.user.role in EDITORS,
        "can_reassign": request.user.role == Role.SUPERVISOR,
        **extra,
    }
    return render_to_string("people/_person_body.html", context, request=request)


def _submitted(request, form, action, **arguments):
    """Run the service `action` with the valid form's data; None when the form or service refuses.

    Service errors land next to their fields, so the page is shown again with them.
    """
    if not form.is_valid():
        return None
    try:
        return action(actor=request.user, **arguments, **form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return None


def _form_page(request, form, *, title, submit, person=None, intro=""):
    context = {"form": form, "title": title, "submit": submit, "person": person, "intro": intro}
    return render(request, "people/form_page.html", context, status=400 if form.errors else 200)


@role_required(*EDITORS)
def person_enroll(request):
    form = EnrollForm(request.POST or None, user=request.user)
    # Staff enroll into their own program; the form offers a choice only to DMH.
    own_program = {}
    if "regional_program" not in form.fields:
        own_program["regional_program"] = request.user.regional_program
    person = _submitted(request, form, services.enroll_person, **own_program)
    if person is not None:
        messages.success(request, f"{person.full_name} is enrolled; the case is open.")
        return redirect(person)
    return _form_page(request, form, title="Enroll a person", submit="Enroll")


@role_required(*EDITORS)
def person_edit(request, pk):
    person = _visible_person(request, pk)
    form = PersonForm(request.POST or None, instance=person)
    if _submitted(request, form, services.update_person, person=person):
        messages.success(request, "Details saved.")
        return redirect(person)
    return _form_page(request, form, title=f"Edit {person.full_name}", submit="Save", person=person)


@role_required(*EDITORS)
def person_close(request, pk):
    """Close the case, after saying plainly what closing does and does not do."""
    person = _visible_person(request, pk)
    episode = person.episodes.filter(closed_on__isnull=True).first()
    # A D&E referral found "not eligible" links here with ?reason=ineligible preselected.
    initial = {"closed_on": timezone.localdate(), "closure_reason": request.GET.get("reason", "")}
    form = CloseForm(request.POST or None, initial=initial)
    if _submitted(request, form, services.close_case, person=person):
        messages.success(request, f"The case of {person.full_name} is closed.")
        return redirect(person)
    context = {"form": form, "person": person, "episode": episode}
    return render(request, "people/person_close.html", context, status=400 if form.errors else 200)


@role_required(*EDITORS)
def person_reopen(request, pk):
    person = _visible_person(request, pk)
    form = ReopenForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if _submitted(request, form, services.reopen_case, person=person):
        messages.success(request, f"The case of {person.full_name} is open again.")
        return redirect(person)
    intro = "Reopening starts a new case episode; earlier episodes stay as they were."
    return _form_page(
        request,
        form,
        title=f"Reopen {person.full_name}",
        submit="Reopen",
        person=person,
        intro=intro,
    )


def _selected_persons(request) -> list[Person]:
    """The persons ticked on the caseload list; any id out of scope is a 404."""
    data = request.POST if request.method == "POST" else request.GET
    try:
        ids = {int(value) for value in data.getlist("person")}
    except ValueError:
        raise Http404("Unknown person.") from None
    persons = list(
        Person.objects.visible_to(request.user).filter(pk__in=ids).select_related("case_manager")
    )
    if len(persons) != len(ids):
        raise Http404("Unknown person.")
    return persons


@role_required(Role.SUPERVISOR)
def person_reassign(request):
    """Move one or many persons to another qualified case manager of the program."""
    persons = _selected_persons(request)
    form = ReassignForm(request.POST or None, program_id=request.user.regional_program_id)
    moved = _submitted(request, form, services.reassign, persons=persons) if persons else None
    if moved is not None:
        messages.success(
            request, f"{moved} person(s) moved to {form.cleaned_data['case_manager']}."
        )
        return redirect("people:person-list")
    context = {"form": form, "persons": persons}
    status = 400 if form.errors or not persons else 200
    return render(request, "people/person_reassign.html", context, status=status)


@role_required(*EDITORS)
def representative_edit(request, pk, representative_pk=None):
    """Add a representative to the person (no `representative_pk`) or change one."""
    person = _visible_person(request, pk)
    representative = None
    if representative_pk is not None:
        representative = get_object_or_404(
            Representative.objects.filter(person=person), pk=representative_pk
        )
    form = RepresentativeForm(request.POST or None, instance=representative)
    saved = _submitted(
        request,
        form,
        services.save_representative,
        person=person,
        representative=representative,
    )
    if saved:
        messages.success(request, "Representative saved.")
        return redirect(person)
    title = f"{'Change' if representative else 'Add'} a representative of {person.full_name}"
    return _form_page(request, form, title=title, submit="Save", person=person)


@role_required(*EDITORS)
def living_arrangement_change(request, pk):
    """Record where the person lives from a day on; the current arrangement ends the day before."""
    person = _visible_person(request, pk)
    form = LivingArrangementForm(
        request.POST or None, initial={"effective_from": timezone.localdate()}
    )
    if _submitted(request, form, services.change_living_arrangement, person=person):
        messages.success(request, "Living arrangement saved.")
        return redirect(person)
    title = f"Living arrangement of {person.full_name}"
    return _form_page(request, form, title=title, submit="Save", person=person)

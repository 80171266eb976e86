"""Pages of the contacts app: log a contact, quick time, contact detail, timeline, my time.

Case managers write (on their own caseload); supervisors and DMH reviewers
read; reimbursement officers see time only through billing, never contact
notes. Out of scope is a 404, the wrong role a 403. Every write goes through
contacts.services, whose field errors are shown next to the fields.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import selectors, services
from contacts.forms import AddendumForm, ContactForm, TimeEntryForm, VoidForm, add_service_errors
from contacts.models import Contact, TimeEntry
from people.audit import log_access
from people.models import Person
from tcm.decorators import role_required
from tcm.roles import Role

WRITER = Role.CASE_MANAGER
READERS = (Role.CASE_MANAGER, Role.SUPERVISOR)


def _person(request, pk):
    """The person of the page, 404 outside the user's scope."""
    person = Person.objects.visible_one(request.user, pk)
    if person is None:
        raise Http404("No such person on your caseload.")
    return person


def _timeline_url(person_pk) -> str:
    return reverse("people:person-detail", args=[person_pk]) + "#timeline"


def _submit(request, form, action):
    """Run `action(cleaned_data)` on a valid POST; None when the form must be shown again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _last_mode(user) -> str:
    """The mode of this author's latest contact: most days are all phone, or all visits."""
    latest = Contact.objects.filter(author=user).order_by("-created_at", "-pk")
    return latest.values_list("mode", flat=True).first() or Contact.Mode.PHONE


@require_http_methods(["GET", "POST"])
@role_required(WRITER)
def contact_create(request, person_pk):
    person = _person(request, person_pk)
    # Initial values only show on an empty form; a posted one shows what was posted.
    initial = {}
    if request.method == "GET":
        initial = {"contact_date": timezone.localdate(), "mode": _last_mode(request.user)}
    form = ContactForm(request.POST or None, person=person, initial=initial)
    contact = _submit(
        request,
        form,
        lambda data: services.log_contact(actor=request.user, person=person, **data),
    )
    if contact is not None:
        messages.success(request, "Contact logged and signed.")
        # A URL, not a view name: redirect() would try to reverse it first.
        detail = reverse("contacts:contact-detail", args=[contact.pk])
        return HttpResponseRedirect(f"{detail}?logged=1")
    return render(request, "contacts/contact_form.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
@role_required(WRITER)
def timeentry_create(request, person_pk):
    person = _person(request, person_pk)
    form = TimeEntryForm(request.POST or None, initial={"service_date": timezone.localdate()})
    entry = _submit(
        request,
        form,
        lambda data: services.log_time_entry(actor=request.user, person=person, **data),
    )
    if entry is not None:
        activity = entry.get_activity_display().lower()
        messages.success(request, f"{entry.minutes} minutes of {activity} recorded.")
        return redirect(_timeline_url(person.pk))
    return render(request, "contacts/timeentry_form.html", {"form": form, "person": person})


def _contact(request, pk):
    contacts = Contact.objects.visible_to(request.user).select_related(
        "person", "author", "voided_by"
    )
    return get_object_or_404(contacts, pk=pk)


def _detail(request, contact, *, addendum_form=None, void_form=None, status=200):
    context = {
        "contact": contact,
        "person": contact.person,
        "time_entries": TimeEntry.objects.with_billing_gate()
        .filter(contact=contact)
        .select_related("author")
        .order_by("pk"),
        "addenda": contact.addenda.select_related("author"),
        "outcomes": contact.outcomes_addressed.all(),
        "can_write": request.user.role == WRITER and not contact.is_void,
        "addendum_form": addendum_form or AddendumForm(),
        "void_form": void_form or VoidForm(),
        "just_logged": request.GET.get("logged") == "1",
    }
    return render(request, "contacts/contact_detail.html", context, status=status)


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def contact_detail(request, pk):
    contact = _contact(request, pk)
    log_access(request, contact.person, "contacts:contact-detail")
    return _detail(request, contact)


@require_POST
@role_required(WRITER)
def contact_addendum(request, pk):
    contact = _contact(request, pk)
    form = AddendumForm(request.POST)
    added = _submit(
        request,
        form,
        lambda data: services.add_addendum(actor=request.user, contact=contact, **data),
    )
    if added:
        messages.success(request, "Addendum added.")
        return redirect("contacts:contact-detail", pk=contact.pk)
    return _detail(request, contact, addendum_form=form, status=400)


def _void(request, service, **record):
    """Run a void service with the reason from the posted VoidForm; (form, voided record)."""
    form = VoidForm(request.POST)
    voided = _submit(
        request,
        form,
        lambda data: service(actor=request.user, reason=data["void_reason"], **record),
    )
    return form, voided


@require_POST
@role_required(WRITER)
def contact_void(request, pk):
    contact = _contact(request, pk)
    form, voided = _void(request, services.void_contact, contact=contact)
    if voided:
        messages.success(request, "Contact voided, with its time entries.")
        return redirect("contacts:contact-detail", pk=contact.pk)
    return _detail(request, contact, void_form=form, status=400)


@require_POST
@role_required(WRITER)
def timeentry_void(request, pk):
    entries = TimeEntry.objects.visible_to(request.user).select_related("person", "contact")
    entry = get_object_or_404(entries, pk=pk)
    form, voided = _void(request, services.void_time_entry, entry=entry)
    if voided:
        messages.success(request, "Time entry voided.")
    else:
        errors = [message for messages_ in form.errors.values() for message in messages_]
        messages.error(request, " ".join(errors))
    return redirect(_timeline_url(entry.person_id))


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def person_timeline(request, person_pk):
    """The timeline page; with htmx, only the next page's rows (the "More" button)."""
    person = _person(request, person_pk)
    context = {
        "person": person,
        "page_obj": selectors.timeline_page(person, request.GET.get("page")),
        "can_write": request.user.role == WRITER,
    }
    if request.htmx:
        return render(request, "contacts/_timeline_rows.html", context)
    log_access(request, person, "contacts:person-timeline")
    return render(request, "contacts/person_timeline.html", context)


@require_GET
@role_required(WRITER)
def my_time(request):
    """The case manager's own time: this week's and this month's totals by activity."""
    week, month = selectors.week_and_month(timezone.localdate())
    entries = (
        TimeEntry.objects.filter(author=request.user)
        .between(*month)
        .with_billing_gate()
        .select_related("person")
    )
    context = {
        "periods": [
            (selectors.time_totals(request.user, *week), "This week"),
            (selectors.time_totals(request.user, *month), "This month"),
        ],
        "entries": entries,
    }
    return render(request, "contacts/my_time.html", context)

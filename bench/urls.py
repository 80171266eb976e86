"""TCM's URLs plus the load benchmark's yardsticks: /bench/bare/ and the contact's write alone."""

from datetime import date

from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone

from contacts.models import Contact, TimeEntry
from contacts.services import insert_new


def bare(request):
    """The cheapest view behind the same middleware (session, login, CSRF): no query of its own."""
    return HttpResponse("ok", content_type="text/plain")


def contact_write_alone(request, person_pk):
    """What logging a contact cannot do without: its one statement, and nothing else.

    The contact, its time entry, their history and the page versions, written by the
    contacts service's own write (`contacts.services.insert_new`) and committed on
    their own (autocommit), for the posted day, with the database's own check of the
    24-hour rule inside it (contacts/migrations/0007). No form, no person read, no
    checks in Python, no message: the contact POST's floor, as bench/floors.sql is each
    job's, so that the results say how much of the POST's cost is the durable write
    itself and how much the rest.
    """
    now = timezone.now()
    day = date.fromisoformat(request.POST["contact_date"])
    minutes = int(request.POST["minutes"])
    contact = Contact(
        person_id=person_pk,
        author=request.user,
        contact_date=day,
        minutes=minutes,
        mode=request.POST["mode"],
        with_person=True,
        note=request.POST["note"],
        signed_at=now,
    )
    entry = TimeEntry(
        person_id=person_pk,
        author=request.user,
        service_date=day,
        minutes=minutes,
        activity=TimeEntry.Activity.DIRECT_CONTACT,
        contact=contact,
    )
    insert_new(request.user, now, [contact], [entry])
    return HttpResponse(status=201)


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path(
        "bench/contact-write/<int:person_pk>/",
        contact_write_alone,
        name="bench-contact-write-alone",
    ),
    path("", include("tcm.urls")),
]

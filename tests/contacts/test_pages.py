"""The contacts pages: log a contact, quick time, contact detail (addenda, void), my time,
with their scoping, roles and field errors."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contacts import services
from contacts.models import Addendum, Contact, TimeEntry
from people.models import AccessLog
from tests.factories import (
    DesiredOutcomeFactory,
    StaffQualificationFactory,
    TimeEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data(yesterday):
    return {
        "contact_date": yesterday.isoformat(),
        "minutes": "40",
        "travel_minutes": "10",
        "mode": "face_to_face",
        "with_whom": ["person", "legal_representative"],
        "location": "service_setting",
        "successful": "true",
        "note": "Quarterly visit at the group home.",
    }


def create_url(person):
    return reverse("contacts:contact-create", args=[person.pk])


def test_log_a_contact_form_defaults_to_today_and_the_last_mode(
    client_for, case_manager, person, contact_args
):
    services.log_contact(**contact_args | {"mode": "video", "location": ""})
    page = client_for(case_manager).get(create_url(person))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial == {"contact_date": timezone.localdate(), "mode": "video"}
    html = page.content.decode()
    assert "autofocus" in html and 'data-draft-key="tcm-contact-draft-' in html
    assert 'src="/static/js/contacts.js"' in html


@pytest.mark.parametrize("earlier", [2, 20])
def test_logging_a_contact_takes_the_same_queries_whatever_came_before(
    client_for, case_manager, person, form_data, contact_args, earlier, django_assert_num_queries
):
    for days in range(earlier):
        day = contact_args["contact_date"] - timedelta(days=days)
        services.log_contact(**contact_args | {"contact_date": day, "minutes": 10})
    client = client_for(case_manager)
    # session, user with its role (2); the person (1); the service, in a savepoint (2)
    # inside the test's transaction (none outside one): the contact and its history
    # (2), both time entries and their history (2), the person's page versions, once for
    # both (1). On PostgreSQL they are one statement (tcm.history.insert_created),
    # checked against the 24-hour rule by the database inside it: 6 there. No lock and
    # no read of the day's minutes (contacts/migrations/0007), no session save
    # (tcm.middleware), no form defaults (they are for an empty form), no outcome
    # choices (none posted), no constraint asked one query each, no second read of the
    # person to check the scope.
    queries = 6 if connection.vendor == "postgresql" else 10
    with django_assert_num_queries(queries):
        response = client.post(create_url(person), form_data)
    assert response.status_code == 302


def test_an_outcome_of_another_persons_plan_is_refused_next_to_the_field(
    client_for, case_manager, person, form_data
):
    elsewhere = DesiredOutcomeFactory(plan__status="active")
    response = client_for(case_manager).post(
        create_url(person), form_data | {"outcome_ids": [str(elsewhere.pk)]}
    )
    assert response.status_code == 200
    assert "outcome_ids" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_logging_a_contact_signs_it_and_clears_the_draft(
    client_for, case_manager, person, form_data, outcome
):
    client = client_for(case_manager)
    response = client.post(create_url(person), form_data | {"outcome_ids": [str(outcome.pk)]})
    contact = Contact.objects.get()
    assert response.status_code == 302
    assert response.url == f"{reverse('contacts:contact-detail', args=[contact.pk])}?logged=1"
    assert contact.is_signed and contact.with_whom == ["person", "legal_representative"]
    assert list(contact.outcomes_addressed.all()) == [outcome]
    assert contact.time_entries.count() == 2
    detail = client.get(response.url).content.decode()
    assert f'data-clear-draft="tcm-contact-draft-{person.pk}-{case_manager.pk}"' in detail
    assert "the person, legal representative" in detail


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"location": ""}, "location"),
        ({"contact_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "contact_date"),
        ({"minutes": "0"}, "minutes"),
        ({"with_whom": []}, "with_whom"),
        ({"note": ""}, "note"),
    ],
)
def test_bad_contact_shows_the_error_next_to_the_field(
    client_for, case_manager, person, form_data, override, field
):
    page = client_for(case_manager).post(create_url(person), form_data | override)
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert 'data-bound="true"' in page.content.decode()
    assert not Contact.objects.exists()


def test_24_hours_error_lands_on_minutes(client_for, case_manager, person, form_data, yesterday):
    TimeEntryFactory(person=person, author=case_manager, service_date=yesterday, minutes=1430)
    page = client_for(case_manager).post(create_url(person), form_data)
    assert "exceed 24 hours" in page.context["form"].errors["minutes"][0]


@pytest.mark.parametrize("persona", ["peer_case_manager", "other_case_manager"])
def test_person_outside_caseload_is_404(client_for, request, persona, person, form_data):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(create_url(person)).status_code == 404
    assert client.post(create_url(person), form_data).status_code == 404
    url = reverse("contacts:person-timeline", args=[person.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["supervisor", "reviewer", "reimbursement_officer"])
def test_only_case_managers_log(client_for, request, persona, person, form_data):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(create_url(person), form_data).status_code == 403
    assert client.get(reverse("contacts:timeentry-create", args=[person.pk])).status_code == 403
    assert client.get(reverse("contacts:my-time")).status_code == 403


def test_anonymous_is_sent_to_log_in(client, person, logged_contact):
    for url in (
        create_url(person),
        reverse("contacts:contact-detail", args=[logged_contact.pk]),
        reverse("contacts:person-timeline", args=[person.pk]),
        reverse("contacts:my-time"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_contact_detail_for_readers_and_the_access_log(
    client_for, supervisor, reviewer, logged_contact
):
    url = reverse("contacts:contact-detail", args=[logged_contact.pk])
    for user in (supervisor, reviewer):
        page = client_for(user).get(url)
        assert page.status_code == 200
        assert logged_contact.note in page.content.decode()
        assert "Void contact" not in page.content.decode()
    assert AccessLog.objects.filter(view="contacts:contact-detail").count() == 2


def test_reimbursement_officer_does_not_read_contacts(
    client_for, reimbursement_officer, logged_contact
):
    client = client_for(reimbursement_officer)
    assert (
        client.get(reverse("contacts:contact-detail", args=[logged_contact.pk])).status_code == 403
    )
    url = reverse("contacts:person-timeline", args=[logged_contact.person_id])
    assert client.get(url).status_code == 403


def test_addendum_and_void_from_the_detail_page(client_for, case_manager, logged_contact):
    client = client_for(case_manager)
    addenda = reverse("contacts:contact-addendum", args=[logged_contact.pk])
    void = reverse("contacts:contact-void", args=[logged_contact.pk])

    assert client.post(addenda, {"text": ""}).status_code == 400
    assert client.post(addenda, {"text": "Mother joined by phone."}).status_code == 302
    assert Addendum.objects.get().text == "Mother joined by phone."

    refused = client.post(void, {"void_reason": ""})
    assert refused.status_code == 400 and "void_reason" in refused.context["void_form"].errors
    assert client.post(void, {"void_reason": "Logged on the wrong person"}).status_code == 302
    assert not TimeEntry.objects.filter(contact=logged_contact).not_void().exists()


def test_void_of_billed_contact_shows_the_run(client_for, case_manager, logged_contact):
    logged_contact.time_entries.update(frozen_at=timezone.now())
    page = client_for(case_manager).post(
        reverse("contacts:contact-void", args=[logged_contact.pk]), {"void_reason": "x"}
    )
    assert page.status_code == 400
    assert "finalized bill run" in page.content.decode()


@pytest.mark.parametrize("persona", ["supervisor", "reviewer"])
def test_readers_cannot_amend_or_void(client_for, request, persona, logged_contact):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.post(
            reverse("contacts:contact-addendum", args=[logged_contact.pk]), {"text": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("contacts:contact-void", args=[logged_contact.pk]), {"void_reason": "x"}
        ).status_code
        == 403
    )
    assert not Contact.objects.get(pk=logged_contact.pk).is_void


def test_peer_cannot_void_or_amend(client_for, peer_case_manager, logged_contact):
    client = client_for(peer_case_manager)
    assert (
        client.post(
            reverse("contacts:contact-void", args=[logged_contact.pk]), {"void_reason": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("contacts:contact-addendum", args=[logged_contact.pk]), {"text": "x"}
        ).status_code
        == 404
    )


def test_there_is_no_edit_page(client_for, case_manager, logged_contact):
    """Signed: the only routes that change a contact are the addendum and the void."""
    response = client_for(case_manager).post(
        reverse("contacts:contact-detail", args=[logged_contact.pk]), {"note": "rewritten"}
    )
    assert response.status_code == 405
    assert Contact.objects.get(pk=logged_contact.pk).note == logged_contact.note


def test_quick_time_entry(client_for, case_manager, person, yesterday):
    client = client_for(case_manager)
    url = reverse("contacts:timeentry-create", args=[person.pk])
    page = client.get(url)
    assert 'value="direct_contact"' not in page.content.decode()
    data = {"service_date": yesterday.isoformat(), "minutes": "15", "activity": "documentation"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert TimeEntry.objects.get().activity == "documentation"
    refused = client.post(url, data | {"minutes": "0"})
    assert "minutes" in refused.context["form"].errors


def test_void_time_entry_page(client_for, case_manager, person, yesterday):
    entry = services.log_time_entry(
        actor=case_manager, person=person, service_date=yesterday, minutes=15, activity="meeting"
    )
    client = client_for(case_manager)
    url = reverse("contacts:timeentry-void", args=[entry.pk])
    client.post(url, {"void_reason": ""})
    entry.refresh_from_db()
    assert not entry.is_void
    client.post(url, {"void_reason": "Duplicate"})
    entry.refresh_from_db()
    assert entry.is_void


def test_my_time_totals_this_week_and_month(client_for, case_manager, person):
    today = timezone.localdate()
    services.log_time_entry(
        actor=case_manager, person=person, service_date=today, minutes=15, activity="meeting"
    )
    services.log_time_entry(
        actor=case_manager, person=person, service_date=today, minutes=20, activity="meeting"
    )
    page = client_for(case_manager).get(reverse("contacts:my-time"))
    week, month = [totals for totals, _ in page.context["periods"]]
    assert week.by_activity == [("Meeting", 35)] and month.total == 35


def test_my_time_shows_why_time_is_not_billable(client_for, region, person):
    unqualified = UserFactory(regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=unqualified, pcp_training_completed_on=None)
    person.case_manager = unqualified
    person.save()
    services.log_time_entry(
        actor=unqualified,
        person=person,
        service_date=timezone.localdate(),
        minutes=15,
        activity="meeting",
    )
    page = client_for(unqualified).get(reverse("contacts:my-time"))
    assert "Author not qualified on the service date" in page.content.decode()

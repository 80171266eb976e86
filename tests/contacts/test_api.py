"""The contacts and time-entries API: writes through the services, signed records immutable,
scoping, roles, and reimbursement officers reading time without notes."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from contacts import services
from contacts.models import Contact, TimeEntry
from people.models import AccessLog
from tests.factories import ContactFactory, PersonFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts/"
TIME = "/api/v1/time-entries/"


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return as_user


@pytest.fixture
def payload(person, yesterday):
    return {
        "person": person.pk,
        "contact_date": yesterday.isoformat(),
        "minutes": 30,
        "travel_minutes": 15,
        "mode": "face_to_face",
        "location": "community",
        "with_whom": ["person"],
        "note": "Met at the library.",
    }


def test_case_manager_logs_a_contact(api, case_manager, payload, outcome):
    response = api(case_manager).post(
        CONTACTS, payload | {"outcomes_addressed": [outcome.pk]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["signed_at"] and body["with_whom"] == ["person"]
    assert body["outcomes_addressed"] == [outcome.pk]
    assert TimeEntry.objects.filter(contact_id=body["id"]).count() == 2


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"location": ""}, "location"),
        ({"minutes": 0}, "minutes"),
        ({"contact_date": "2999-01-01"}, "contact_date"),
        ({"with_whom": []}, "with_whom"),
        ({"outcomes_addressed": [123456]}, "outcomes_addressed"),
        ({"person": 99999999}, "person"),
    ],
)
def test_bad_contact_is_a_400_naming_the_field(api, case_manager, payload, override, field):
    response = api(case_manager).post(CONTACTS, payload | override, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Contact.objects.exists()


def test_person_outside_scope_is_a_field_error(api, other_case_manager, payload):
    response = api(other_case_manager).post(CONTACTS, payload, format="json")
    assert response.status_code == 400
    assert "person" in response.json()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_signed_contact_cannot_be_changed(api, case_manager, logged_contact, method):
    response = getattr(api(case_manager), method)(
        f"{CONTACTS}{logged_contact.pk}/", {"note": "rewritten"}, format="json"
    )
    assert response.status_code == 405
    assert "addendum" in response.json()["detail"]
    assert Contact.objects.get(pk=logged_contact.pk).note == logged_contact.note


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_time_entry_cannot_be_changed(api, case_manager, logged_contact, method):
    entry = logged_contact.time_entries.first()
    response = getattr(api(case_manager), method)(f"{TIME}{entry.pk}/", {"minutes": 1})
    assert response.status_code == 405
    assert TimeEntry.objects.get(pk=entry.pk).minutes == entry.minutes


def test_void_and_addenda(api, case_manager, logged_contact):
    client = api(case_manager)
    url = f"{CONTACTS}{logged_contact.pk}/"
    added = client.post(f"{url}addenda/", {"text": "Mother joined late."}, format="json")
    assert added.status_code == 201
    assert [a["text"] for a in client.get(f"{url}addenda/").json()] == ["Mother joined late."]

    assert client.post(f"{url}void/", {}, format="json").json() == {
        "void_reason": ["This field is required."]
    }
    voided = client.post(f"{url}void/", {"void_reason": "Wrong person"}, format="json")
    assert voided.status_code == 200
    assert voided.json()["voided_at"]
    assert not TimeEntry.objects.filter(contact=logged_contact).not_void().exists()


def test_void_of_billed_time_is_refused_with_the_run(api, case_manager, logged_contact):
    logged_contact.time_entries.update(frozen_at=timezone.now())
    response = api(case_manager).post(
        f"{CONTACTS}{logged_contact.pk}/void/", {"void_reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "finalized bill run" in response.json()["contact"][0]


def test_quick_time_entry_and_its_void(api, case_manager, person, yesterday):
    client = api(case_manager)
    response = client.post(
        TIME,
        {
            "person": person.pk,
            "service_date": yesterday.isoformat(),
            "minutes": 20,
            "activity": "correspondence",
            "note": "Letter to the provider.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["non_billable_reasons"] == []
    voided = client.post(f"{TIME}{response.json()['id']}/void/", {"void_reason": "Duplicate"})
    assert voided.json()["non_billable_reasons"] == ["Voided"]


def test_reimbursement_officer_reads_time_without_notes(api, reimbursement_officer, person):
    TimeEntryFactory(person=person, note="Private clinical detail")
    response = api(reimbursement_officer).get(TIME)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert "note" not in row
    assert "Private clinical detail" not in response.content.decode()


def test_reimbursement_officer_does_not_read_contacts(api, reimbursement_officer, logged_contact):
    assert api(reimbursement_officer).get(CONTACTS).status_code == 403


@pytest.mark.parametrize("url", [CONTACTS, TIME])
def test_anonymous_is_refused(api, url):
    assert api(None).get(url).status_code in (401, 403)


@pytest.mark.parametrize("persona", ["supervisor", "reviewer", "reimbursement_officer"])
def test_only_case_managers_write(api, request, persona, payload):
    user = request.getfixturevalue(persona)
    assert api(user).post(CONTACTS, payload, format="json").status_code == 403
    assert api(user).post(TIME, {}, format="json").status_code == 403


def test_reviewer_cannot_void(api, reviewer, logged_contact):
    response = api(reviewer).post(
        f"{CONTACTS}{logged_contact.pk}/void/", {"void_reason": "x"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("url", [CONTACTS, TIME])
def test_out_of_scope_detail_is_404(
    api, other_case_manager, peer_case_manager, logged_contact, url
):
    pk = logged_contact.pk if url == CONTACTS else logged_contact.time_entries.first().pk
    for user in (other_case_manager, peer_case_manager):
        assert api(user).get(f"{url}{pk}/").status_code == 404
        assert api(user).get(url).json()["results"] == []
    assert api(peer_case_manager).post(f"{url}{pk}/void/", {"void_reason": "x"}).status_code == 404


def test_detail_writes_one_access_log_row(api, supervisor, logged_contact):
    response = api(supervisor).get(f"{CONTACTS}{logged_contact.pk}/")
    assert response.status_code == 200
    assert list(AccessLog.objects.values_list("user", "person", "view")) == [
        (supervisor.pk, logged_contact.person_id, "api:contact-detail")
    ]


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # COUNT, page of contacts, outcomes, addenda, addenda authors
        (CONTACTS, 5),
        # COUNT, page of time entries with the gate's EXISTS subqueries
        (TIME, 2),
    ],
)
def test_list_query_count_does_not_grow(
    api, supervisor, case_manager, url, queries, django_assert_num_queries
):
    client = api(supervisor)
    client.get(url)  # the user's role is read once and kept on the user

    def make(n):
        for _ in range(n):
            contact = ContactFactory(person=PersonFactory(case_manager=case_manager))
            TimeEntryFactory(person=contact.person, contact=contact)
            services.add_addendum(actor=case_manager, contact=contact, text="More.")

    make(2)
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["results"]) == 2
    make(20)
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["results"]) == 22

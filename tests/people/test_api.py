"""The persons and representatives API: scope, roles, validation, the case actions."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from people.models import AccessLog, CaseAssignment, Person
from tests.factories.people import CaseEpisodeFactory, PersonFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


def enrollment(manager, /, **overrides):
    return {
        "first_name": "Ada",
        "last_name": "Wren",
        "date_of_birth": "1999-05-06",
        "medicaid_id": "123123123",
        "case_manager": manager.pk,
        "opened_on": "2024-02-01",
    } | overrides


def test_anonymous_gets_nothing(person):
    client = APIClient()
    for path in ("/api/v1/persons/", f"/api/v1/persons/{person.pk}/", "/api/v1/representatives/"):
        assert client.get(path).status_code in (401, 403)
    assert client.post(f"/api/v1/persons/{person.pk}/close/", {}).status_code in (401, 403)


@pytest.mark.parametrize("persona", ["peer_case_manager", "other_case_manager"])
def test_person_out_of_scope_is_404_on_every_route(request, api_for, person, persona):
    client = api_for(request.getfixturevalue(persona))
    representative = RepresentativeFactory(person=person)
    base = f"/api/v1/persons/{person.pk}/"
    assert client.get(base).status_code == 404
    assert client.patch(base, {"phone": "1"}, format="json").status_code == 404
    assert client.post(f"{base}close/", {}, format="json").status_code == 404
    assert client.post(f"{base}reopen/", {}, format="json").status_code == 404
    rep = f"/api/v1/representatives/{representative.pk}/"
    assert client.get(rep).status_code == 404
    assert client.patch(rep, {"name": "X"}, format="json").status_code == 404
    assert client.get("/api/v1/persons/").json()["count"] == 0


@pytest.mark.parametrize(
    "persona", ["case_manager", "supervisor", "reimbursement_officer", "reviewer"]
)
def test_each_role_in_scope_reads_persons_and_representatives(request, api_for, person, persona):
    RepresentativeFactory(person=person)
    client = api_for(request.getfixturevalue(persona))
    listing = client.get("/api/v1/persons/").json()
    assert [row["id"] for row in listing["results"]] == [person.pk]
    detail = client.get(f"/api/v1/persons/{person.pk}/").json()
    assert detail["status"] == "open"
    assert detail["episodes"][0]["opened_on"] == "2020-01-01"
    assert client.get("/api/v1/representatives/").json()["count"] == 1


@pytest.mark.parametrize("persona", ["reimbursement_officer", "reviewer"])
def test_read_only_roles_cannot_write(request, api_for, person, case_manager, persona):
    client = api_for(request.getfixturevalue(persona))
    base = f"/api/v1/persons/{person.pk}/"
    assert client.post("/api/v1/persons/", enrollment(case_manager)).status_code == 403
    assert client.patch(base, {"phone": "1"}, format="json").status_code == 403
    close = {"closed_on": "2024-01-01", "closure_reason": "moved"}
    assert client.post(f"{base}close/", close, format="json").status_code == 403
    assert client.post(f"{base}reopen/", {}, format="json").status_code == 403
    new = {"person": person.pk, "name": "X"}
    assert client.post("/api/v1/representatives/", new, format="json").status_code == 403
    assert person.episodes.get().closed_on is None


def test_there_is_no_delete(api_for, person, supervisor):
    response = api_for(supervisor).delete(f"/api/v1/persons/{person.pk}/")
    assert response.status_code == 405
    assert Person.objects.filter(pk=person.pk).exists()


def test_enroll_through_the_api(api_for, supervisor, case_manager):
    response = api_for(supervisor).post(
        "/api/v1/persons/", enrollment(case_manager, arrangement="natural_home"), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["case_manager"]) == ("open", case_manager.pk)
    assert CaseAssignment.objects.get(person_id=body["id"]).assigned_by == supervisor


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"case_manager": 999999}, "case_manager"),  # unknown case manager
        ({"regional_program": 999999}, "regional_program"),  # unknown region
        ({"opened_on": "not a date"}, "opened_on"),
        ({"opened_on": "2999-01-01"}, "opened_on"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_enroll_with_bad_input_names_the_field(api_for, supervisor, case_manager, overrides, field):
    response = api_for(supervisor).post(
        "/api/v1/persons/", enrollment(case_manager, **overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Person.objects.exists()


def test_enroll_onto_another_programs_case_manager_is_refused(
    api_for, supervisor, other_case_manager
):
    response = api_for(supervisor).post(
        "/api/v1/persons/", enrollment(other_case_manager), format="json"
    )
    assert response.status_code == 400
    assert "case_manager" in response.json()


def test_refuse_close_reopen_round_trip_through_the_api(api_for, person):
    client = api_for(person.case_manager)
    base = f"/api/v1/persons/{person.pk}/"
    refused = {"closed_on": "2023-06-30", "closure_reason": "refused", "closure_note": "No."}
    closed = client.post(f"{base}close/", refused, format="json")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    again = client.post(f"{base}close/", refused, format="json")
    assert again.status_code == 400
    assert "closed_on" in again.json()
    overlapping = client.post(f"{base}reopen/", {"opened_on": "2023-06-01"}, format="json")
    assert overlapping.status_code == 400
    assert "opened_on" in overlapping.json()
    reopened = client.post(f"{base}reopen/", {"opened_on": "2023-09-01"}, format="json")
    assert reopened.status_code == 200
    episodes = reopened.json()["episodes"]
    assert [(e["closed_on"], e["closure_reason"]) for e in episodes] == [
        ("2023-06-30", "refused"),
        (None, ""),
    ]
    assert client.post(f"{base}reopen/", {"opened_on": "2024-01-01"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"closed_on": "2019-01-01", "closure_reason": "moved"}, "closed_on"),
        ({"closed_on": "2024-01-01", "closure_reason": "bored"}, "closure_reason"),
        ({"closure_reason": "moved"}, "closed_on"),
    ],
)
def test_close_with_bad_input_names_the_field(api_for, person, body, field):
    response = api_for(person.case_manager).post(
        f"/api/v1/persons/{person.pk}/close/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert person.episodes.get().closed_on is None


def test_update_person_and_detail_logs_access(api_for, person):
    client = api_for(person.case_manager)
    response = client.patch(
        f"/api/v1/persons/{person.pk}/", {"phone": "601-555-1234"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "601-555-1234"
    client.get(f"/api/v1/persons/{person.pk}/")
    assert AccessLog.objects.get().view == "api:person-detail"


def test_update_refuses_a_medicaid_id_already_taken(api_for, person):
    other = PersonFactory(case_manager=person.case_manager)
    response = api_for(person.case_manager).patch(
        f"/api/v1/persons/{person.pk}/", {"medicaid_id": other.medicaid_id}, format="json"
    )
    assert response.status_code == 400
    assert "medicaid_id" in response.json()


def test_filters_status_case_manager_and_search(api_for, supervisor, person, peer_case_manager):
    closed = PersonFactory(case_manager=peer_case_manager, last_name="Zed")
    CaseEpisodeFactory(person=closed, closed_on=date(2021, 1, 1), closure_reason="moved")
    client = api_for(supervisor)

    def ids(**params):
        return [row["id"] for row in client.get("/api/v1/persons/", params).json()["results"]]

    assert ids(status="open") == [person.pk]
    assert ids(status="closed") == [closed.pk]
    assert ids(case_manager=peer_case_manager.pk) == [closed.pk]
    assert ids(search="zed") == [closed.pk]
    assert ids(search=person.medicaid_id) == [person.pk]
    assert client.get("/api/v1/persons/", {"status": "bogus"}).status_code == 400


def test_representatives_are_added_and_changed_through_the_service(api_for, person):
    client = api_for(person.case_manager)
    created = client.post(
        "/api/v1/representatives/",
        {"person": person.pk, "name": "Gloria Reed", "is_legal_representative": True},
        format="json",
    )
    assert created.status_code == 201
    rep_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/representatives/{rep_id}/", {"relationship": "Mother"}, format="json"
    )
    assert changed.json()["relationship"] == "Mother"
    assert person.representatives.get().history.count() == 2
    blank = client.patch(f"/api/v1/representatives/{rep_id}/", {"name": ""}, format="json")
    assert blank.status_code == 400
    assert "name" in blank.json()


def test_representative_for_a_person_out_of_scope_is_refused(api_for, peer_case_manager, person):
    response = api_for(peer_case_manager).post(
        "/api/v1/representatives/", {"person": person.pk, "name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert "person" in response.json()


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/v1/persons/", "/api/v1/representatives/"])
def test_list_query_count_does_not_grow(api_for, supervisor, case_manager, path):
    # count, page of rows, episodes (persons only, prefetched); the user's
    # groups are read once by the warm-up request and cached on the user.
    def add(n):
        for _ in range(n):
            person = PersonFactory(case_manager=case_manager)
            CaseEpisodeFactory(person=person)
            RepresentativeFactory(person=person)

    client = api_for(supervisor)
    add(10)
    count_queries(client, path)
    small = count_queries(client, path)
    add(190)
    assert count_queries(client, path) == small <= 3

"""The findings API: filters, scoping, roles and the acknowledgement."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from people.models import AccessLog
from tests.factories import PersonFactory
from tests.factories.compliance import FindingFactory

pytestmark = pytest.mark.django_db

FINDINGS = "/api/v1/findings/"


@pytest.fixture
def api_for():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


@pytest.fixture
def finding(person):
    return FindingFactory(person=person)


@pytest.fixture
def foreign_finding(other_case_manager):
    return FindingFactory(person=PersonFactory(case_manager=other_case_manager))


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_case_manager_lists_own_findings_only(api_for, person, finding, foreign_finding):
    response = api_for(person.case_manager).get(FINDINGS)
    assert ids(response) == [finding.pk]
    row = response.json()["results"][0]
    assert row["rule"] == "monthly_contact"
    assert row["period_start"] == "2024-03-01"
    assert row["case_manager"] == person.case_manager_id
    assert row["region"] == person.regional_program.code


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rule": "monthly_contact"}, ["march"]),
        ({"rule": "quarterly_face_to_face"}, ["quarter"]),
        ({"status": "resolved"}, ["quarter"]),
        ({"period": "2024-03"}, ["march"]),
        ({"period": "2024-01"}, ["quarter"]),
        ({"period_start": "2024-01-01"}, ["quarter"]),
        ({"region": "HRC"}, ["march", "quarter"]),
        ({"region": "SMRC"}, []),
    ],
)
def test_filters(api_for, reviewer, person, params, expected):
    rows = {
        "march": FindingFactory(person=person),
        "quarter": FindingFactory(
            person=person,
            rule="quarterly_face_to_face",
            period_start=date(2024, 1, 1),
            status="resolved",
            resolved_at=date(2024, 5, 1).isoformat() + "T00:00:00Z",
        ),
    }
    found = ids(api_for(reviewer).get(FINDINGS, params))
    assert sorted(found) == sorted(rows[name].pk for name in expected)


def test_filters_by_person_and_case_manager(
    api_for, supervisor, person, finding, peer_case_manager
):
    other = FindingFactory(person=PersonFactory(case_manager=peer_case_manager))
    client = api_for(supervisor)
    assert ids(client.get(FINDINGS, {"person": person.pk})) == [finding.pk]
    assert ids(client.get(FINDINGS, {"case_manager": peer_case_manager.pk})) == [other.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"period": "March"}, "period"), ({"rule": "weekly"}, "rule"), ({"person": "x"}, "person")],
)
def test_bad_filter_is_a_400_naming_the_field(api_for, case_manager, params, field):
    response = api_for(case_manager).get(FINDINGS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_detail_logs_the_access_and_out_of_scope_is_404(api_for, person, finding, foreign_finding):
    client = api_for(person.case_manager)
    assert client.get(f"{FINDINGS}{finding.pk}/").status_code == 200
    assert AccessLog.objects.get().view == "api:finding-detail"
    assert client.get(f"{FINDINGS}{foreign_finding.pk}/").status_code == 404


def test_anonymous_is_refused():
    assert APIClient().get(FINDINGS).status_code in (401, 403)


def test_reimbursement_officer_is_403(api_for, reimbursement_officer):
    assert api_for(reimbursement_officer).get(FINDINGS).status_code == 403


def test_supervisor_acknowledges(api_for, supervisor, finding):
    response = api_for(supervisor).post(
        f"{FINDINGS}{finding.pk}/acknowledge/", {"note": "Discussed."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["acknowledgement_note"] == "Discussed."
    again = api_for(supervisor).post(
        f"{FINDINGS}{finding.pk}/acknowledge/", {"note": "Again."}, format="json"
    )
    assert again.status_code == 400
    assert "note" in again.json()


def test_acknowledge_without_note_names_the_field(api_for, supervisor, finding):
    response = api_for(supervisor).post(f"{FINDINGS}{finding.pk}/acknowledge/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()


@pytest.mark.parametrize("persona", ["case_manager", "reviewer"])
def test_only_supervisors_acknowledge(request, api_for, finding, persona):
    user = request.getfixturevalue(persona)
    response = api_for(user).post(
        f"{FINDINGS}{finding.pk}/acknowledge/", {"note": "x"}, format="json"
    )
    assert response.status_code == 403


def test_supervisor_of_another_program_gets_404(api_for, supervisor, foreign_finding):
    response = api_for(supervisor).post(
        f"{FINDINGS}{foreign_finding.pk}/acknowledge/", {"note": "x"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_findings_cannot_be_written_directly(api_for, supervisor, finding, method):
    client = api_for(supervisor)
    url = FINDINGS if method == "post" else f"{FINDINGS}{finding.pk}/"
    assert getattr(client, method)(url, {}, format="json").status_code == 405


@pytest.mark.parametrize("size", [2, 20])
def test_list_queries_do_not_grow(api_for, case_manager, size, django_assert_num_queries):
    for _ in range(size):
        FindingFactory(person=PersonFactory(case_manager=case_manager))
    client = api_for(case_manager)
    # role (1); count (1); page with persons, programs and acknowledgers (1).
    with django_assert_num_queries(3):
        client.get(FINDINGS)

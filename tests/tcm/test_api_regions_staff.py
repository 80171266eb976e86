"""The read-only regions and staff resources: scope by program, no writes."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.factories.tcm import StaffQualificationFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_anonymous_gets_nothing(region):
    for path in ("/api/v1/regions/", "/api/v1/staff/"):
        assert APIClient().get(path).status_code in (401, 403)


def test_staff_see_their_own_program_only(supervisor, region, other_region):
    client = api(supervisor)
    assert [r["code"] for r in client.get("/api/v1/regions/").json()["results"]] == ["HRC"]
    assert client.get(f"/api/v1/regions/{other_region.pk}/").status_code == 404
    assert client.get(f"/api/v1/regions/{region.pk}/").json()["certified_today"] is True


def test_reviewer_sees_every_region(reviewer, region, other_region):
    body = api(reviewer).get("/api/v1/regions/").json()
    assert [r["code"] for r in body["results"]] == ["HRC", "SMRC"]


def test_staff_list_shows_role_and_todays_qualification(
    supervisor, case_manager, other_case_manager, region
):
    lapsed = UserFactory(username="lapsed", regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=lapsed, effective_to=date(2020, 1, 1))
    client = api(supervisor)
    rows = client.get("/api/v1/staff/", {"role": "case_manager"}).json()["results"]
    assert {(r["username"], r["role"], r["qualified_today"]) for r in rows} == {
        ("alice", "case_manager", True),
        ("lapsed", "case_manager", False),
    }
    assert client.get(f"/api/v1/staff/{other_case_manager.pk}/").status_code == 404
    qualified = client.get("/api/v1/staff/", {"qualified_today": "true"}).json()["results"]
    assert [r["username"] for r in qualified] == ["alice"]


@pytest.mark.parametrize("persona", ["supervisor", "reviewer"])
def test_regions_and_staff_are_read_only(request, persona, region):
    client = api(request.getfixturevalue(persona))
    assert client.post("/api/v1/regions/", {"code": "X"}).status_code in (403, 405)
    assert client.patch(f"/api/v1/regions/{region.pk}/", {"name": "X"}).status_code in (403, 405)
    assert client.post("/api/v1/staff/", {"username": "x"}).status_code in (403, 405)

"""The plans, assessments and referrals API: scoping, roles, frozen plans, query counts."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from people.models import AccessLog
from plans.models import Plan, Referral
from tests.factories import CaseEpisodeFactory, PersonFactory
from tests.factories.plans import DesiredOutcomeFactory, PlanFactory, PlanServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def client(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return client


def test_case_manager_creates_edits_and_approves_a_plan(api, case_manager, person, providers):
    client = api(case_manager)
    created = client.post(
        "/api/v1/plans/",
        {"person": person.pk, "meeting_date": "2025-03-10", "revision_reason": "initial"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/plans/{created.json()['id']}/"
    assert client.post(url + "add-outcome/", {"description": "Live on my own"}).status_code == 200
    added = client.post(
        url + "add-service/",
        {
            "service": "Supported living",
            "provider": providers["arc"].pk,
            "providers_presented": [providers["arc"].pk, providers["hope"].pk],
            "start_date": "2025-04-01",
            "choice_recorded_on": "2025-03-10",
        },
        format="json",
    )
    assert added.status_code == 200, added.json()
    approved = client.post(url + "approve/")
    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["next_revision_due"]) == ("active", "2026-03-10")
    assert [o["description"] for o in body["outcomes"]] == ["Live on my own"]
    assert body["services"][0]["providers_presented"] == [providers["arc"].pk, providers["hope"].pk]


def test_uncertified_provider_is_a_400_naming_the_field(api, case_manager, draft, providers):
    response = api(case_manager).post(
        f"/api/v1/plans/{draft.pk}/add-service/",
        {
            "service": "Respite",
            "provider": providers["lapsed"].pk,
            "providers_presented": [providers["lapsed"].pk],
            "start_date": "2025-04-01",
            "choice_recorded_on": "2025-03-10",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "Lapsed Care" in response.json()["providers_presented"][0]


@pytest.mark.parametrize(
    ("method", "suffix", "data"),
    [
        ("put", "", {"meeting_date": "2025-03-11", "revision_reason": "annual"}),
        ("post", "add-outcome/", {"description": "More"}),
        ("post", "remove-outcome/", "outcome"),
        ("post", "remove-service/", "service"),
        ("post", "approve/", {}),
    ],
)
def test_active_plan_edits_are_refused_with_a_clear_message(
    api, case_manager, active, method, suffix, data
):
    if method == "put":
        data = {**data, "participants": "Pat"}
    elif data == "outcome":
        data = {"id": active.outcomes.get().pk}
    elif data == "service":
        data = {"id": active.services.get().pk}
    response = getattr(api(case_manager), method)(
        f"/api/v1/plans/{active.pk}/{suffix}", data, format="json"
    )
    assert response.status_code == 400
    assert "frozen" in response.json()["status"][0]
    assert active.outcomes.count() == 1 and active.services.count() == 1


def test_second_draft_is_a_400(api, case_manager, draft, person):
    response = api(case_manager).post(
        "/api/v1/plans/",
        {"person": person.pk, "meeting_date": "2025-03-10", "revision_reason": "annual"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()


def test_bad_input_names_the_fields(api, case_manager):
    response = api(case_manager).post(
        "/api/v1/plans/", {"meeting_date": "soon", "revision_reason": "whim"}, format="json"
    )
    assert response.status_code == 400
    assert {"person", "meeting_date", "revision_reason"} <= set(response.json())


def test_assessment_not_meeting_criteria_opens_a_referral(api, case_manager, person):
    response = api(case_manager).post(
        "/api/v1/assessments/",
        {"person": person.pk, "assessed_on": "2025-03-10", "meets_criteria": False},
        format="json",
    )
    assert response.status_code == 201
    referral = Referral.objects.get(person=person)
    assert response.json()["referral"] == referral.pk
    assert referral.status == "open"


def test_supervisor_records_the_referral_outcome(api, supervisor, case_manager, referral):
    client = api(supervisor)
    assert client.post(f"/api/v1/referrals/{referral.pk}/review/").json()["status"] == "in_review"
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/outcome/",
        {"outcome": "not_eligible", "outcome_on": "2025-03-20"},
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "not_eligible"
    assert api(case_manager).post(f"/api/v1/referrals/{referral.pk}/review/").status_code == 403


@pytest.fixture
def records(draft, referral):
    return {
        "plans": draft.pk,
        "assessments": referral.assessment_id,
        "referrals": referral.pk,
    }


RESOURCES = ["plans", "assessments", "referrals"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_is_refused(api, records, resource):
    assert api().get(f"/api/v1/{resource}/").status_code in (401, 403)
    assert api().get(f"/api/v1/{resource}/{records[resource]}/").status_code in (401, 403)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("persona", ["peer_case_manager", "other_case_manager"])
def test_out_of_scope_is_404_and_absent_from_lists(request, api, records, resource, persona):
    client = api(request.getfixturevalue(persona))
    assert client.get(f"/api/v1/{resource}/{records[resource]}/").status_code == 404
    assert client.get(f"/api/v1/{resource}/").json()["count"] == 0


@pytest.mark.parametrize("resource", RESOURCES)
def test_supervisor_and_reviewer_see_the_program(api, supervisor, reviewer, records, resource):
    for user in (supervisor, reviewer):
        response = api(user).get(f"/api/v1/{resource}/{records[resource]}/")
        assert response.status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
def test_detail_view_writes_one_access_log_row(api, case_manager, person, records, resource):
    api(case_manager).get(f"/api/v1/{resource}/{records[resource]}/")
    assert AccessLog.objects.filter(person=person, view=f"api:{resource[:-1]}-detail").count() == 1


@pytest.mark.parametrize("resource", RESOURCES)
def test_reimbursement_officer_has_no_access(api, reimbursement_officer, records, resource):
    client = api(reimbursement_officer)
    assert client.get(f"/api/v1/{resource}/").status_code == 403


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/api/v1/plans/", {}),
        ("/api/v1/plans/{plans}/approve/", {}),
        ("/api/v1/plans/{plans}/add-outcome/", {"description": "x"}),
        ("/api/v1/assessments/", {}),
        ("/api/v1/referrals/{referrals}/outcome/", {}),
    ],
)
def test_reviewer_writes_are_forbidden(api, reviewer, records, url, data):
    response = api(reviewer).post(url.format(**records), data)
    assert response.status_code == 403
    assert Plan.objects.get(pk=records["plans"]).status == "draft"


def test_out_of_scope_person_cannot_be_given_a_plan(api, other_case_manager, person):
    response = api(other_case_manager).post(
        "/api/v1/plans/",
        {"person": person.pk, "meeting_date": "2025-03-10", "revision_reason": "initial"},
        format="json",
    )
    assert response.status_code == 400
    assert "person" in response.json()
    assert not Plan.objects.exists()


def _plans_for(manager, count):
    for _ in range(count):
        person = PersonFactory(case_manager=manager)
        CaseEpisodeFactory(person=person)
        plan = PlanFactory(person=person, version=1)
        DesiredOutcomeFactory(plan=plan)
        PlanServiceFactory(plan=plan)


@pytest.mark.parametrize("count", [2, 20])
def test_plan_list_queries_do_not_grow_with_rows(
    api, case_manager, django_assert_num_queries, count
):
    _plans_for(case_manager, count)
    client = api(case_manager)
    client.get("/api/v1/plans/")  # caches the user's role, looked up once per request
    # count, plans page, outcomes, services, providers presented
    with django_assert_num_queries(5):
        response = client.get("/api/v1/plans/")
    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [2, 20])
def test_referral_and_assessment_lists_do_not_grow_with_rows(
    api, case_manager, supervisor, django_assert_num_queries, count
):
    from plans import services

    for _ in range(count):
        person = PersonFactory(case_manager=case_manager)
        services.record_assessment(
            actor=case_manager, person=person, assessed_on=date(2025, 1, 2), meets_criteria=False
        )
    client = api(supervisor)
    client.get("/api/v1/referrals/")  # caches the user's role, looked up once per request
    for resource in ("referrals", "assessments"):
        # count, page (assessments join their referral)
        with django_assert_num_queries(2):
            assert client.get(f"/api/v1/{resource}/").json()["count"] == count

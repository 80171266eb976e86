"""Plan pages: editor (htmx and plain), frozen plans, print, compare, reassessment, referrals."""

from datetime import date

import pytest
from django.urls import reverse

from people.models import AccessLog
from people.sections import sections_for
from plans import services
from plans.models import Plan, Referral
from plans.sections import plan_section
from tests.factories import CaseEpisodeFactory, PersonFactory
from tests.factories.plans import DesiredOutcomeFactory, PlanFactory, PlanServiceFactory
from tests.plans.conftest import MEETING

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_case_manager_writes_a_plan_from_start_to_approval(
    client_for, case_manager, person, providers
):
    client = client_for(case_manager)
    response = client.post(
        reverse("plans:plan-create", args=[person.pk]),
        {"meeting_date": "2025-03-10", "revision_reason": "initial", "participants": "Pat"},
    )
    plan = Plan.objects.get(person=person)
    assert response.url == reverse("plans:plan-edit", args=[plan.pk])
    assert client.get(response.url).status_code == 200

    part = client.post(
        reverse("plans:outcome-add", args=[plan.pk]), {"description": "Cook my meals"}, **HTMX
    )
    assert part.templates[0].name == "plans/_outcomes.html"
    assert b"Cook my meals" in part.content
    part = client.post(
        reverse("plans:service-add", args=[plan.pk]),
        {
            "service": "Home supports",
            "providers_presented": [providers["arc"].pk, providers["hope"].pk],
            "provider": providers["hope"].pk,
            "frequency": "Twice a week",
            "start_date": "2025-04-01",
            "choice_recorded_on": "2025-03-10",
        },
        **HTMX,
    )
    assert part.templates[0].name == "plans/_services.html"
    assert b"Hope Services" in part.content

    response = client.post(reverse("plans:plan-approve", args=[plan.pk]))
    assert response.url == reverse("plans:plan-detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == "active"


def test_plain_form_posts_work_without_javascript(client_for, case_manager, draft):
    client = client_for(case_manager)
    response = client.post(
        reverse("plans:outcome-add", args=[draft.pk]), {"description": "Visit my brother"}
    )
    assert response.url == reverse("plans:plan-edit", args=[draft.pk])
    assert draft.outcomes.count() == 2
    outcome = draft.outcomes.first()
    client.post(reverse("plans:outcome-remove", args=[draft.pk, outcome.pk]))
    assert draft.outcomes.count() == 1


def test_uncertified_provider_is_refused_next_to_the_field(
    client_for, case_manager, draft, providers
):
    part = client_for(case_manager).post(
        reverse("plans:service-add", args=[draft.pk]),
        {
            "service": "Respite",
            "providers_presented": [providers["lapsed"].pk],
            "provider": providers["lapsed"].pk,
            "start_date": "2025-04-01",
            "choice_recorded_on": "2025-03-10",
        },
        **HTMX,
    )
    assert part.status_code == 200
    assert b'role="alert"' in part.content
    assert draft.services.count() == 1


def test_approving_without_outcomes_explains_why(client_for, case_manager, person):
    plan = services.create_plan(
        actor=case_manager, person=person, meeting_date=MEETING, revision_reason="initial"
    )
    response = client_for(case_manager).post(
        reverse("plans:plan-approve", args=[plan.pk]), follow=True
    )
    assert b"Add at least one desired outcome" in response.content
    plan.refresh_from_db()
    assert plan.status == "draft"


def _frozen_routes(plan):
    outcome, service = plan.outcomes.get(), plan.services.get()
    return [
        ("get", reverse("plans:plan-edit", args=[plan.pk]), {}),
        ("post", reverse("plans:plan-edit", args=[plan.pk]), {"meeting_date": "2025-01-01"}),
        ("post", reverse("plans:outcome-add", args=[plan.pk]), {"description": "More"}),
        ("post", reverse("plans:outcome-remove", args=[plan.pk, outcome.pk]), {}),
        ("post", reverse("plans:service-add", args=[plan.pk]), {"service": "x"}),
        ("post", reverse("plans:service-remove", args=[plan.pk, service.pk]), {}),
        ("post", reverse("plans:plan-approve", args=[plan.pk]), {}),
    ]


@pytest.mark.parametrize("htmx", [False, True])
def test_every_edit_route_refuses_an_active_plan(client_for, case_manager, active, htmx):
    client = client_for(case_manager)
    detail = reverse("plans:plan-detail", args=[active.pk])
    for method, url, data in _frozen_routes(active):
        response = getattr(client, method)(url, data, **(HTMX if htmx else {}))
        if htmx:
            assert response["HX-Redirect"] == detail, url
        else:
            assert response.status_code == 302 and response.url == detail, url
    page = client.get(detail)
    assert b"content is frozen" in page.content
    active.refresh_from_db()
    assert (active.status, active.meeting_date) == ("active", MEETING)
    assert active.outcomes.count() == 1 and active.services.count() == 1


def test_plan_page_and_print_show_the_plan_and_log_access(client_for, case_manager, active, person):
    client = client_for(case_manager)
    for name in ("plans:plan-detail", "plans:plan-print"):
        response = client.get(reverse(name, args=[active.pk]))
        assert response.status_code == 200
        assert b"I want a job at the library." in response.content
        assert b"Arc of Mississippi" in response.content
        assert b"March 10, 2026" in response.content  # next review
    assert b"data-print" in response.content
    assert b"<script>" not in response.content and b" style=" not in response.content
    views = set(AccessLog.objects.filter(person=person).values_list("view", flat=True))
    assert views == {"plans:plan-detail", "plans:plan-print"}


def test_compare_marks_what_changed_between_versions(client_for, case_manager, active, person):
    revision = services.create_plan(
        actor=case_manager, person=person, meeting_date=MEETING, revision_reason="annual"
    )
    services.add_outcome(actor=case_manager, plan=revision, description="Take the bus alone")
    response = client_for(case_manager).get(reverse("plans:plan-compare", args=[person.pk]))
    assert response.status_code == 200
    assert (response.context["left"], response.context["right"]) == (active, revision)
    left, right = response.context["outcomes"]
    assert [i["changed"] for i in left] == [False]
    assert [(i["text"], i["changed"]) for i in right][-1] == ("Take the bus alone", True)
    reason = next(r for r in response.context["header_rows"] if r["label"] == "Reason for revision")
    assert reason["changed"]


def test_compare_with_one_version_or_bad_ids_still_answers(client_for, case_manager, draft, person):
    url = reverse("plans:plan-compare", args=[person.pk])
    response = client_for(case_manager).get(url, {"left": "x", "right": "999"})
    assert response.status_code == 200
    assert b"Only one version exists" in response.content


def test_reassessment_not_meeting_criteria_opens_a_referral(client_for, case_manager, person):
    response = client_for(case_manager).post(
        reverse("plans:assessment-create", args=[person.pk]),
        {"assessed_on": "2025-03-10", "meets_criteria": "no", "notes": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert b"does not meet criteria" in response.content
    referral = Referral.objects.get(person=person)
    assert referral.status == "open"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"assessed_on": "2999-01-01", "meets_criteria": "no"}, {"assessed_on"}),
        ({"assessed_on": "someday"}, {"assessed_on", "meets_criteria"}),
    ],
)
def test_reassessment_form_names_bad_fields(client_for, case_manager, person, data, fields):
    response = client_for(case_manager).post(
        reverse("plans:assessment-create", args=[person.pk]), data
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == fields
    assert b'role="alert"' in response.content
    assert not Referral.objects.exists()


def test_supervisor_queue_review_and_not_eligible_prompt(client_for, supervisor, referral):
    client = client_for(supervisor)
    queue = client.get(reverse("plans:referral-list"))
    assert referral in queue.context["pending"]
    url = reverse("plans:referral-outcome", args=[referral.pk])
    client.post(url, {"start_review": "1"})
    response = client.post(
        url, {"outcome": "not_eligible", "outcome_on": "2025-03-20", "notes": ""}, follow=True
    )
    assert b"not eligible" in response.content
    assert b"Ineligible" in response.content
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("decided", "not_eligible")


def test_outcome_before_referral_is_refused_next_to_the_field(client_for, supervisor, referral):
    response = client_for(supervisor).post(
        reverse("plans:referral-outcome", args=[referral.pk]),
        {"outcome": "eligible", "outcome_on": "2020-01-01"},
    )
    assert "outcome_on" in response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == "open"


@pytest.fixture
def urls(draft, referral, person):
    return {
        "plan-detail": reverse("plans:plan-detail", args=[draft.pk]),
        "plan-print": reverse("plans:plan-print", args=[draft.pk]),
        "plan-edit": reverse("plans:plan-edit", args=[draft.pk]),
        "plan-create": reverse("plans:plan-create", args=[person.pk]),
        "plan-compare": reverse("plans:plan-compare", args=[person.pk]),
        "assessment-create": reverse("plans:assessment-create", args=[person.pk]),
        "referral-outcome": reverse("plans:referral-outcome", args=[referral.pk]),
    }


PERSON_PAGES = [
    "plan-detail",
    "plan-print",
    "plan-edit",
    "plan-create",
    "plan-compare",
    "assessment-create",
]


@pytest.mark.parametrize("page", [*PERSON_PAGES, "referral-outcome"])
def test_anonymous_is_sent_to_login(client, urls, page):
    response = client.get(urls[page])
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("page", PERSON_PAGES)
@pytest.mark.parametrize("persona", ["peer_case_manager", "other_case_manager"])
def test_out_of_scope_case_manager_gets_404(request, client_for, urls, page, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(urls[page]).status_code == 404


@pytest.mark.parametrize("page", [*PERSON_PAGES, "referral-outcome"])
def test_reimbursement_officer_is_refused(client_for, reimbursement_officer, urls, page):
    assert client_for(reimbursement_officer).get(urls[page]).status_code == 403


def test_case_manager_has_no_referral_queue(client_for, case_manager, urls):
    client = client_for(case_manager)
    assert client.get(reverse("plans:referral-list")).status_code == 403
    assert client.get(urls["referral-outcome"]).status_code == 403


def test_other_program_supervisor_gets_404_and_an_empty_queue(client_for, other_region, urls):
    from tests.factories import UserFactory

    other = UserFactory(username="otto", regional_program=other_region, role="supervisor")
    client = client_for(other)
    assert client.get(urls["referral-outcome"]).status_code == 404
    assert client.get(urls["plan-detail"]).status_code == 404
    assert list(client.get(reverse("plans:referral-list")).context["pending"]) == []


@pytest.mark.parametrize("page", [*PERSON_PAGES, "referral-outcome"])
def test_reviewer_reads_but_every_write_is_403(client_for, reviewer, urls, page, draft):
    client = client_for(reviewer)
    if page != "plan-edit":
        assert client.get(urls[page]).status_code == 200
    assert client.post(urls[page], {}).status_code == 403
    for name in ("plans:plan-approve", "plans:outcome-add", "plans:service-add"):
        assert client.post(reverse(name, args=[draft.pk]), {}).status_code == 403


def test_person_section_summarises_the_plan(
    rf, case_manager, reimbursement_officer, active, referral, person, django_assert_num_queries
):
    request = rf.get("/")
    request.user = case_manager
    case_manager.role  # noqa: B018  (cache the role so only the section's queries count)
    # plans, their outcomes, the latest assessment, pending referrals
    with django_assert_num_queries(4):
        section = plan_section(request, person)
    assert section.context["active"] == active
    assert section.context["open_referrals"] == [referral]
    assert section.context["can_write"]
    request.user = reimbursement_officer
    assert plan_section(request, person) is None
    assert "plan" not in [s.anchor for s in sections_for(request, person)]


def _program(supervisor, count):
    """`count` persons in the supervisor's program, each with a referral pending."""
    for _ in range(count):
        person = PersonFactory(case_manager=None, regional_program=supervisor.regional_program)
        CaseEpisodeFactory(person=person)
        services.record_assessment(
            actor=supervisor, person=person, assessed_on=date(2025, 1, 2), meets_criteria=False
        )


@pytest.mark.parametrize("count", [2, 20])
def test_referral_queue_queries_do_not_grow(
    client_for, supervisor, django_assert_num_queries, count
):
    _program(supervisor, count)
    client = client_for(supervisor)
    # session, user with its role, user's program (page header), pending referrals
    # (+person, case manager), decided referrals
    with django_assert_num_queries(5):
        response = client.get(reverse("plans:referral-list"))
    assert len(response.context["pending"]) == count


@pytest.mark.parametrize("count", [2, 20])
def test_plan_page_queries_do_not_grow(
    client_for, case_manager, person, django_assert_num_queries, count
):
    plan = PlanFactory(person=person, version=1)
    for _ in range(count):
        DesiredOutcomeFactory(plan=plan)
        PlanServiceFactory(plan=plan)
    client = client_for(case_manager)
    # session, user with its role, plan (+person, authors), outcomes, services
    # (+provider), providers presented, access-log insert, user's program (page header)
    with django_assert_num_queries(8):
        response = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    assert len(response.context["plan"].outcomes.all()) == count

"""Login, logout and each role's landing page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tcm.demo.organisation import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_page_renders_with_labels(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content


def test_wrong_password_shows_an_error_and_stays_logged_out(client, case_manager):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("case_manager", b"Worklist"),
        ("supervisor", b"Program dashboard"),
        ("reimbursement_officer", b"Billing"),
        ("reviewer", b"Statewide overview"),
    ],
)
def test_each_role_lands_on_its_page(request, client_for, person, persona, heading):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert heading in response.content


def test_reviewer_landing_counts_every_region(client_for, person, other_case_manager, reviewer):
    from tests.factories import CaseEpisodeFactory, PersonFactory

    CaseEpisodeFactory(person=PersonFactory(case_manager=other_case_manager))
    response = client_for(reviewer).get(reverse("home"))
    assert response.context["person_count"] == 2
    assert response.context["open_count"] == 2


def test_reimbursement_officer_sees_unqualified_case_managers_flagged(
    client_for, reimbursement_officer, region
):
    from tests.factories import StaffQualificationFactory, UserFactory

    unqualified = UserFactory(username="newbie", regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=unqualified, pcp_training_completed_on=None)
    response = client_for(reimbursement_officer).get(reverse("home"), follow=True)
    assert b"Not qualified" in response.content
    assert b"Person-centered planning training not completed" in response.content


@pytest.mark.parametrize("size", [2, 6])
def test_reimbursement_officer_pages_through_the_case_managers(
    client_for, reimbursement_officer, region, size, monkeypatch, django_assert_num_queries
):
    from tests.factories import PersonFactory, StaffQualificationFactory, UserFactory

    monkeypatch.setattr("tcm.views.STAFF_PER_PAGE", 2)
    for number in range(size):
        manager = UserFactory(
            username=f"cm{number}",
            first_name="",
            last_name=f"Manager {number}",
            regional_program=region,
            role="case_manager",
        )
        StaffQualificationFactory(staff=manager)
        for _ in range(number):
            PersonFactory(case_manager=manager)
    client = client_for(reimbursement_officer)
    # session, user with its role, the versions of records and the program's staffing
    # (tcm.page_cache), runs, case managers counted, a page of them with their
    # caseloads, their qualifications, the header's program
    with django_assert_num_queries(8):
        first = client.get(reverse("billing:run-list"))
    # Nothing changed: the body comes from the cache; the header's program still asked.
    with django_assert_num_queries(4):
        client.get(reverse("billing:run-list"))
    last = client.get(reverse("billing:run-list"), {"staff": size // 2})
    shown = [*first.context["staff"], *last.context["staff"]]
    caseloads = [(str(manager), manager.caseload_size) for manager, _ in shown]
    assert caseloads[:2] == [("Manager 0", 0), ("Manager 1", 1)]
    assert caseloads[-1] == (f"Manager {size - 1}", size - 1)
    assert (b"Next case managers" in first.content) == (size > 2)


def test_logout_requires_post_and_ends_the_session(client_for, case_manager):
    client = client_for(case_manager)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_case_managers_and_supervisors_land_on_compliance(client_for, case_manager, supervisor):
    assert client_for(case_manager).get(reverse("home")).url == reverse("compliance:worklist")
    assert client_for(supervisor).get(reverse("home")).url == reverse("compliance:dashboard")


def test_every_demo_login_reaches_its_landing_page(client):
    call_command("seed_demo", persons=10, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for username in ("cm1.hrc", "cm4.brc", "sup.hrc", "ro.smrc", "reviewer"):
        client.logout()
        response = client.post(
            reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200, username
        assert response.redirect_chain[0][0] == reverse("home"), username
        assert b"No role assigned" not in response.content, username


def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"


def test_session_expires_after_the_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == settings.TCM_SESSION_IDLE_MINUTES * 60
    assert "tcm.middleware.IdleTimeoutMiddleware" in settings.MIDDLEWARE

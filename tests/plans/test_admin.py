"""The admin route respects frozen plans too; supervisors find the referral queue."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True, role=None)


def test_active_plan_cannot_be_changed_in_the_admin(client_for, admin_user, active):
    client = client_for(admin_user)
    url = reverse("admin:plans_plan_change", args=[active.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="meeting_date"' not in page.content  # shown read-only
    response = client.post(url, {"meeting_date": "2025-01-01", "revision_reason": "annual"})
    assert response.status_code == 403
    active.refresh_from_db()
    assert active.revision_reason == "initial"


def test_draft_plan_stays_editable_in_the_admin(client_for, admin_user, draft):
    page = client_for(admin_user).get(reverse("admin:plans_plan_change", args=[draft.pk]))
    assert b'name="meeting_date"' in page.content


def test_supervisor_navigation_leads_to_the_referral_queue(client_for, supervisor):
    response = client_for(supervisor).get(reverse("plans:referral-list"))
    assert any(link["name"] == "plans:referral-list" for link in response.context["nav_links"])

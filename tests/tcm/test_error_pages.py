"""The 404, 403 and 500 pages: in the house layout, plain words, a way back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_unknown_page_answers_404_in_the_house_layout(client_for, case_manager):
    response = client_for(case_manager).get("/no-such-page/")
    assert response.status_code == 404
    assert b"<h1>Page not found</h1>" in response.content
    assert b'class="skip-link"' in response.content


def test_forbidden_page_names_the_reason(rf, case_manager):
    request = rf.get("/")
    request.user = case_manager
    response = defaults.permission_denied(
        request, PermissionDenied("Your role does not allow this page.")
    )
    assert response.status_code == 403
    assert b"Your role does not allow this page." in response.content


def test_server_error_page_renders_without_a_request_context(rf):
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_expired_form_explains_that_nothing_was_saved(case_manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(case_manager)
    response = client.post("/logout/")
    assert response.status_code == 403
    assert b"This form has expired" in response.content

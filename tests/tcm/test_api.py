"""The API root: token auth, schema and docs, and the reviewer's read-only rule."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_valid_credentials(case_manager):
    response = APIClient().post(
        reverse("api-token"),
        {"username": "alice", "password": "correct horse battery staple"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/").status_code == 200


def test_token_request_with_wrong_password_names_the_problem(case_manager):
    response = APIClient().post(
        reverse("api-token"), {"username": "alice", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_request_without_username_names_the_field(case_manager):
    response = APIClient().post(reverse("api-token"), {"password": "x"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_anonymous_api_request_is_refused():
    assert APIClient().get("/api/v1/").status_code in (401, 403)


def test_schema_and_docs_are_served(case_manager):
    client = APIClient()
    client.force_authenticate(case_manager)
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "TCM API"
    assert client.get(reverse("api-docs")).status_code == 200


def test_reviewer_write_is_forbidden(reviewer):
    client = APIClient()
    client.force_authenticate(reviewer)
    assert client.post("/api/v1/", {}).status_code == 403

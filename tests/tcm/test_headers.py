"""Security headers: a strict Content Security Policy on every page, the admin and API docs.

No inline script or style anywhere (docs/conventions.md), so the policy can
forbid both; these tests also check that the pages we do not write ourselves
(Django's admin, drf-spectacular's Swagger UI) carry no inline script.
"""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style[\s>]", re.IGNORECASE)


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_pages_send_a_strict_policy(client_for, case_manager):
    directives = policy(client_for(case_manager).get(reverse("home")))

    assert directives["default-src"] == "default-src 'self'"
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert "unsafe-inline" not in str(directives) and "unsafe-eval" not in str(directives)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/admin/",
        "/admin/people/person/",
        "/api/v1/docs/",
    ],
)
def test_pages_we_serve_have_no_inline_script_or_style(client_for, reviewer, url):
    response = client_for(reviewer).get(url)

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert not INLINE_SCRIPT.search(response.text), INLINE_SCRIPT.search(response.text)
    assert not INLINE_STYLE.search(response.text)


def test_login_page_has_no_inline_script(client):
    response = client.get(reverse("login"))

    assert "Content-Security-Policy" in response
    assert not INLINE_SCRIPT.search(response.text)


def test_api_docs_script_is_served_from_its_own_url(client_for, reviewer):
    response = client_for(reviewer).get("/api/v1/docs/", {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.text

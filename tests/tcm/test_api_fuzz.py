"""Fuzz every API operation from its own OpenAPI schema (SPEC.md section 6: never a 500).

schemathesis generates requests from `/api/v1/schema/`, valid and invalid, and
sends them through the WSGI application as a case manager with a person on her
caseload. Each answer must not be a server error, must carry a declared content
type, and a documented status must have a body that matches its schema.

`TCM_FUZZ_EXAMPLES` bounds the examples per operation (default 5); the run is
derandomized so CI sees the same requests every time. Raise it locally to hunt:
`TCM_FUZZ_EXAMPLES=200 .venv/bin/pytest tests/tcm/test_api_fuzz.py`.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tcm.wsgi import application

EXAMPLES = int(os.environ.get("TCM_FUZZ_EXAMPLES", "5"))


# Loaded at collection (the schema view touches no database). Not through
# schemathesis.pytest.from_fixture: its lazy loader sets a private attribute that
# pytest 9 no longer has.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
# The coverage phase sends every boundary case of every field whatever max_examples
# says (minutes per run on two cores); it runs only when asked for a long hunt.
schema.config.phases.coverage.enabled = EXAMPLES >= 100


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Keep the test's database connection across requests sent straight to WSGI.

    Django closes connections when a request finishes; its test client switches
    that off, schemathesis's WSGI transport does not, and on PostgreSQL the test's
    transaction would be gone after the first request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(person):
    return Token.objects.create(user=person.case_manager).key


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    # One database transaction per operation holds every example (pytest-django's db).
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_api_answers_generated_requests_within_its_schema(case, token):
    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
    )

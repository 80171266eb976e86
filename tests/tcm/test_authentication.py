"""Authentication: lockout after repeated failures, idle logoff, strong password storage.

45 CFR 164.312(a)(2)(iii) automatic logoff, 164.312(d) person authentication.
"""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tcm import settings as project_settings
from tcm.middleware import IdleTimeoutMiddleware

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return settings.AXES_FAILURE_LIMIT


def log_in(client, password):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def test_login_page_locks_the_username_after_repeated_failures(client, case_manager, lockout):
    for _ in range(lockout - 1):
        assert log_in(client, "wrong").status_code == 200  # the form again, with its error
    locked = log_in(client, "wrong")

    assert locked.status_code == 429
    assert "Account locked" in locked.text
    # Even the right password is refused while the lock lasts.
    assert log_in(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, case_manager, lockout, settings):
    for _ in range(lockout):
        log_in(client, "wrong")
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=0)

    assert log_in(client, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, case_manager, lockout):
    for _ in range(lockout - 1):
        log_in(client, "wrong")
    assert log_in(client, PASSWORD).status_code == 302
    client.logout()

    assert log_in(client, "wrong").status_code == 200  # counting starts again


def test_api_token_view_goes_through_the_same_lockout(case_manager, lockout):
    client = APIClient()
    url = reverse("api-token")
    for _ in range(lockout):
        client.post(url, {"username": "alice", "password": "wrong"}, format="json")

    refused = client.post(url, {"username": "alice", "password": PASSWORD}, format="json")

    assert refused.status_code == 429
    assert "locked" in refused.json()["detail"].lower()
    assert "token" not in refused.json()


def test_failures_on_the_api_count_toward_the_page_lockout(client, case_manager, lockout):
    for _ in range(lockout):
        APIClient().post(
            reverse("api-token"), {"username": "alice", "password": "wrong"}, format="json"
        )

    assert log_in(client, PASSWORD).status_code == 429


def test_session_expires_after_idle_minutes(client_for, case_manager):
    client = client_for(case_manager)
    assert client.get(reverse("home")).status_code in (200, 302)
    session = Session.objects.get(session_key=client.session.session_key)
    idle = project_settings.TCM_SESSION_IDLE_MINUTES
    # The expiry sits one idle period ahead of the last request.
    assert session.expire_date - timezone.now() <= datetime.timedelta(minutes=idle)
    assert session.expire_date - timezone.now() > datetime.timedelta(minutes=idle - 1)

    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now())  # idle period over

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_request_pushes_the_idle_expiry_forward_once_a_minute(client_for, case_manager):
    client = client_for(case_manager)
    key = client.session.session_key
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.filter(session_key=key).update(expire_date=soon)

    client.get(reverse("home"))  # within a minute of logging in: the session is not written
    assert Session.objects.get(session_key=key).expire_date == soon

    session = client.session
    session[IdleTimeoutMiddleware.KEY] -= project_settings.TCM_SESSION_REFRESH_SECONDS
    session.save()  # as if the last refresh were a minute ago
    Session.objects.filter(session_key=key).update(expire_date=soon)
    client.get(reverse("home"))

    assert Session.objects.get(session_key=key).expire_date > soon + datetime.timedelta(minutes=5)


def test_a_request_within_the_minute_writes_no_session(client_for, case_manager):
    client = client_for(case_manager)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))

    assert not [
        q for q in queries.captured_queries if "UPDATE" in q["sql"] and "session" in q["sql"]
    ]


def test_idle_timeout_default_is_fifteen_minutes_and_dies_with_the_browser():
    assert project_settings.TCM_SESSION_IDLE_MINUTES == 15
    assert project_settings.SESSION_COOKIE_AGE == 15 * 60
    assert project_settings.TCM_SESSION_REFRESH_SECONDS == 60
    assert "tcm.middleware.IdleTimeoutMiddleware" in project_settings.MIDDLEWARE
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_stored_with_argon2(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # tests use a fast hasher

    assert make_password("a long enough passphrase").startswith("argon2$")


@pytest.mark.parametrize(
    "password",
    ["short1!", "password12345", "12345678901234", "alice@example.org"],
    ids=["too short", "common", "numeric", "the e-mail address"],
)
def test_weak_passwords_are_refused(case_manager, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=case_manager)


def test_a_long_uncommon_passphrase_is_accepted(case_manager):
    validate_password("quiet river under seven bridges", user=case_manager)

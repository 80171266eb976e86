"""A real task through a real worker on Redis, against the real database."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tcm.tasks import clear_expired_sessions

pytestmark = pytest.mark.integration


def test_worker_clears_expired_sessions(celery_worker):
    stale = SessionStore()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    fresh = SessionStore()
    fresh.create()

    result = clear_expired_sessions.delay()

    assert result.get(timeout=60) == 1
    assert not Session.objects.filter(session_key=stale.session_key).exists()
    assert Session.objects.filter(session_key=fresh.session_key).exists()

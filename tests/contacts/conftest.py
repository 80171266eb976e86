"""Fixtures of the contacts tests: a valid contact's arguments and a logged contact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contacts import services
from tests.factories import DesiredOutcomeFactory


@pytest.fixture
def yesterday():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def outcome(person):
    return DesiredOutcomeFactory(plan__person=person, plan__status="active")


@pytest.fixture
def contact_args(case_manager, person, yesterday):
    """Keyword arguments of a valid face-to-face visit; tests override one at a time."""
    return {
        "actor": case_manager,
        "person": person,
        "contact_date": yesterday,
        "minutes": 45,
        "mode": "face_to_face",
        "location": "service_setting",
        "with_whom": ["person", "family"],
        "note": "Visited at the day program; talked about the job search.",
    }


@pytest.fixture
def logged_contact(contact_args):
    return services.log_contact(**contact_args, travel_minutes=20)

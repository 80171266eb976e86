"""Shared fixtures: the personas every test speaks of (healthchecks' alice/bob idea).

- `region`: a certified regional program; `other_region`: a second one.
- `case_manager` (alice) and `peer_case_manager` (bob), both qualified, in `region`.
- `other_case_manager` (charlie), qualified, in `other_region`.
- `supervisor` and `reimbursement_officer` of `region`; `reviewer` (DMH, all regions).
- `person`: on alice's caseload, case open since 2020-01-01.
- `client_for(user)`: a Django test client logged in as `user`.
"""

import pytest
from django.core.cache import cache

from tcm.celery import app as celery_app
from tests.factories import (
    CaseEpisodeFactory,
    PersonFactory,
    RegionalProgramFactory,
    StaffQualificationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached counts (the landing summary) must not leak from one test into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run tasks in-process unless a test asks for the real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def region(db):
    return RegionalProgramFactory(code="HRC", name="Hudspeth Regional Center")


@pytest.fixture
def other_region(db):
    return RegionalProgramFactory(code="SMRC", name="South Mississippi Regional Center")


def _qualified(user):
    StaffQualificationFactory(staff=user)
    return user


@pytest.fixture
def case_manager(region):
    return _qualified(UserFactory(username="alice", regional_program=region, role="case_manager"))


@pytest.fixture
def peer_case_manager(region):
    return _qualified(UserFactory(username="bob", regional_program=region, role="case_manager"))


@pytest.fixture
def other_case_manager(other_region):
    return _qualified(
        UserFactory(username="charlie", regional_program=other_region, role="case_manager")
    )


@pytest.fixture
def supervisor(region):
    return UserFactory(username="sue", regional_program=region, role="supervisor")


@pytest.fixture
def reimbursement_officer(region):
    return UserFactory(username="rory", regional_program=region, role="reimbursement_officer")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reva", regional_program=None, role="dmh_reviewer", is_staff=True)


@pytest.fixture
def person(case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(person=person)
    return person


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login

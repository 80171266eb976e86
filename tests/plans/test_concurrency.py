"""Two approvals at once leave exactly one active plan (PostgreSQL row locks).

SQLite serializes whole-database writes, so only PostgreSQL can show the race;
these tests skip elsewhere. Each thread has its own connection and commits.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from plans import services
from plans.models import Plan
from tests.factories import CaseEpisodeFactory, PersonFactory, StaffQualificationFactory
from tests.factories.plans import DesiredOutcomeFactory, PlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL")


def _race(*calls):
    """Run `calls` at the same moment in threads; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except ValidationError as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def manager(region):
    from tests.factories import UserFactory

    user = UserFactory(username="racer", regional_program=region, role="case_manager")
    StaffQualificationFactory(staff=user)
    return user


def test_double_approval_of_one_draft_leaves_one_active_plan(manager):
    person = PersonFactory(case_manager=manager)
    CaseEpisodeFactory(person=person)
    draft = PlanFactory(person=person, version=1)
    DesiredOutcomeFactory(plan=draft)

    errors = _race(*[lambda: services.approve_plan(actor=manager, plan=draft)] * 2)

    assert sum(error is not None for error in errors) == 1
    assert Plan.objects.filter(person=person, status="active").count() == 1


def test_racing_a_revision_against_its_predecessor_leaves_one_active_plan(manager):
    person = PersonFactory(case_manager=manager)
    CaseEpisodeFactory(person=person)
    first = PlanFactory(person=person, version=1)
    DesiredOutcomeFactory(plan=first)
    services.approve_plan(actor=manager, plan=first)
    revision = PlanFactory(person=person, version=2)
    DesiredOutcomeFactory(plan=revision)

    errors = _race(
        lambda: services.approve_plan(actor=manager, plan=revision),
        lambda: services.create_plan(
            actor=manager, person=person, meeting_date=first.meeting_date, revision_reason="annual"
        ),
    )

    assert errors[0] is None
    statuses = sorted(Plan.objects.filter(person=person).values_list("status", flat=True))
    assert statuses.count("active") == 1
    assert statuses.count("draft") <= 1

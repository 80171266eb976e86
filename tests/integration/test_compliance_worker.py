"""The nightly compliance task through a real worker on Redis, against PostgreSQL."""

from datetime import date

import pytest

from compliance.models import EvaluationRun, Finding
from compliance.tasks import evaluate_compliance_task
from tcm.celery import app as celery_app
from tests.factories import CaseEpisodeFactory, ContactFactory, PersonFactory

pytestmark = pytest.mark.integration


def test_worker_runs_the_nightly_evaluation_idempotently(celery_worker, case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(person=person, opened_on=date(2020, 1, 1))
    ContactFactory(person=person, contact_date=date(2024, 2, 10))

    first = evaluate_compliance_task.delay(as_of="2024-04-15").get(timeout=60)
    second = evaluate_compliance_task.delay(as_of="2024-04-15").get(timeout=60)

    assert first["opened"] == Finding.objects.count() > 0
    assert (second["opened"], second["reopened"], second["resolved"]) == (0, 0, 0)
    assert not Finding.objects.filter(person=person, period_start=date(2024, 2, 1)).exists()
    assert EvaluationRun.objects.filter(status="finished").count() == 2


def test_beat_runs_the_evaluation_nightly():
    entry = celery_app.conf.beat_schedule["evaluate-compliance"]
    assert entry["task"] == evaluate_compliance_task.name

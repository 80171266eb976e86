"""Two evaluations at once produce one set of findings (PostgreSQL advisory lock)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from compliance.models import EvaluationRun, Finding
from compliance.services import evaluate_compliance
from tests.factories import CaseEpisodeFactory, PersonFactory


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_once_open_each_finding_once(case_manager):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to one database (PostgreSQL)")
    for _ in range(10):
        CaseEpisodeFactory(person=PersonFactory(case_manager=case_manager))
    start = threading.Barrier(2)
    errors = []

    def evaluate():
        try:
            start.wait()
            evaluate_compliance(as_of=date(2024, 4, 15))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=evaluate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    runs = EvaluationRun.objects.order_by("finished_at")
    assert [run.status for run in runs] == ["finished", "finished"]
    assert runs[1].opened_count == 0
    assert Finding.objects.count() == runs[0].opened_count > 0

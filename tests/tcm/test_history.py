"""tcm.history: history rows written in SQL match what simple-history writes from Python."""

from datetime import date

import pytest
from django.utils import timezone

from compliance.models import Finding
from tcm.history import record_history
from tests.factories import PersonFactory
from tests.factories.compliance import FindingFactory

pytestmark = pytest.mark.django_db


def test_copies_each_row_of_the_queryset_with_type_reason_and_user(supervisor):
    person = PersonFactory()
    kept = FindingFactory(person=person, evidence={"contacts_in_period": 2})
    FindingFactory(person=person, period_start=date(2024, 2, 1), period_end=date(2024, 2, 29))
    when = timezone.now()

    written = record_history(
        Finding.objects.filter(pk=kept.pk),
        history_type="~",
        when=when,
        reason="compliance evaluation",
        user=supervisor,
    )

    assert written == 1
    latest = kept.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", "compliance evaluation")
    assert (latest.history_date, latest.history_user) == (when, supervisor)
    assert latest.instance == kept
    assert latest.evidence == {"contacts_in_period": 2}
    assert latest.person_id == person.pk
    assert kept.history.count() == 2  # the factory's save, then ours


def test_writes_nothing_for_an_empty_queryset():
    when = timezone.now()
    assert record_history(Finding.objects.none(), history_type="+", when=when, reason="x") == 0

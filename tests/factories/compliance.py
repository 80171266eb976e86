from datetime import date

import factory
from django.utils import timezone

from compliance.models import EvaluationRun, Finding
from tests.factories.people import PersonFactory


class FindingFactory(factory.django.DjangoModelFactory):
    """A plain open finding; the engine (compliance.services) opens real ones."""

    class Meta:
        model = Finding

    person = factory.SubFactory(PersonFactory)
    rule = "monthly_contact"
    period_start = date(2024, 3, 1)
    period_end = date(2024, 3, 31)
    due_date = date(2024, 3, 31)
    evidence = factory.LazyFunction(lambda: {"contacts_in_period": 0})
    citation = "PR0039"
    detected_at = factory.LazyFunction(timezone.now)


class EvaluationRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationRun

    as_of = date(2024, 4, 1)
    started_at = factory.LazyFunction(timezone.now)

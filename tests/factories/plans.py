from datetime import date

import factory

from plans.models import DesiredOutcome, NeedsAssessment, Plan, Provider
from tests.factories.people import PersonFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")
    certified_from = date(2000, 1, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    """A plain plan row; approval goes through plans.services in workflow tests."""

    class Meta:
        model = Plan

    person = factory.SubFactory(PersonFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = "draft"
    meeting_date = date(2024, 1, 15)
    revision_reason = "initial"
    created_by = factory.LazyAttribute(lambda o: o.person.case_manager)


class DesiredOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DesiredOutcome

    plan = factory.SubFactory(PlanFactory)
    description = "I want to work at the library."


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessment

    person = factory.SubFactory(PersonFactory)
    assessed_on = date(2024, 1, 15)
    meets_criteria = True
    assessed_by = factory.LazyAttribute(lambda o: o.person.case_manager)

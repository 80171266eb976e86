from datetime import date

import factory

from plans.models import DesiredOutcome, NeedsAssessment, Plan, PlanService, Provider, Referral
from tests.factories.people import CaseloadPersonFactory


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Provider {n}")
    certified_from = date(2000, 1, 1)


class PlanFactory(factory.django.DjangoModelFactory):
    """A plain plan row; approval goes through plans.services in workflow tests."""

    class Meta:
        model = Plan

    person = factory.SubFactory(CaseloadPersonFactory)
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

    person = factory.SubFactory(CaseloadPersonFactory)
    assessed_on = date(2024, 1, 15)
    meets_criteria = True
    assessed_by = factory.LazyAttribute(lambda o: o.person.case_manager)


class PlanServiceFactory(factory.django.DjangoModelFactory):
    """A service row; the informed-choice record (providers presented) is set after creation."""

    class Meta:
        model = PlanService
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    service = "Supported employment"
    provider = factory.SubFactory(ProviderFactory)
    frequency = "Weekly"
    start_date = date(2024, 2, 1)
    choice_recorded_on = date(2024, 1, 15)

    @factory.post_generation
    def providers_presented(self, create, extracted, **kwargs):
        if create:
            self.providers_presented.set(extracted or [self.provider])


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(CaseloadPersonFactory)
    referred_on = date(2024, 1, 15)

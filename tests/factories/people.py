from datetime import date

import factory

from people.models import (
    AccessLog,
    CaseAssignment,
    CaseEpisode,
    LivingArrangement,
    Person,
    Representative,
)
from tests.factories.tcm import RegionalProgramFactory, UserFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1990, 4, 12)
    medicaid_id = factory.Sequence(lambda n: f"{100000000 + n:09d}")
    regional_program = factory.LazyAttribute(
        lambda o: o.case_manager.regional_program if o.case_manager else RegionalProgramFactory()
    )
    case_manager = None


class CaseloadPersonFactory(PersonFactory):
    """A person on a case manager's caseload: for records that need an author."""

    case_manager = factory.SubFactory(UserFactory, role="case_manager")


class CaseEpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEpisode

    person = factory.SubFactory(PersonFactory)
    opened_on = date(2020, 1, 1)
    closed_on = None
    closure_reason = ""


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    person = factory.SubFactory(PersonFactory)
    name = factory.Faker("name")
    relationship = "Parent"
    is_family = True
    is_legal_representative = True
    is_responsible_party = True


class LivingArrangementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivingArrangement

    person = factory.SubFactory(PersonFactory)
    arrangement = "natural_home"
    effective_from = date(2020, 1, 1)


class CaseAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAssignment

    person = factory.SubFactory(CaseloadPersonFactory)
    case_manager = factory.LazyAttribute(lambda o: o.person.case_manager)
    assigned_on = date(2020, 1, 1)
    ended_on = None


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    view = "person-detail"
    ip_address = "127.0.0.1"

from datetime import date
from decimal import Decimal

import factory

from billing.models import Coverage, MeansTest, Rate
from tests.factories.people import PersonFactory


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    person = factory.SubFactory(PersonFactory)
    payer_type = "medicaid"
    payer_name = "Mississippi Division of Medicaid"
    payer_id = "MSMCD"
    member_id = factory.LazyAttribute(lambda o: o.person.medicaid_id)
    effective_from = date(2020, 1, 1)


class MeansTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeansTest

    person = factory.SubFactory(PersonFactory)
    effective_from = date(2020, 1, 1)
    family_size = 3
    adjusted_gross_monthly_income = Decimal("4000.00")
    monthly_ability_to_pay = Decimal("120.00")


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    procedure_code = "T1017"
    amount_per_unit = Decimal("21.50")
    effective_from = date(2000, 1, 1)

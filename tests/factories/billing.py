from datetime import date
from decimal import Decimal

import factory

from billing.models import Bill, BillingRun, Coverage, MeansTest, Rate
from tests.factories.people import PersonFactory
from tests.factories.tcm import RegionalProgramFactory


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


class BillingRunFactory(factory.django.DjangoModelFactory):
    """A plain draft run row; real runs come from billing.services.generate_bills."""

    class Meta:
        model = BillingRun

    regional_program = factory.SubFactory(RegionalProgramFactory)
    month = date(2024, 3, 1)
    status = "draft"
    progress = 100


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    run = factory.SubFactory(BillingRunFactory)
    person = factory.SubFactory(
        PersonFactory, regional_program=factory.SelfAttribute("..run.regional_program")
    )
    month = factory.SelfAttribute("run.month")
    payer_type = "medicaid"
    minutes = 30
    units = 2
    charge = Decimal("43.00")
    amount_due = Decimal("43.00")

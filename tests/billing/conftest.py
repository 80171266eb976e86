"""Billing fixtures: a T1017 rate of $20.00 per unit and a month to bill (March 2024)."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories.billing import RateFactory

MARCH = date(2024, 3, 1)


@pytest.fixture
def rate(db):
    return RateFactory(amount_per_unit=Decimal("20.00"), effective_from=date(2020, 1, 1))

"""Plans fixtures: certified providers and a draft plan built through the services."""

from datetime import date

import pytest

from plans import services
from tests.factories.plans import ProviderFactory

MEETING = date(2025, 3, 10)


@pytest.fixture
def providers(db):
    """Two providers certified on MEETING and one whose certification ended before it."""
    return {
        "arc": ProviderFactory(name="Arc of Mississippi"),
        "hope": ProviderFactory(name="Hope Services"),
        "lapsed": ProviderFactory(
            name="Lapsed Care", certified_from=date(2010, 1, 1), certified_until=date(2024, 12, 31)
        ),
    }


@pytest.fixture
def draft(person, case_manager, providers):
    """A draft with one outcome and one service, chosen among two certified providers."""
    plan = services.create_plan(
        actor=case_manager,
        person=person,
        meeting_date=MEETING,
        revision_reason="initial",
        participants="Pat, mother, case manager",
    )
    services.add_outcome(actor=case_manager, plan=plan, description="I want a job at the library.")
    services.add_service(
        actor=case_manager,
        plan=plan,
        service="Supported employment",
        provider=providers["arc"],
        providers_presented=[providers["arc"], providers["hope"]],
        start_date=date(2025, 4, 1),
        choice_recorded_on=MEETING,
        frequency="Weekly",
    )
    return plan


@pytest.fixture
def active(draft, case_manager):
    return services.approve_plan(actor=case_manager, plan=draft)


@pytest.fixture
def referral(person, case_manager):
    """A D&E referral opened by a reassessment that did not meet criteria."""
    return services.record_assessment(
        actor=case_manager, person=person, assessed_on=MEETING, meets_criteria=False
    ).referral

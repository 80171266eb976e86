"""factory-boy factories for plain rows; workflow state comes from the services."""

from tests.factories.billing import CoverageFactory, MeansTestFactory, RateFactory
from tests.factories.contacts import AddendumFactory, ContactFactory, TimeEntryFactory
from tests.factories.people import (
    CaseEpisodeFactory,
    LivingArrangementFactory,
    PersonFactory,
    RepresentativeFactory,
)
from tests.factories.plans import (
    DesiredOutcomeFactory,
    NeedsAssessmentFactory,
    PlanFactory,
    PlanServiceFactory,
    ProviderFactory,
    ReferralFactory,
)
from tests.factories.tcm import (
    CertificationFactory,
    RegionalProgramFactory,
    StaffQualificationFactory,
    UserFactory,
)

__all__ = [
    "AddendumFactory",
    "CaseEpisodeFactory",
    "CertificationFactory",
    "ContactFactory",
    "CoverageFactory",
    "DesiredOutcomeFactory",
    "LivingArrangementFactory",
    "MeansTestFactory",
    "NeedsAssessmentFactory",
    "PersonFactory",
    "PlanFactory",
    "PlanServiceFactory",
    "ProviderFactory",
    "RateFactory",
    "ReferralFactory",
    "RegionalProgramFactory",
    "RepresentativeFactory",
    "StaffQualificationFactory",
    "TimeEntryFactory",
    "UserFactory",
]

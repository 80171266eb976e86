"""The staff qualification rule of SPEC.md section 2, pure and unit-tested alone.

PR0039: a TCM case manager holds an LSW licence or a bachelor's degree in an
IDD-related field, a DMH Community Support Specialist credential (provisional
or full) or QDDP status, at least two years of experience, and has completed
person-centered planning training.
"""

from dataclasses import dataclass
from datetime import date

from tcm.dates import add_years

REQUIRED_EXPERIENCE_YEARS = 2


@dataclass(frozen=True)
class Credentials:
    lsw_license: bool
    idd_bachelors_degree: bool
    css_credential: str  # "none", "provisional" or "full"
    qddp: bool
    experience_started_on: date | None
    pcp_training_completed_on: date | None


@dataclass(frozen=True)
class QualificationResult:
    qualified: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.qualified

    @property
    def explanation(self) -> str:
        return "Qualified." if self.qualified else " ".join(self.reasons)


def experience_complete_on(credentials: Credentials) -> date | None:
    """The day the required years of experience are reached."""
    if credentials.experience_started_on is None:
        return None
    return add_years(credentials.experience_started_on, REQUIRED_EXPERIENCE_YEARS)


def assess_qualification(credentials: Credentials, day: date) -> QualificationResult:
    """Qualified on `day`, and if not, every reason why."""
    reasons = []
    if not (credentials.lsw_license or credentials.idd_bachelors_degree):
        reasons.append("No LSW licence or bachelor's degree in an IDD-related field.")
    if credentials.css_credential not in ("provisional", "full") and not credentials.qddp:
        reasons.append("No DMH Community Support Specialist credential or QDDP status.")
    complete_on = experience_complete_on(credentials)
    if complete_on is None or complete_on > day:
        reasons.append(f"Less than {REQUIRED_EXPERIENCE_YEARS} years of experience on {day}.")
    training = credentials.pcp_training_completed_on
    if training is None or training > day:
        reasons.append(f"Person-centered planning training not completed by {day}.")
    return QualificationResult(qualified=not reasons, reasons=tuple(reasons))


def qualified_from(credentials: Credentials, effective_from: date) -> date | None:
    """First day the credentials qualify (None if they never do).

    Stored on the record so set-based billing can test qualification in SQL
    with a plain date comparison instead of re-deriving the rule per row.
    """
    if not (credentials.lsw_license or credentials.idd_bachelors_degree):
        return None
    if credentials.css_credential not in ("provisional", "full") and not credentials.qddp:
        return None
    complete_on = experience_complete_on(credentials)
    if complete_on is None or credentials.pcp_training_completed_on is None:
        return None
    return max(effective_from, complete_on, credentials.pcp_training_completed_on)

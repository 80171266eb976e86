"""The billing gate of SPEC.md sections 2 and 5, as plain words.

Time is billable on a day only when its author is qualified, the person's
regional program is certified and the person's case is open. Entries that
fail are still saved (nothing lost) but marked non-billable with these
reasons; billing lists the same reasons for the entries it excludes.
"""

NOT_QUALIFIED = "Author not qualified on the service date"
NOT_CERTIFIED = "Regional program not certified on the service date"
CASE_NOT_OPEN = "Case not open on the service date"
VOIDED = "Voided"


def gate_reasons(*, author_qualified: bool, program_certified: bool, case_open: bool) -> list[str]:
    """Why time on a day is not billable; empty when it is."""
    reasons = []
    if not author_qualified:
        reasons.append(NOT_QUALIFIED)
    if not program_certified:
        reasons.append(NOT_CERTIFIED)
    if not case_open:
        reasons.append(CASE_NOT_OPEN)
    return reasons

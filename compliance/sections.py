"""The compliance section of the person page: open findings with their explanations."""

from compliance.models import Finding
from people.sections import Section, register
from tcm.roles import Role

# Reimbursement officers do not work compliance (SPEC.md section 1).
READERS = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)


@register(30)
def open_findings(request, person):
    """One query: the person's open findings, newest period first."""
    if not (request.user.is_superuser or request.user.role in READERS):
        return None
    findings = (
        Finding.objects.filter(person=person)
        .open()
        .select_related("acknowledged_by")
        .order_by("-period_end", "rule")  # the default ordering would join the person
    )
    findings = list(findings)
    return Section(
        "Compliance findings", "compliance/_person_findings.html", {"findings": findings}
    )

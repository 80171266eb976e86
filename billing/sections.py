"""The bills section of the person page (order 50): hidden from case managers."""

from billing.models import Bill
from people.sections import Section, register
from tcm.roles import Role

READERS = (Role.REIMBURSEMENT_OFFICER, Role.SUPERVISOR, Role.DMH_REVIEWER)
RECENT = 12


@register(50)
def bills_section(request, person):
    """The person's latest bills, one query; None for roles that may not see bills."""
    user = request.user
    if not (user.is_superuser or user.role in READERS):
        return None
    bills = (
        Bill.objects.visible_to(user)
        .filter(person=person, withdrawn=False)
        .select_related("run")
        .order_by("-month", "-run__created_at", "payer_type")[:RECENT]
    )
    return Section("Bills", "billing/_person_bills.html", {"bills": bills}, anchor="bills")

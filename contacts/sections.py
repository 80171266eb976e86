"""The contacts part of the person page: the timeline, newest first (order 40)."""

from contacts.selectors import timeline_page
from people.sections import Section, register
from tcm.roles import Role

TIMELINE_READERS = (Role.CASE_MANAGER, Role.SUPERVISOR, Role.DMH_REVIEWER)


@register(40)
def timeline_section(request, person):
    """Contacts, addenda, time and voids; hidden from reimbursement officers (contact notes)."""
    user = request.user
    if not (user.is_superuser or user.role in TIMELINE_READERS):
        return None
    context = {
        "person": person,
        "page_obj": timeline_page(person, request.GET.get("page")),
        "can_write": user.role == Role.CASE_MANAGER,
    }
    return Section("Timeline", "contacts/_timeline.html", context, anchor="timeline")

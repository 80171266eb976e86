"""Template context shared by every page: the navigation for the user's role."""

from django.urls import NoReverseMatch, reverse

from tcm.roles import Role

# (label, url name) per role; entries whose URL is not wired yet are skipped.
NAVIGATION = {
    Role.CASE_MANAGER: [
        ("Worklist", "compliance:worklist"),
        ("Caseload", "people:person-list"),
        ("My time", "contacts:my-time"),
    ],
    Role.SUPERVISOR: [
        ("Dashboard", "compliance:dashboard"),
        ("Findings", "compliance:finding-list"),
        ("Caseload", "people:person-list"),
        ("D&E referrals", "plans:referral-list"),
    ],
    Role.REIMBURSEMENT_OFFICER: [("Billing", "home"), ("Persons", "people:person-list")],
    Role.DMH_REVIEWER: [("Overview", "home"), ("Admin", "admin:index")],
}


def _links(entries):
    links = []
    for label, name in entries:
        try:
            links.append({"label": label, "url": reverse(name), "name": name})
        except NoReverseMatch:
            continue
    return links


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_links": _links(NAVIGATION.get(user.role, [("Home", "home")])), "role": user.role}

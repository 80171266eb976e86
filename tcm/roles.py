"""The four roles of SPEC.md section 1, as Django groups, and what each may do.

Scoping (who sees which person) lives in the querysets (`visible_to(user)`);
the model permissions below only gate the admin and coarse API actions.
Nobody gets `delete`: records are never lost (SPEC.md section 3).
"""

from django.db import models

DOMAIN_APPS = ("tcm", "people", "plans", "contacts", "compliance", "billing")


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    SUPERVISOR = "supervisor", "Supervisor"
    REIMBURSEMENT_OFFICER = "reimbursement_officer", "Reimbursement officer"
    DMH_REVIEWER = "dmh_reviewer", "DMH reviewer"


# app label -> actions granted on every model of that app (historical models included).
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.CASE_MANAGER: {
        "people": ("view", "add", "change"),
        "plans": ("view", "add", "change"),
        "contacts": ("view", "add", "change"),
        "compliance": ("view",),
    },
    Role.SUPERVISOR: {
        "tcm": ("view",),
        "people": ("view", "add", "change"),
        "plans": ("view", "add", "change"),
        "contacts": ("view",),
        "compliance": ("view", "change"),
        "billing": ("view",),
    },
    Role.REIMBURSEMENT_OFFICER: {
        "tcm": ("view",),
        "people": ("view",),
        "contacts": ("view",),
        "billing": ("view", "add", "change"),
    },
    Role.DMH_REVIEWER: dict.fromkeys(DOMAIN_APPS, ("view",)),
}


def sync_role_groups(group_model, permission_model) -> None:
    """Create the role groups and (re)grant their permissions; idempotent.

    Takes the models as arguments so a data migration can pass historical ones.
    """
    for role, grants in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [
            permission
            for permission in permission_model.objects.select_related("content_type").filter(
                content_type__app_label__in=grants
            )
            if permission.codename.split("_", 1)[0] in grants[permission.content_type.app_label]
        ]
        group.permissions.set(wanted)

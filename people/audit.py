"""Writing the access log: one insert per view of a person's record."""

from people.models import AccessLog


def log_access(request, person, view: str) -> None:
    """Record that `request.user` viewed `person` through `view` (SPEC.md section 3)."""
    AccessLog.objects.create(
        user_id=request.user.pk,
        person_id=person.pk if hasattr(person, "pk") else person,
        view=view,
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )

"""Writing the access log: one insert per view of a person's record.

An export (a CSV of findings, a run's CSV or 837P) shows many persons' records at
once, so it writes one row per person in it, in one bulk insert.
"""

from people.models import AccessLog


def log_access(request, person, view: str) -> None:
    """Record that `request.user` viewed `person` through `view` (SPEC.md section 3)."""
    AccessLog.objects.create(
        user_id=request.user.pk,
        person_id=person.pk if hasattr(person, "pk") else person,
        view=view,
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )


def log_export(request, person_ids, view: str) -> None:
    """Record that `request.user` exported the records of every person in `person_ids`.

    `person_ids` may be a queryset of ids (`values_list("person_id", flat=True)`);
    it is read once, and the rows go in batches rather than one insert per person.
    """
    ip_address = request.META.get("REMOTE_ADDR") or None
    AccessLog.objects.bulk_create(
        (
            AccessLog(
                user_id=request.user.pk, person_id=person_id, view=view, ip_address=ip_address
            )
            for person_id in set(person_ids)
        ),
        batch_size=1000,
    )

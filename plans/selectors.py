"""Reads behind the plan pages that take more than a queryset: version comparison."""

from plans.models import Plan

HEADER_FIELDS = [
    ("Status", lambda p: p.get_status_display()),
    ("Meeting date", lambda p: p.meeting_date.strftime("%m/%d/%Y")),
    ("Reason for revision", lambda p: p.get_revision_reason_display()),
    ("Participants", lambda p: p.participants),
]


def _service_text(service) -> str:
    presented = ", ".join(sorted(p.name for p in service.providers_presented.all()))
    parts = [service.service, f"by {service.provider.name}", service.frequency]
    when = f"from {service.start_date:%m/%d/%Y}; chose among {presented}"
    return " · ".join(part for part in parts if part) + f" ({when})"


def _sides(left: Plan, right: Plan, texts) -> tuple[list[dict], list[dict]]:
    """Each side's items as `texts(plan)` words them, flagged when the other side lacks them."""
    left_texts, right_texts = texts(left), texts(right)
    return (
        [{"text": text, "changed": text not in right_texts} for text in left_texts],
        [{"text": text, "changed": text not in left_texts} for text in right_texts],
    )


def _row(label: str, left: str, right: str) -> dict:
    return {"label": label, "left": left, "right": right, "changed": left != right}


def _pick(versions: list[Plan], pk, default: Plan | None) -> Plan | None:
    by_pk = {str(plan.pk): plan for plan in versions}
    return by_pk.get(str(pk), default) if pk else default


def compare_plans(versions: list[Plan], left_pk=None, right_pk=None) -> dict:
    """Two versions side by side (default: the newest and the one before it).

    `versions` come newest first with their content loaded
    (`Plan.objects.with_content()`), so no query runs here. Unknown ids fall
    back to the defaults rather than failing: the page always shows something.
    """
    right = _pick(versions, right_pk, versions[0] if versions else None)
    left = _pick(versions, left_pk, next((p for p in versions if p is not right), None))
    if left is None or right is None:
        return {"left": left, "right": right}
    if left.version > right.version:
        left, right = right, left
    return {
        "left": left,
        "right": right,
        "header_rows": [_row(label, get(left), get(right)) for label, get in HEADER_FIELDS],
        "outcomes": _sides(left, right, lambda p: [o.description for o in p.outcomes.all()]),
        "services": _sides(left, right, lambda p: [_service_text(s) for s in p.services.all()]),
    }

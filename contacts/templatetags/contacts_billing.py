"""`{% billing_badges entry %}`: whether a time entry is billable, and if not, why.

Shown once per time entry on the timeline, the contact page and "My time"; an
included template cost about 0.3 ms a badge row, most of the timeline's
rendering, where format_html costs microseconds.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from contacts.rules import VOIDED

register = template.Library()


@register.simple_tag
def billing_badges(entry) -> str:
    """A "Billable" badge, or one per reason the gate excludes the entry (needs the gate)."""
    reasons = entry.non_billable_reasons
    if not reasons:
        return mark_safe('<span class="badge ok">Billable</span>')  # nosec B308 - a constant literal
    return format_html_join(
        " ",
        '<span class="badge {}">{}</span>',
        (("neutral" if reason == VOIDED else "warn", reason) for reason in reasons),
    )

"""`{% rate_cell cell findings_url %}`: one cell of the dashboard's rate tables.

A program's tables hold hundreds of cells; rendering each through an included
template cost about 0.4 ms a cell, most of a dashboard view. The same markup
from format_html costs a few microseconds.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def rate_cell(cell: dict, findings_url: str) -> str:
    """The rate linked to the findings behind it (drill-down), or a dash when no one is in scope."""
    if cell["rate"] is None:
        return mark_safe('<span class="muted">—</span>')  # nosec B308 - a constant literal
    if cell.get("late") is not None:
        counts = format_html("{} late", cell["late"])
    else:
        counts = format_html("{} of {} met", cell["met"], cell["total"])
    return format_html(
        '<a class="compliance-cell compliance-{}" href="{}?{}">{}%'
        '<span class="sr-only"> ({}; see findings)</span></a>',
        cell["band"],
        findings_url,
        cell["query"],
        cell["rate"],
        counts,
    )

"""`{% url_if_exists "app:name" arg as url %}`: a link to a page that may not exist yet.

The worklist points at pages other apps own (log a contact, revise the plan).
Resolving them lazily lets this app render before those pages are wired, and
renders no dead link when a URL name does not reverse.
"""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def url_if_exists(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""

"""The dashboard's rate tables, rendered once per evaluation run, scope and page of case managers.

Rendering a page of rate tables (about 380 linked cells) was most of a dashboard
request. Everything in them comes from the rates a finished run stored, which
never change (compliance.rates: recorded in the run's transaction, before it is
marked finished), and from the names of the page's case managers. So the HTML
is keyed on exactly that: the run, the user's scope (program, or every program
for a superuser) and a digest of the page's (id, name) pairs; a new run, another
page or a renamed case manager is another key, never stale tables. The time
bound only lets an old run's tables, and a previous release's markup, leave the
cache.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from compliance import selectors

TABLES_SECONDS = 60 * 60
TEMPLATE = "compliance/_rate_tables.html"


def rendered_rate_tables(user, run, managers: dict) -> SafeString:
    """The HTML of the rate tables of `managers` ({id: name}, one page) for `run`."""
    if run is None:  # not evaluated yet: empty tables, nothing worth keeping
        return render_to_string(TEMPLATE, selectors.rate_tables(user, run, managers))
    key = _key(user, run, managers)
    html = cache.get(key)
    if html is None:
        html = render_to_string(TEMPLATE, selectors.rate_tables(user, run, managers))
        cache.set(key, html, TABLES_SECONDS)  # a SafeString, and one again when read back
    return html


def _key(user, run, managers: dict) -> str:
    names = hashlib.sha256(repr(list(managers.items())).encode()).hexdigest()
    return f"tcm:rate-tables:{run.pk}:{user.regional_program_id}:{user.is_superuser}:{names}"

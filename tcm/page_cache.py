"""Rendered page bodies cached under the versions of the records they show (tcm.versions).

The worklist and the person record cost tens of milliseconds of ORM and
template work per view, and a case manager opens them far more often than
their records change. Their bodies (everything inside `{% block content %}`)
are cached under a key made of:

- the versions of the scopes the body shows, read before anything else, so a
  write committed before the read is always seen (a write bumps its scopes in
  its own transaction);
- who looks (user, role, program: the scoping and the buttons depend on them),
  today's date (what is due, what is open) and the full path with its query
  string (the pagers).

The base page around the body (navigation, messages, the CSRF header) is
rendered on every request. A CSRF token inside the body (the timeline's void
forms) is rendered as a placeholder and replaced with the requester's token,
so a cached body carries no session's secret.

Entries expire after SECONDS. Every write through TCM bumps the versions, so
the expiry only bounds two things: the memory of bodies nobody asks for again,
and a change made outside TCM's code (SQL typed in psql, a restored backup
behind a long-lived Redis cache), which shows within SECONDS.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tcm import versions

SECONDS = 300
CSRF_PLACEHOLDER = "tcm-page-cache-csrf-token"  # not a token: no "-" in Django's alphabet


class CachedBody:
    """A page body cached under the versions of `scopes`, read when this is created.

    Create it before reading anything the body shows; then `render(make)` returns
    the cached body, or calls `make(extra_context)` and caches what it returns.
    `make` must put `extra_context` into its templates' context: it holds the
    CSRF placeholder.
    """

    def __init__(self, request, scopes: tuple[str, ...]):
        self.request = request
        self.key = _key(request, scopes, versions.current(*scopes))

    def render(self, make: Callable[[dict], str]) -> SafeString:
        html = cache.get(self.key)
        if html is None:
            html = str(make({"csrf_token": CSRF_PLACEHOLDER}))
            cache.set(self.key, html, SECONDS)
        if CSRF_PLACEHOLDER in html:
            html = html.replace(CSRF_PLACEHOLDER, get_token(self.request))
        return mark_safe(html)  # noqa: S308  # nosec B308 B703 - our templates, autoescaped


def _key(request, scopes, stamps) -> str:
    user = request.user
    parts = (
        user.pk,
        user.role,
        user.is_superuser,
        user.regional_program_id,
        timezone.localdate().isoformat(),
        request.get_full_path(),
        *zip(scopes, stamps, strict=True),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"tcm:page:{digest}"

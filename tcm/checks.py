"""System checks for what TCM needs of its environment beyond Django's own."""

from django.core.checks import Error
from django.db import connections

# Bill generation stages lines and links with FULL JOIN (billing/engine.py), which
# SQLite has since 3.39; Django itself accepts 3.31.
SQLITE_FULL_JOIN = (3, 39, 0)


def sqlite_supports_full_join(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """On SQLite older than 3.39, say so at startup instead of failing at the first bill run."""
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "sqlite":
            continue
        found = connection.Database.sqlite_version_info
        if found < SQLITE_FULL_JOIN:
            errors.append(
                Error(
                    f"SQLite {'.'.join(map(str, found))} is too old for bill generation "
                    "(FULL JOIN needs SQLite 3.39 or later).",
                    hint="Use a Python built with a newer SQLite, or PostgreSQL via DATABASE_URL.",
                    obj=alias,
                    id="tcm.E001",
                )
            )
    return errors

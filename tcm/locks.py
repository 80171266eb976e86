"""Serializing writers that must not interleave, on both databases.

PostgreSQL gets a transaction-scoped advisory lock, released at commit or
rollback. SQLite needs none: its write transactions are IMMEDIATE
(tcm/settings.py), so a second writer already waits for the first.
"""

from django.db import connection


def lock_until_commit(*keys: int) -> None:
    """Wait for, then hold until the transaction ends, the advisory lock named by `keys`.

    One bigint key, or two int keys (PostgreSQL's second key space), as
    `pg_advisory_xact_lock` takes them.
    """
    if connection.vendor != "postgresql":
        return
    placeholders = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_advisory_xact_lock({placeholders})", list(keys))  # nosec B608

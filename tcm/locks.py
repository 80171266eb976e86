"""Serializing writers that must not interleave, on both databases.

PostgreSQL gets a transaction-scoped advisory lock, released at commit or
rollback. SQLite needs none: its write transactions are IMMEDIATE
(tcm/settings.py), so a second writer already waits for the first.
"""

from django.db import connection


def lock_until_commit(key: int) -> None:
    """Wait for, then hold until the transaction ends, the advisory lock named by `key`
    (a bigint, as `pg_advisory_xact_lock` takes it)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])

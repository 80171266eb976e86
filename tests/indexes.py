"""The plain indexes of a table as the database reports them, for the tests of which
indexes a table carries (each one a write per row, each a plan the queries rely on)."""

from django.db import connection


def plain_indexes(table: str) -> dict[str, list[str]]:
    """Index name -> its columns, leaving out the primary key and unique indexes."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: index["columns"]
        for name, index in found.items()
        if index["index"] and not index["primary_key"] and not index["unique"]
    }

"""History rows written in SQL, for the set-based engines and the busiest writes.

django-simple-history writes one historical row per saved object from Python.
The compliance engine changes tens of thousands of rows in a few statements, so
it writes their history the same way: one INSERT ... SELECT copying each
changed row into the model's history table, with the same columns, date,
change type and reason simple-history would have written. Logging a contact
does the same for the few rows it creates: simple-history's writer (a history
manager class built per record, a historical object saved through the ORM) was
most of the cost of that request.
"""

from datetime import datetime
from functools import cache

from django.db import connection

# The columns simple-history fills besides the copied ones, in this order.
STAMP_COLUMNS = ["history_date", "history_type", "history_change_reason", "history_user_id"]


def record_history(
    queryset, *, history_type: str, when: datetime, reason: str | None, user=None
) -> int:
    """Copy every row of `queryset` into its history table as one change; returns the count.

    `history_type` is simple-history's "+" (created), "~" (changed) or "-".
    """
    if queryset.query.is_empty():
        return 0
    rows_sql, rows_params = (
        queryset.order_by()
        .values_list(*(field.attname for field in _tracked(queryset.model)))
        .query.sql_with_params()
    )
    sql = f"{_insert(queryset.model)} SELECT changed.*, %s, %s, %s, %s FROM ({rows_sql}) changed"  # noqa: S608  # nosec B608
    return _execute(sql, history_type, when, reason, user, rows_params)


def record_created(records: list, *, when: datetime, user) -> int:
    """The "+" history rows of `records`, rows of one model just inserted without
    simple-history (bulk_create); one statement, built without the ORM."""
    model = type(records[0])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _tracked(model))
    pk = quote(model._meta.pk.column)
    placeholders = ", ".join(["%s"] * len(records))
    sql = (
        f"{_insert(model)} SELECT {columns}, %s, %s, %s, %s "  # noqa: S608  # nosec B608
        f"FROM {quote(model._meta.db_table)} WHERE {pk} IN ({placeholders})"
    )
    return _execute(sql, "+", when, None, user, [record.pk for record in records])


@cache
def _tracked(model) -> list:
    """The model's fields that its history table copies, in the history table's order."""
    history = model.history.model
    return [
        field for field in history._meta.concrete_fields if not field.name.startswith("history_")
    ]


@cache
def _insert(model) -> str:
    """`INSERT INTO <history table> (<copied columns>, <stamp columns>)` (constant names)."""
    quote = connection.ops.quote_name
    columns = [field.column for field in _tracked(model)] + STAMP_COLUMNS
    table = quote(model.history.model._meta.db_table)
    return f"INSERT INTO {table} ({', '.join(map(quote, columns))})"


def _execute(sql, history_type, when, reason, user, rows_params) -> int:
    params = [
        connection.ops.adapt_datetimefield_value(when),
        history_type,
        reason,
        user.pk if user else None,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params + list(rows_params))
        return cursor.rowcount

"""History rows written in SQL, for the set-based engines.

django-simple-history writes one historical row per saved object from Python.
The compliance engine changes tens of thousands of rows in a few statements, so
it writes their history the same way: one INSERT ... SELECT copying each
changed row into the model's history table, with the same columns, date,
change type and reason simple-history would have written.
"""

from datetime import datetime

from django.db import connection


def record_history(
    queryset, *, history_type: str, when: datetime, reason: str | None, user=None
) -> int:
    """Copy every row of `queryset` into its history table as one change; returns the count.

    `history_type` is simple-history's "+" (created), "~" (changed) or "-".
    """
    if queryset.query.is_empty():
        return 0
    history = queryset.model.history.model
    tracked = [
        field for field in history._meta.concrete_fields if not field.name.startswith("history_")
    ]
    rows_sql, rows_params = (
        queryset.order_by()
        .values_list(*(field.attname for field in tracked))
        .query.sql_with_params()
    )
    quote = connection.ops.quote_name
    columns = [field.column for field in tracked] + [
        "history_date",
        "history_type",
        "history_change_reason",
        "history_user_id",
    ]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608  # nosec B608
        f"SELECT changed.*, %s, %s, %s, %s FROM ({rows_sql}) changed"
    )
    params = [
        connection.ops.adapt_datetimefield_value(when),
        history_type,
        reason,
        user.pk if user else None,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params + list(rows_params))
        return cursor.rowcount

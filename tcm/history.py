"""History rows written in SQL, for the set-based engines and the busiest writes.

django-simple-history writes one historical row per saved object from Python.
The compliance engine changes tens of thousands of rows in a few statements, so
it writes their history the same way: one INSERT ... SELECT copying each
changed row into the model's history table, with the same columns, date,
change type and reason simple-history would have written. Logging a contact
does the same for the few rows it creates: simple-history's writer (a history
manager class built per record, a historical object saved through the ORM) was
most of the cost of that request; its new rows are inserted with their
history by `insert_created`, one statement on PostgreSQL, without compiling
an ORM insert.
"""

from datetime import datetime
from functools import cache

from django.db import connection
from django.db.models import Case, Q, Value, When

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


def record_opened_or_changed(
    queryset, *, created: Q, when: datetime, reason: str | None, user=None
) -> int:
    """`record_history` of `queryset` in one statement and one pass over its rows: "+" for
    the rows matching `created`, "~" for the others. The compliance engine copies every
    finding its run touched, new or not; asked as two sets, the rows were read twice."""
    if queryset.query.is_empty():
        return 0
    tracked = _tracked(queryset.model)
    kind = Case(When(created, then=Value("+")), default=Value("~"))
    rows_sql, rows_params = (
        queryset.order_by()
        .annotate(history_kind=kind)
        .values_list(*(field.attname for field in tracked), "history_kind")
        .query.sql_with_params()
    )
    quote = connection.ops.quote_name
    columns = ", ".join(f"changed.{quote(field.column)}" for field in tracked)
    sql = (
        f"{_insert(queryset.model)} SELECT {columns}, %s, changed.history_kind, %s, %s "  # noqa: S608  # nosec B608
        f"FROM ({rows_sql}) changed"
    )
    params = [connection.ops.adapt_datetimefield_value(when), reason, user.pk if user else None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params + list(rows_params))
        return cursor.rowcount


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


def insert_created(records: list, *, when: datetime, user) -> None:
    """Insert `records`, new rows of one model, and their "+" history rows; sets their pks.

    What `bulk_create` then `record_created` write, for the busiest write (logging a
    contact): on PostgreSQL one statement, the history copied from the inserted
    rows in the same statement; elsewhere the INSERT, then `record_created`. The
    statement is built once per model and number of rows, not compiled by the
    ORM on every write (bench/EXPLAIN.md, "Contact POST").
    """
    model = type(records[0])
    fields = _inserted(model)
    values = []
    for record in records:
        # As bulk_create: a related record saved since it was assigned gives its pk.
        record._prepare_related_fields_for_save(operation_name="insert_created")
        values += [
            field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields
        ]
    stamps = _stamps(when, "+", None, user)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_insert_with_history_sql(model, len(records)), values + stamps)
            ids = [row[0] for row in cursor.fetchall()]
        else:
            pk = connection.ops.quote_name(model._meta.pk.column)
            cursor.execute(f"{_insert_values_sql(model, len(records))} RETURNING {pk}", values)
            ids = sorted(row[0] for row in cursor.fetchall())
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding = False
        record._state.db = connection.alias
    if connection.vendor != "postgresql":
        record_created(records, when=when, user=user)


@cache
def _inserted(model) -> list:
    """The model's columns an INSERT gives a value: all but its generated primary key."""
    return [field for field in model._meta.concrete_fields if field is not model._meta.pk]


@cache
def _insert_values_sql(model, rows: int) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _inserted(model))
    row = f"({', '.join(['%s'] * len(_inserted(model)))})"
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * rows)}"  # noqa: S608  # nosec B608


@cache
def _insert_with_history_sql(model, rows: int) -> str:
    """The rows inserted, then copied into the history table from the INSERT's RETURNING;
    answers the new ids in row order (a sequence numbers the rows in the order given)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _tracked(model))
    pk = quote(model._meta.pk.column)
    return (
        f"WITH new AS ({_insert_values_sql(model, rows)} RETURNING *), "  # noqa: S608  # nosec B608
        f"history AS ({_insert(model)} SELECT {columns}, %s, %s, %s, %s FROM new) "
        f"SELECT {pk} FROM new ORDER BY {pk}"
    )


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


def _stamps(when, history_type, reason, user) -> list:
    """The values of STAMP_COLUMNS."""
    return [
        connection.ops.adapt_datetimefield_value(when),
        history_type,
        reason,
        user.pk if user else None,
    ]


def _execute(sql, history_type, when, reason, user, rows_params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, _stamps(when, history_type, reason, user) + list(rows_params))
        return cursor.rowcount

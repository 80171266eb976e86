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

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Case, Q, Value, When

from tcm.prepared import prepared_cursor

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


def insert_created(*batches: list, when: datetime, user, also: tuple | None = None) -> None:
    """Insert `batches`, each new records of one model, with their "+" history rows; sets
    their pks.

    What `bulk_create` then `record_created` write, batch after batch, for the busiest
    write (logging a contact): on PostgreSQL one statement for all of it, the history
    copied from the inserted rows, built once per shape and not compiled by the ORM
    (bench/EXPLAIN.md, "Contact POST") and prepared (tcm.prepared); elsewhere one batch
    after the other. A record may point at an earlier batch's only record, not inserted
    yet (a contact's time entries): that column is the other row's new id, read in the
    statement. `also`, a statement and its parameters the caller runs in the same
    transaction (the page versions' bump), joins the statement, or runs last. Either way
    it is one write, all or nothing: the caller needs no transaction around it.
    """
    if connection.vendor != "postgresql":
        # All or nothing, as the one statement is, and as a failure inside a caller's
        # transaction breaks that transaction: no savepoint.
        with transaction.atomic(savepoint=False):
            for batch in batches:
                _insert_one_by_one(batch)
                record_created(batch, when=when, user=user)
            if also is not None:
                with connection.cursor() as cursor:
                    cursor.execute(*also)
        return
    pending = _pending_references(batches)
    values, shape = [], []
    for number, batch in enumerate(batches):
        mine = {(row, col): to for (n, row, col), to in pending.items() if n == number}
        values += _values(batch, mine) + _stamps(when, "+", None, user)
        shape.append((type(batch[0]), len(batch), tuple(sorted(mine.items()))))
    also_sql, also_params = also or ("", [])
    with prepared_cursor() as cursor:
        cursor.execute(_insert_together_sql(tuple(shape), also_sql), values + list(also_params))
        ids = [pk for _, pk in cursor.fetchall()]
    for record, pk in zip((record for batch in batches for record in batch), ids, strict=True):
        _inserted_as(record, pk)
    for (number, row, column), target in pending.items():
        field, record = _inserted(type(batches[number][0]))[column], batches[number][row]
        setattr(record, field.attname, batches[target][0].pk)  # drops the cached record
        field.set_cached_value(record, batches[target][0])


def _pending_references(batches) -> dict:
    """{(batch, row, column): earlier batch}: the columns that name an earlier batch's
    only record, which has no id before the statement runs."""
    earlier, pending = {}, {}
    for number, batch in enumerate(batches):
        for row, record in enumerate(batch):
            for column, field in enumerate(_inserted(type(record))):
                if field.is_relation and field.is_cached(record):
                    target = earlier.get(id(field.get_cached_value(record)))
                    if target is not None:
                        pending[number, row, column] = target
        if len(batch) == 1:
            earlier[id(batch[0])] = number
    return pending


def _values(records: list, pending: dict) -> list:
    """The parameters of the records' rows, as bulk_create prepares them; none for the
    `pending` {(row, column): batch} columns, which the statement fills."""
    fields = _inserted(type(records[0]))
    # `connection` itself: each field's preparation asks it for its operations, and the
    # module's proxy looks the connection up again for each (asgiref's Local), 0.2 million
    # of the contact POST's 8.7 million instructions (bench/EXPLAIN.md, session 12).
    db = connections[DEFAULT_DB_ALIAS]
    values = []
    for row, record in enumerate(records):
        unsaved = {fields[column] for (at, column) in pending if at == row}
        targets = {field: field.get_cached_value(record) for field in unsaved}
        for field in unsaved:  # no id yet, on purpose: not an "unsaved related object"
            field.delete_cached_value(record)
        # As bulk_create: a related record saved since it was assigned gives its pk.
        record._prepare_related_fields_for_save(operation_name="insert_created")
        for field, target in targets.items():
            field.set_cached_value(record, target)
        values += [
            field.get_db_prep_save(field.pre_save(record, True), db)
            for field in fields
            if field not in unsaved
        ]
    return values


def _insert_one_by_one(records: list) -> None:
    """The INSERT alone, for SQLite; the history follows (`record_created`)."""
    model = type(records[0])
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_insert_values_sql(model, len(records))} RETURNING {pk}", _values(records, {})
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    for record, pk in zip(records, ids, strict=True):
        _inserted_as(record, pk)


def _inserted_as(record, pk) -> None:
    record.pk = pk
    record._state.adding = False
    record._state.db = connection.alias


@cache
def _inserted(model) -> list:
    """The model's columns an INSERT gives a value: all but its generated primary key."""
    return [field for field in model._meta.concrete_fields if field is not model._meta.pk]


@cache
def _insert_values_sql(model, rows: int, pending: tuple = ()) -> str:
    """INSERT ... VALUES of `rows` rows; a `pending` ((row, column), batch) column is the
    new id of the statement's earlier batch `new_<batch>`, not a parameter."""
    quote = connection.ops.quote_name
    fields = _inserted(model)
    filled = {
        place: f"(SELECT {quote(fields[place[1]].target_field.column)} FROM new_{batch})"  # noqa: S608  # nosec B608
        for place, batch in pending
    }
    rows_sql = ", ".join(
        f"({', '.join(filled.get((row, column), '%s') for column in range(len(fields)))})"
        for row in range(rows)
    )
    columns = ", ".join(quote(field.column) for field in fields)
    table = quote(model._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {rows_sql}"  # noqa: S608  # nosec B608


@cache
def _insert_together_sql(shape: tuple, also: str) -> str:
    """Each batch's rows inserted (`new_<n>`), then copied into its history table from
    the INSERT's RETURNING, then `also`; answers (batch, new id) in row order (a
    sequence numbers the rows in the order given). `shape`: (model, rows, pending
    columns) per batch."""
    quote = connection.ops.quote_name
    parts, answers = [], []
    for number, (model, rows, pending) in enumerate(shape):
        columns = ", ".join(quote(field.column) for field in _tracked(model))
        pk = quote(model._meta.pk.column)
        parts.append(f"new_{number} AS ({_insert_values_sql(model, rows, pending)} RETURNING *)")
        parts.append(
            f"history_{number} AS ({_insert(model)} SELECT {columns}, %s, %s, %s, %s "  # noqa: S608  # nosec B608
            f"FROM new_{number})"
        )
        answers.append(f"SELECT {number} AS batch, {pk} FROM new_{number}")  # noqa: S608  # nosec B608
    if also:
        parts.append(f"also AS ({also})")
    return f"WITH {', '.join(parts)} {' UNION ALL '.join(answers)} ORDER BY 1, 2"


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

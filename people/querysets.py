"""Scoping of person records by role (SPEC.md section 1), in one place.

Every page and API view reaches persons and their records through
`visible_to(user)`; anything outside the result is answered 404.
"""

from functools import lru_cache

from django.db import connections, models
from django.db.models import Q

from tcm.querysets import in_force_q, overlapping_q
from tcm.roles import Role

NOTHING = Q(pk__in=[])


def person_scope(user, *, via: str = "") -> Q:
    """The persons `user` may see, as a Q over the path `via` to a Person.

    via="" filters Person itself; via="person__" filters a model with a
    `person` foreign key; and so on for deeper paths.
    """
    scope = _scope(user)
    if scope is None:
        return NOTHING
    return Q(**{f"{via}{field}": value for field, value in scope.items()})


def person_visible_to(user, person) -> bool:
    """`person_scope` asked of a person already read, without reading it again."""
    scope = _scope(user)
    return scope is not None and all(
        getattr(person, field) == value for field, value in scope.items()
    )


def _scope(user) -> dict | None:
    """The values a person's columns must have for `user` to see them; None: nobody."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser or user.role == Role.DMH_REVIEWER:
        return {}
    if user.role in (Role.SUPERVISOR, Role.REIMBURSEMENT_OFFICER):
        if user.regional_program_id is None:
            return None
        return {"regional_program_id": user.regional_program_id}
    if user.role == Role.CASE_MANAGER:
        return {"case_manager_id": user.pk}
    return None


class ScopedQuerySet(models.QuerySet):
    """A QuerySet of records that belong to a person; `person_path` leads to it."""

    person_path = "person__"

    def visible_to(self, user):
        return self.filter(person_scope(user, via=self.person_path))


class PersonQuerySet(ScopedQuerySet):
    person_path = ""

    def visible_one(self, user, pk: int):
        """`visible_to(user).get(pk=pk)`, or None: one statement the ORM does not compile.

        For the busiest write (logging a contact reads its person first): building
        and compiling the scoped query cost more CPU than running it, and a raw
        queryset's mapping of the columns half of what is left (bench/EXPLAIN.md,
        "Contact POST"). The scope is asked of the row read (`person_visible_to`),
        which answers what the scoped query would.
        """
        connection = connections[self.db]
        fields = self.model._meta.concrete_fields
        with connection.cursor() as cursor:
            cursor.execute(_by_id_sql(self.model, connection.ops), [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for index, converters, column in _row_converters(self.model, connection.ops):
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        person = self.model.from_db(self.db, [field.attname for field in fields], values)
        return person if person_visible_to(user, person) else None

    def with_open_episode_on(self, day):
        from people.models import CaseEpisode

        return self.filter(
            models.Exists(CaseEpisode.objects.filter(person=models.OuterRef("pk")).open_on(day))
        )


@lru_cache(maxsize=64)
def _by_id_sql(model, ops) -> str:
    """Every column of `model`'s row by id, in the order of its concrete fields."""
    columns = ", ".join(ops.quote_name(field.column) for field in model._meta.concrete_fields)
    table, pk = ops.quote_name(model._meta.db_table), ops.quote_name(model._meta.pk.column)
    return f"SELECT {columns} FROM {table} WHERE {pk} = %s"  # noqa: S608  # nosec B608 - constant names


@lru_cache(maxsize=64)
def _row_converters(model, ops) -> list:
    """(column index, converters, column) of `model`'s fields whose values the database
    backend or the field converts, as a query's compiler would: none on PostgreSQL;
    dates and times on SQLite. Per connection (`ops`): converters are its methods."""
    found = []
    for index, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = ops.get_db_converters(column) + field.get_db_converters(ops.connection)
        if converters:
            found.append((index, converters, column))
    return found


class CaseEpisodeQuerySet(ScopedQuerySet):
    def open_on(self, day):
        """Episodes open on `day` (a date or an expression): opened_on <= d <= closed_on."""
        return self.filter(in_force_q(day, start="opened_on", end="closed_on"))

    def overlapping(self, start_value, end_value):
        return self.filter(
            overlapping_q(start_value, end_value, start="opened_on", end="closed_on")
        )


class LivingArrangementQuerySet(ScopedQuerySet):
    def in_force_on(self, day):
        return self.filter(in_force_q(day, start="effective_from", end="effective_to"))

"""Version stamps of the records behind cached pages: bumped with every write, read first.

A cached page (tcm.page_cache) is keyed on the versions of the scopes it shows,
so a write never has to find and delete the pages it changes: it bumps the
counters, and the next view misses the cache and renders afresh. Scopes:

- "person:<id>": everything of one person (the person record);
- "caseload:<user id>": everything of a case manager's persons (the worklist);
- "staffing:<program id>": who is on which caseload of a program, i.e. its
  persons' rows (the officer's staff table counts caseloads): one stamp for a
  page about 200 case managers, bumped by writes of persons, not of their records;
- "records" (RECORDS): what many pages share, e.g. programs, staff and their
  qualifications, rates, and the set-based jobs' evaluation and billing runs,
  which change findings and bills of many persons at once.

The counters live in the database, not in the cache: the bump commits or rolls
back with the write it stands for, and every process (gunicorn workers, the
Celery worker, the SQLite development server next to its worker) reads the same
counters, whatever its cache backend is. A stale render can never be stored
under a new version because readers take the versions before the data
(`current` is the first query of a cached page).
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import connection

from tcm.models import PageVersion

RECORDS = "records"
TABLE = PageVersion._meta.db_table


def person_scope(person_id: int) -> str:
    return f"person:{person_id}"


def caseload_scope(user_id: int) -> str:
    return f"caseload:{user_id}"


def staffing_scope(program_id: int) -> str:
    return f"staffing:{program_id}"


def current(*scopes: str) -> tuple[int, ...]:
    """The versions of `scopes`, in order; 0 for a scope never bumped.

    A reader inside the writer's transaction (a test's, or a view in an atomic
    block) sees bumps not yet committed: the next write must bump again.
    """
    connection.page_version_marks = (None, set())
    found = dict(PageVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
    return tuple(found.get(scope, 0) for scope in scopes)


def bump(*scopes: str) -> None:
    """Increment `scopes` in the current transaction (one statement)."""
    if _bumped_in_this_block(("scopes", scopes)):
        return
    _run(_upsert(" UNION ".join(["SELECT %s AS scope"] * len(scopes))), list(scopes))


def bump_persons(
    person_ids: Iterable[int], *, case_manager_ids: Iterable[int] = (), staffing: bool = False
) -> None:
    """Increment the persons' scopes and their case managers' caseloads (one statement).

    The case managers are read in the same statement, as committed with this write;
    `case_manager_ids` adds caseloads a person has just left (a reassignment).
    `staffing` adds the persons' programs' staffing, for writes of the persons'
    own rows (who their case manager is).
    """
    statement = bump_persons_statement(
        person_ids, case_manager_ids=case_manager_ids, staffing=staffing
    )
    if statement is not None:
        _run(*statement)


def bump_persons_statement(
    person_ids: Iterable[int], *, case_manager_ids: Iterable[int] = (), staffing: bool = False
) -> tuple[str, list] | None:
    """`bump_persons`' statement and its parameters, for a writer that sends it with its
    own writes (tcm.history.insert_created: a round trip less); None when there is
    nothing to bump. The caller runs it in the current atomic block, which counts as
    bumped from now on."""
    ids = sorted({int(pk) for pk in person_ids})
    managers = sorted({int(pk) for pk in case_manager_ids if pk is not None})
    if (not ids and not managers) or _bumped_in_this_block(
        ("persons", tuple(ids), tuple(managers), staffing)
    ):
        return None
    marks = ", ".join(["%s"] * len(ids)) or "NULL"
    person = apps.get_model("people", "Person")._meta.db_table
    selects = [
        f"SELECT 'person:' || id AS scope FROM {person} WHERE id IN ({marks})",  # noqa: S608  # nosec B608 - placeholders only
        f"SELECT 'caseload:' || case_manager_id FROM {person} "  # noqa: S608  # nosec B608 - placeholders only
        f"WHERE id IN ({marks}) AND case_manager_id IS NOT NULL",
        *(["SELECT %s"] * len(managers)),
    ]
    params = [*ids, *ids, *(caseload_scope(pk) for pk in managers)]
    if staffing:
        selects.append(
            f"SELECT 'staffing:' || regional_program_id FROM {person} WHERE id IN ({marks})"  # noqa: S608  # nosec B608 - placeholders only
        )
        params.extend(ids)
    return _upsert(" UNION ".join(selects)), params


def _bumped_in_this_block(what: tuple) -> bool:
    """True when the same bump was made in the innermost atomic block still open.

    A service saving a contact and its time entries bumps the same person three
    times in one transaction; the first bump is enough, since no reader sees any of
    them before the commit. The marks belong to the connection's list of on-commit
    hooks, which Django replaces with a new list at every commit, rollback and
    savepoint rollback: a mark never outlives its bump. A later block, even inside
    the same transaction (a test's), has other savepoint ids; and a read of the
    versions in the same transaction (`current`) drops every mark.
    """
    if not connection.in_atomic_block:
        return False
    hooks, marks = getattr(connection, "page_version_marks", (None, set()))
    if hooks is not connection.run_on_commit:
        marks = set()
        connection.page_version_marks = (connection.run_on_commit, marks)
    mark = (frozenset(connection.savepoint_ids), what)
    if mark in marks:
        return True
    marks.add(mark)
    return False


def _upsert(scopes_sql: str) -> str:
    """The statement inserting or incrementing every scope `scopes_sql` selects, in scope
    order.

    The order makes two writers that bump the same scopes lock them in the same
    order (no deadlock); UNION makes each scope appear once, as ON CONFLICT needs.
    """
    return (
        f"INSERT INTO {TABLE} (scope, version) "  # noqa: S608  # nosec B608 - constant names
        f"SELECT scope, 1 FROM ({scopes_sql}) AS scopes WHERE scope IS NOT NULL ORDER BY scope "
        f"ON CONFLICT (scope) DO UPDATE SET version = {TABLE}.version + 1"
    )


def _run(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)

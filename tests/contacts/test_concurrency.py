"""Two submissions at once cannot together put more than 24 hours on one author's day."""

import threading
import time

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from contacts import services
from contacts.models import TimeEntry


@pytest.mark.django_db(transaction=True)
def test_two_tabs_logging_at_once_cannot_exceed_24_hours(case_manager, person, yesterday):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to one database (PostgreSQL)")
    start = threading.Barrier(2)
    outcomes = []

    def log():
        try:
            start.wait()
            services.log_time_entry(
                actor=case_manager,
                person=person,
                service_date=yesterday,
                minutes=800,
                activity="documentation",
            )
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.message_dict["minutes"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=log) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes)[-1] == "saved"
    assert "exceed 24 hours" in sorted(outcomes)[0]
    assert TimeEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waited_for_the_day_lock_counts_the_minutes_it_waited_for(
    case_manager, person, yesterday
):
    """The second writer reaches the database while the first holds the author's lock,
    uncommitted: its total must be read after the wait. A sum in the snapshot of the
    writing statement, taken before the wait, would miss the first writer's minutes and
    save (contacts/migrations/0007 sums in a statement of its own, after the lock); the
    test above rarely interleaves so."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to one database (PostgreSQL)")
    holding, outcomes = threading.Event(), []
    entry = {"actor": case_manager, "person": person, "service_date": yesterday}
    entry |= {"minutes": 800, "activity": "documentation"}

    def first():
        try:
            with transaction.atomic():
                services.log_time_entry(**entry)
                holding.set()
                _until_a_writer_waits_for_a_lock()
        finally:
            connections.close_all()

    def second():
        holding.wait(timeout=30)
        try:
            services.log_time_entry(**entry)
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.message_dict["minutes"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 1 and "You already have 800 minutes" in outcomes[0]
    assert TimeEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_sums_an_authors_day_after_waiting_for_the_writer_before(
    case_manager, person, yesterday
):
    """Two bare INSERTs of 800 minutes, no service and no page versions around them: the
    trigger's lock alone makes the second wait for the first, and its sum, read after
    the wait, refuses it. Without the lock, or with the sum read in the snapshot of the
    INSERT, both would be saved."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to one database (PostgreSQL)")
    settings = connection.settings_dict
    dsn = {"dbname": settings["NAME"], "user": settings["USER"], "host": settings["HOST"]}
    insert = (
        "INSERT INTO contacts_timeentry (person_id, author_id, service_date, minutes, "
        "activity, note, created_at, void_reason) "
        "VALUES (%s, %s, %s, 800, 'documentation', '', now(), '')"
    )
    values = [person.pk, case_manager.pk, yesterday]
    outcomes = []

    def second():
        try:
            with psycopg.connect(**dsn, autocommit=True) as writer:
                writer.execute(insert, values)
            outcomes.append("saved")
        except psycopg.errors.CheckViolation as error:
            outcomes.append(error.diag.constraint_name)

    with psycopg.connect(**dsn) as first:
        first.execute(insert, values)  # uncommitted, holding the author's lock
        thread = threading.Thread(target=second)
        thread.start()
        _until_a_writer_waits_for_a_lock()
        first.commit()
    thread.join(timeout=30)

    assert outcomes == ["contacts_timeentry_day_total"]
    assert TimeEntry.objects.count() == 1


def _until_a_writer_waits_for_a_lock(seconds=20):
    with connections["default"].cursor() as cursor:
        for _ in range(seconds * 20):
            # The author's lock, or the page versions the first writer bumped, which the
            # second writer's statement bumps before the trigger takes the lock.
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("the second writer never waited for the first")

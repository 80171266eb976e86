"""Two submissions at once cannot together put more than 24 hours on one author's day."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

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

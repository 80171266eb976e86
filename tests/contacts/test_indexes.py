"""The indexes every contact and time entry is written to: none that another one already serves.

Logging a contact writes a contact, its time entries and a history row of each
(bench/EXPLAIN.md, "Contact POST"): every index of these tables is one more
write per request.
"""

import pytest

from contacts.models import Contact, TimeEntry
from tests.indexes import plain_indexes

pytestmark = pytest.mark.django_db

WRITTEN_WITH_EACH_CONTACT = [
    Contact,
    TimeEntry,
    Contact.history.model,
    TimeEntry.history.model,
]


@pytest.mark.parametrize("model", WRITTEN_WITH_EACH_CONTACT, ids=lambda m: m._meta.db_table)
def test_no_index_is_the_leading_part_of_another(model):
    indexes = plain_indexes(model._meta.db_table)
    for name, columns in indexes.items():
        for other, longer in indexes.items():
            if other != name:
                assert longer[: len(columns)] != columns, (name, other)


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        (Contact.history.model, {("id",), ("history_date",), ("history_user_id",)}),
        (TimeEntry.history.model, {("id",), ("history_date",), ("history_user_id",)}),
    ],
    ids=["contact", "time entry"],
)
def test_history_is_indexed_by_record_date_and_user_only(model, columns):
    indexes = plain_indexes(model._meta.db_table)
    assert {tuple(found) for found in indexes.values()} == columns

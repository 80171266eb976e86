"""Reads of the contacts app: a person's timeline and a case manager's time totals.

The timeline merges four kinds of event (contacts, addenda, time entries not
part of a contact, voids) newest first. It is paginated in SQL: one UNION ALL
of (day, moment, kind, id) rows is sliced, then only that page's
records are fetched, so a page costs the same few queries whether the person
has ten contacts or ten thousand.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import CharField, F, Prefetch, Sum, Value
from django.db.models.functions import TruncDate

from contacts.models import Addendum, Contact, TimeEntry
from tcm.dates import month_end, month_start

TIMELINE_PAGE_SIZE = 20

CONTACT, ADDENDUM, TIME_ENTRY, CONTACT_VOID, TIME_ENTRY_VOID = (
    "contact",
    "addendum",
    "time_entry",
    "contact_void",
    "time_entry_void",
)


@dataclass(frozen=True)
class TimelineEvent:
    kind: str
    day: date
    moment: datetime
    record: Contact | Addendum | TimeEntry


def _rows(queryset, kind: str, day, moment):
    return (
        queryset.order_by()
        .annotate(day=day, moment=moment, kind=Value(kind, output_field=CharField()))
        .values_list("day", "moment", "kind", "pk")
    )


def _timeline_rows(person):
    """Every event of `person` as (day, moment, kind, id), newest first, still unevaluated."""
    contacts = Contact.objects.filter(person=person)
    entries = TimeEntry.objects.filter(person=person, contact__isnull=True)
    voided_at = TruncDate("voided_at")
    union = _rows(contacts, CONTACT, F("contact_date"), F("created_at")).union(
        _rows(
            Addendum.objects.filter(contact__person=person),
            ADDENDUM,
            TruncDate("created_at"),
            F("created_at"),
        ),
        _rows(entries, TIME_ENTRY, F("service_date"), F("created_at")),
        _rows(contacts.filter(voided_at__isnull=False), CONTACT_VOID, voided_at, F("voided_at")),
        _rows(entries.filter(voided_at__isnull=False), TIME_ENTRY_VOID, voided_at, F("voided_at")),
        all=True,
    )
    return union.order_by("-day", "-moment", "-kind", "-pk")


@dataclass(frozen=True)
class TimelinePage:
    """One page of a timeline and whether another follows: what the "More" button needs."""

    number: int
    events: list[TimelineEvent]
    more: bool

    def __iter__(self):
        return iter(self.events)

    def __len__(self):
        return len(self.events)

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1


def timeline_page(person, page_number) -> TimelinePage:
    """One page of `person`'s timeline as TimelineEvents; a page number that is not one is 1.

    The union is sliced for the page and one row more, never counted: the pages
    only offer "More", and counting meant running the five-part union twice.
    """
    try:
        number = max(1, int(page_number))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * TIMELINE_PAGE_SIZE
    rows = list(_timeline_rows(person)[start : start + TIMELINE_PAGE_SIZE + 1])
    wanted: dict[str, set[int]] = {}
    for _, _, kind, pk in rows[:TIMELINE_PAGE_SIZE]:
        wanted.setdefault(kind.removesuffix("_void"), set()).add(pk)
    records = _fetch(wanted)
    events = [
        TimelineEvent(kind, day, moment, records[kind.removesuffix("_void")][pk])
        for day, moment, kind, pk in rows[:TIMELINE_PAGE_SIZE]
    ]
    return TimelinePage(number, events, more=len(rows) > TIMELINE_PAGE_SIZE)


def _fetch(wanted: dict[str, set[int]]) -> dict[str, dict[int, object]]:
    """The page's records by kind and id: at most one query per kind, plus prefetches."""
    gated = TimeEntry.objects.with_billing_gate().select_related("author")
    querysets = {
        CONTACT: Contact.objects.select_related("author", "voided_by").prefetch_related(
            Prefetch("time_entries", queryset=gated.order_by("pk"))
        ),
        ADDENDUM: Addendum.objects.select_related("author", "contact"),
        TIME_ENTRY: gated.select_related("voided_by"),
    }
    return {kind: queryset.in_bulk(wanted.get(kind, ())) for kind, queryset in querysets.items()}


@dataclass(frozen=True)
class TimeTotals:
    first_day: date
    last_day: date
    by_activity: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(minutes for _, minutes in self.by_activity)


def time_totals(author, first_day: date, last_day: date) -> TimeTotals:
    """The author's non-void minutes between two days, per activity, in one query."""
    labels = dict(TimeEntry.Activity.choices)
    rows = (
        TimeEntry.objects.not_void()
        .filter(author=author)
        .between(first_day, last_day)
        .values_list("activity")
        .annotate(minutes=Sum("minutes"))
        .order_by("activity")
    )
    return TimeTotals(first_day, last_day, [(labels[activity], total) for activity, total in rows])


def week_and_month(today: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """This week (Monday to Sunday) and this calendar month, as (first, last) days."""
    monday = today - timedelta(days=today.weekday())
    return (monday, monday + timedelta(days=6)), (month_start(today), month_end(today))


# TimeEntry.objects.not_void().filter(author_id=..., service_date=...).aggregate(Sum("minutes")),
# written out: compiling the aggregate through the ORM cost more than running it. The
# database checks the same sum on every write of time (contacts/migrations/0007).
MINUTES_LOGGED = """
    SELECT COALESCE(SUM(minutes), 0) FROM contacts_timeentry
    WHERE author_id = %s AND service_date = %s AND voided_at IS NULL
"""


def minutes_logged(author_id: int, day: date) -> int:
    """The minutes of time the author has on `day`, void entries left out."""
    with connection.cursor() as cursor:
        cursor.execute(MINUTES_LOGGED, [author_id, day])
        return cursor.fetchone()[0]

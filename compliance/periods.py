"""Period arithmetic of the compliance rules (SPEC.md section 4), pure and I/O free.

Only whole periods are judged: a period is evaluated once it has ended, and a
period ending on the as-of date has not ended. The look-back
(`TCM_COMPLIANCE_LOOKBACK_MONTHS`) bounds how far back a nightly run re-judges
periods, so late entries still resolve findings without the sweep growing
with the age of the database.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from tcm.dates import add_years, month_end, next_month, quarter_end, quarter_start


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date


def months_back(day: date, months: int) -> date:
    """First day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def ended_months(as_of: date, lookback_months: int) -> list[Period]:
    """Calendar months that ended before `as_of`, the last `lookback_months` of them."""
    periods = []
    start = months_back(as_of, lookback_months)
    while month_end(start) < as_of:
        periods.append(Period(start, month_end(start)))
        start = next_month(start)
    return periods


def ended_quarters(as_of: date, lookback_months: int) -> list[Period]:
    """Calendar quarters that ended before `as_of` and began inside the look-back."""
    periods = []
    start = quarter_start(months_back(as_of, lookback_months))
    if start < months_back(as_of, lookback_months):
        start = next_month(quarter_end(start))
    while quarter_end(start) < as_of:
        periods.append(Period(start, quarter_end(start)))
        start = next_month(quarter_end(start))
    return periods


def current_month(as_of: date) -> Period:
    return Period(as_of.replace(day=1), month_end(as_of))


def current_quarter(as_of: date) -> Period:
    return Period(quarter_start(as_of), quarter_end(as_of))


def anniversary(day: date) -> date:
    """The yearly due date of a record dated `day`; 29 February falls due on 28 February."""
    return add_years(day, 1)


def earliest_on_time(as_of: date) -> date:
    """The earliest record date whose anniversary is on or after `as_of`.

    A yearly requirement is met on `as_of` when the last record is dated on
    or after this day. Computed, not guessed, because 29 February makes
    "one year before" ambiguous: on 29 February 2024 a record of 28 February
    2023 fell due on 28 February 2024 and is late, so the answer is 1 March 2023.
    """
    day = add_years(as_of, -1)
    while anniversary(day) < as_of:
        day += timedelta(days=1)
    while anniversary(day - timedelta(days=1)) >= as_of:
        day -= timedelta(days=1)
    return day

"""Calendar helpers shared by the compliance and billing rules.

Anniversaries follow SPEC.md section 4: a yearly deadline falling on
29 February in a non-leap year moves to 28 February.
"""

import calendar
from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    target_year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(target_year):
        return date(target_year, 2, 28)
    return day.replace(year=target_year)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    start = quarter_start(day)
    return month_end(date(start.year, start.month + 2, 1))


def previous_month(day: date) -> date:
    """The first day of the month before `day`'s: the month a bill run on the 1st covers."""
    return month_start(month_start(day) - timedelta(days=1))


def next_month(day: date) -> date:
    """First day of the month after `day`'s month."""
    return month_end(day) + timedelta(days=1)


def parse_month(value: str) -> date:
    """'YYYY-MM' to the first day of that month; ValueError names the format."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError(f"{value!r} is not a month in the form YYYY-MM") from None

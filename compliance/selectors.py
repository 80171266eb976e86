"""The heavy reads of compliance: the worklist, the dashboard and the findings filters.

Each is a fixed number of queries whatever the caseload; the rules module
provides the definitions, so the worklist's "due" and the engine's "unmet"
agree by construction.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from compliance.models import EvaluationRun, Finding, Rule
from compliance.periods import (
    Period,
    anniversary,
    current_month,
    current_quarter,
    ended_months,
    ended_quarters,
)
from compliance.rules import RULES, open_on
from people.models import Person
from tcm.models import User
from tcm.roles import Role

UPCOMING_DAYS = 90  # how far ahead the worklist shows annual dates
DASHBOARD_MONTHS = 12


@dataclass(frozen=True)
class WorkItem:
    """One thing a case manager should do before it is late."""

    person: Person
    rule: Rule
    due_date: date
    action: str  # the URL name of the page that does it
    action_label: str


def worklist(user, today: date) -> dict:
    """Open findings (overdue) and what falls due in the current periods, soonest first."""
    month, quarter = current_month(today), current_quarter(today)
    persons = list(_open_caseload(user, today, month, quarter))
    due = sorted(_work_items(persons, month, quarter, today), key=lambda item: item.due_date)
    overdue = Finding.objects.visible_to(user).open().for_page().order_by("due_date", "pk")
    return {
        "overdue": list(overdue),
        "due_this_month": [item for item in due if item.due_date <= month.end],
        "due_later": [item for item in due if item.due_date > month.end],
        "month": month,
        "quarter": quarter,
    }


def _open_caseload(user, today, month: Period, quarter: Period):
    monthly, quarterly = RULES[Rule.MONTHLY_CONTACT], RULES[Rule.QUARTERLY_FACE_TO_FACE]
    persons = Person.objects.visible_to(user).filter(open_on(today))
    persons = RULES[Rule.ANNUAL_PLAN_REVIEW].with_cycle(persons, today)
    persons = RULES[Rule.ANNUAL_REASSESSMENT].with_cycle(persons, today)
    return persons.annotate(
        monthly_met=Exists(monthly.satisfying(person=OuterRef("pk"), start=month.start, end=today)),
        quarterly_met=Exists(
            quarterly.satisfying(person=OuterRef("pk"), start=quarter.start, end=today)
        ),
    ).order_by("last_name", "first_name", "pk")


def _work_items(persons, month: Period, quarter: Period, today: date):
    horizon = today + timedelta(days=UPCOMING_DAYS)
    for person in persons:
        if not person.monthly_met:
            yield WorkItem(
                person, Rule.MONTHLY_CONTACT, month.end, "contacts:contact-create", "Log a contact"
            )
        if not person.quarterly_met:
            yield WorkItem(
                person,
                Rule.QUARTERLY_FACE_TO_FACE,
                quarter.end,
                "contacts:contact-create",
                "Log a visit",
            )
        if person.active_meeting_date:
            due = anniversary(person.active_meeting_date)
            if today <= due <= horizon:
                yield WorkItem(
                    person, Rule.ANNUAL_PLAN_REVIEW, due, "plans:plan-create", "Revise the plan"
                )
        if person.active_meeting_date is None and person.episode_opened_on:
            due = person.episode_opened_on + timedelta(days=settings.TCM_INITIAL_PLAN_DAYS)
            if due >= today:
                yield WorkItem(
                    person, Rule.INITIAL_PLAN, due, "plans:plan-create", "Write the plan"
                )
        if person.reassessment_base:
            due = anniversary(person.reassessment_base)
            if today <= due <= horizon:
                yield WorkItem(
                    person, Rule.ANNUAL_REASSESSMENT, due, "plans:assessment-create", "Reassess"
                )


def dashboard(user, today: date) -> dict:
    """Compliance rates of the user's program per rule, case manager and period."""
    persons = Person.objects.visible_to(user)
    months = ended_months(today, DASHBOARD_MONTHS)
    quarters = ended_quarters(today, DASHBOARD_MONTHS)
    monthly_rows = RULES[Rule.MONTHLY_CONTACT].rates(months, persons)
    quarterly_rows = RULES[Rule.QUARTERLY_FACE_TO_FACE].rates(quarters, persons)
    annual = _annual_counts(persons, today)
    managers = _managers(user, {row[0] for row in monthly_rows + quarterly_rows} | set(annual))
    open_findings = dict(
        Finding.objects.visible_to(user).open().values_list("rule").annotate(n=Count("pk"))
    )
    return {
        "periodic": [
            _rate_table(Rule.MONTHLY_CONTACT, monthly_rows, managers, months, "F Y"),
            _rate_table(Rule.QUARTERLY_FACE_TO_FACE, quarterly_rows, managers, quarters, "quarter"),
        ],
        "annual": _annual_rows(annual, managers),
        "open_findings": [(rule, open_findings.get(rule.value, 0)) for rule in Rule],
        "last_run": EvaluationRun.objects.first(),
    }


ANNUAL_RULES = (Rule.ANNUAL_PLAN_REVIEW, Rule.ANNUAL_REASSESSMENT, Rule.INITIAL_PLAN)


def _annual_counts(persons, today) -> dict:
    """{case manager id: {"open": n, rule: late count, ...}}: one query per rule plus one."""
    counts: dict = {}
    open_today = persons.filter(open_on(today)).values("case_manager_id").annotate(n=Count("pk"))
    for manager_id, n in open_today.values_list("case_manager_id", "n"):
        counts.setdefault(manager_id, {})["open"] = n
    for rule in ANNUAL_RULES:
        late_persons = RULES[rule].late(today).values(RULES[rule].person_ref)
        late = (
            persons.filter(open_on(today), pk__in=late_persons)
            .values("case_manager_id")
            .annotate(n=Count("pk"))
        )
        for manager_id, n in late.values_list("case_manager_id", "n"):
            counts.setdefault(manager_id, {})[rule] = n
    return counts


def _managers(user, ids) -> dict:
    """Case managers of the program, and anyone else holding one of these persons."""
    program = Q(regional_program_id=user.regional_program_id) & Q(groups__name=Role.CASE_MANAGER)
    managers = User.objects.filter(program | Q(pk__in=[i for i in ids if i])).distinct()
    by_id = {manager.pk: str(manager.get_full_name() or manager) for manager in managers}
    ordered = dict(sorted(by_id.items(), key=lambda item: item[1]))
    if None in ids:
        ordered[None] = "Unassigned"
    return ordered


def rate(met: int, total: int) -> int | None:
    return round(100 * met / total) if total else None


def band(percent: int | None) -> str:
    """Colour band of a rate: the CSS class, so the page needs no inline style."""
    if percent is None:
        return "none"
    return "good" if percent >= 90 else "fair" if percent >= 70 else "poor"


def _rate_table(rule, rows, managers, periods, label_format) -> dict:
    cells = {(manager_id, start): (total, met) for manager_id, start, total, met in rows}
    table = []
    for manager_id, name in managers.items():
        counts = [cells.get((manager_id, period.start), (0, 0)) for period in periods]
        if any(total for total, _ in counts):
            queries = [_query(rule, period, manager_id) for period in periods]
            table.append({"name": name, "cells": _cells(counts, queries)})
    program = [
        (
            sum(total for (m, start), (total, _) in cells.items() if start == period.start),
            sum(met for (m, start), (_, met) in cells.items() if start == period.start),
        )
        for period in periods
    ]
    return {
        "rule": rule,
        "periods": [_period_label(period, label_format) for period in periods],
        "rows": table,
        "program": _cells(program, [_query(rule, period) for period in periods]),
        "chart": chart(
            [_period_label(period, label_format) for period in periods],
            [rate(met, total) for total, met in program],
        ),
    }


def _cells(counts, queries) -> list[dict]:
    return [
        {
            "total": total,
            "met": met,
            "rate": rate(met, total),
            "band": band(rate(met, total)),
            "query": query,
        }
        for (total, met), query in zip(counts, queries, strict=True)
    ]


def _query(rule, period=None, manager_id=None, **extra) -> str:
    """The findings-page filter behind a dashboard cell (the drill-down)."""
    params = {"rule": rule.value, **extra}
    if period:
        params["period"] = f"{period.start:%Y-%m}"
    if manager_id:
        params["case_manager"] = manager_id
    return urlencode(params)


def _period_label(period: Period, label_format: str) -> str:
    if label_format == "quarter":
        return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"
    return f"{period.start:%b %Y}"


CHART_BAR, CHART_GAP, CHART_HEIGHT, CHART_TOP = 40, 12, 120, 16


def chart(labels: list[str], rates: list[int | None]) -> dict:
    """Geometry of a server-rendered SVG bar chart of rates (0-100 %)."""
    bars = []
    for index, (label, percent) in enumerate(zip(labels, rates, strict=True)):
        height = round(CHART_HEIGHT * (percent or 0) / 100)
        x = CHART_GAP + index * (CHART_BAR + CHART_GAP)
        bars.append(
            {
                "x": x,
                "y": CHART_TOP + CHART_HEIGHT - height,
                "width": CHART_BAR,
                "height": height,
                "label_x": x + CHART_BAR // 2,
                "value_y": CHART_TOP + CHART_HEIGHT - height - 4,
                "rate": percent,
                "band": band(percent),
                "label": label,
            }
        )
    return {
        "bars": bars,
        "width": CHART_GAP + len(bars) * (CHART_BAR + CHART_GAP),
        "height": CHART_TOP + CHART_HEIGHT + 24,
        "axis_y": CHART_TOP + CHART_HEIGHT,
        "label_y": CHART_TOP + CHART_HEIGHT + 16,
    }


def _annual_rows(counts, managers) -> list[dict]:
    rows = []
    for manager_id, name in managers.items():
        manager_counts = counts.get(manager_id, {})
        open_persons = manager_counts.get("open", 0)
        if not open_persons:
            continue
        cells = []
        for rule in ANNUAL_RULES:
            late = manager_counts.get(rule, 0)
            percent = rate(open_persons - late, open_persons)
            query = _query(rule, manager_id=manager_id, status="open")
            cells.append({"late": late, "rate": percent, "band": band(percent), "query": query})
        rows.append({"name": name, "open": open_persons, "cells": cells})
    return rows

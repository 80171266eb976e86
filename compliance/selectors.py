"""The heavy reads of compliance: the worklist, the dashboard and the findings filters.

Each is a fixed number of queries whatever the caseload; the rules module
provides the definitions, so the worklist's "due" and the engine's "unmet"
agree by construction.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Sum

from compliance.models import ComplianceRate, EvaluationRun, Finding, Rule
from compliance.periods import Period, anniversary, current_month, current_quarter
from compliance.rates import ANNUAL_RULES, PERIODIC_RULES, dashboard_periods
from compliance.rules import RULES, open_on
from people.models import Person
from tcm.models import User

UPCOMING_DAYS = 90  # how far ahead the worklist shows annual dates


@dataclass(frozen=True)
class WorkItem:
    """One thing a case manager should do before it is late."""

    person: Person
    rule: Rule
    due_date: date
    action: str  # the URL name of the page that does it
    action_label: str


def worklist(user, today: date) -> dict:
    """Open findings (overdue) and what falls due in the current periods, soonest first.

    The findings are an unevaluated queryset, so a page of them costs a count and a slice.
    """
    month, quarter = current_month(today), current_quarter(today)
    persons = list(_open_caseload(user, today, month, quarter))
    due = sorted(_work_items(persons, month, quarter, today), key=lambda item: item.due_date)
    # The worklist names the person only: no case manager or acknowledger joined.
    overdue = (
        Finding.objects.visible_to(user).open().select_related("person").order_by("due_date", "pk")
    )
    return {
        "overdue": overdue,
        "due_this_month": [item for item in due if item.due_date <= month.end],
        "due_later": [item for item in due if item.due_date > month.end],
        "month": month,
        "quarter": quarter,
    }


def _open_caseload(user, today, month: Period, quarter: Period):
    monthly, quarterly = RULES[Rule.MONTHLY_CONTACT], RULES[Rule.QUARTERLY_FACE_TO_FACE]
    names = ("first_name", "last_name")  # all a work item shows of the person, with the pk
    persons = Person.objects.visible_to(user).filter(open_on(today)).only(*names)
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


MANAGERS_PER_PAGE = 25  # a program may have 200 case managers at state scale


def dashboard(user, page_number=None) -> dict:
    """The frame of the program's dashboard: its latest finished run, a page of its case
    managers and the open findings per rule; `rate_tables` reads the rates of that page.

    A fixed number of small queries whatever the size of the program.
    """
    run = EvaluationRun.objects.filter(status=EvaluationRun.Status.FINISHED).first()
    stored = ComplianceRate.objects.visible_to(user).filter(run=run)
    page = Paginator(_managers(stored), MANAGERS_PER_PAGE).get_page(page_number)
    page.object_list = _named(page.object_list)
    open_findings = _open_findings(user)
    return {
        "run": run,
        "page": page,
        "open_findings": [(rule, open_findings.get(rule.value, 0)) for rule in Rule],
    }


def rate_tables(user, run, managers: dict) -> dict:
    """Rates of `run` per rule, period and case manager of `managers` ({id: name}), with
    the whole program's totals, as stored by the evaluation (compliance.rates)."""
    stored = ComplianceRate.objects.visible_to(user).filter(run=run)
    cells = _counts(stored.filter(_of_managers(managers)), "case_manager_id")
    program = _counts(stored, None)
    periods = dashboard_periods(run.as_of) if run else {rule: [] for rule in PERIODIC_RULES}
    return {
        "run": run,
        "periodic": [
            _rate_table(rule, periods[rule], managers, cells, program) for rule in PERIODIC_RULES
        ],
        "annual": _annual_table(run, managers, cells, program),
    }


def _open_findings(user) -> dict:
    """{rule: open findings} of the user's program (supervisors) or of every program
    (superusers). Counted when the dashboard's body is rendered, which its page cache
    keeps until an evaluation or a person moving in or out changes the counts."""
    findings = Finding.objects.visible_to(user).open().values_list("rule")
    return dict(findings.annotate(n=Count("pk")))


def _managers(stored) -> list[int | None]:
    """Ids of every case manager with rates, in the users' order (by name); persons
    without one last. Names are read for a page only (`_named`): a program may have 200."""
    named = User.objects.filter(pk__in=stored.values("case_manager_id"))
    ids = list(named.values_list("pk", flat=True))
    return [*ids, None] if stored.filter(case_manager__isnull=True).exists() else ids


def _named(ids) -> list[tuple[int | None, str]]:
    fields = ("first_name", "last_name", "username")  # all str(user) reads
    users = User.objects.filter(pk__in=[pk for pk in ids if pk]).only(*fields)
    names = {user.pk: str(user) for user in users}
    return [(pk, names[pk] if pk else "Unassigned") for pk in ids]


def _of_managers(managers) -> Q:
    named = Q(case_manager_id__in=[manager_id for manager_id in managers if manager_id])
    return named | Q(case_manager__isnull=True) if None in managers else named


def _counts(stored, manager_field) -> dict:
    """{(rule, manager id, period start): (in scope, met)}, one query.

    With `manager_field` None the counts are the whole program's, keyed by a None manager.
    """
    group = ("rule", manager_field, "period_start") if manager_field else ("rule", "period_start")
    rows = stored.values(*group).annotate(in_scope=Sum("persons_in_scope"), met=Sum("persons_met"))
    return {
        (row["rule"], row.get(manager_field), row["period_start"]): (row["in_scope"], row["met"])
        for row in rows
    }


def rate(met: int, total: int) -> int | None:
    return round(100 * met / total) if total else None


def band(percent: int | None) -> str:
    """Colour band of a rate: the CSS class, so the page needs no inline style."""
    if percent is None:
        return "none"
    return "good" if percent >= 90 else "fair" if percent >= 70 else "poor"


def _rate_table(rule, periods, managers, cells, program) -> dict:
    label_format = "F Y" if rule == Rule.MONTHLY_CONTACT else "quarter"
    labels = [_period_label(period, label_format) for period in periods]
    table = []
    for manager_id, name in managers.items():
        counts = [cells.get((rule, manager_id, period.start), (0, 0)) for period in periods]
        if any(total for total, _ in counts):
            queries = [_query(rule, period, manager_id) for period in periods]
            table.append({"name": name, "cells": _cells(counts, queries)})
    totals = [program.get((rule, None, period.start), (0, 0)) for period in periods]
    return {
        "rule": rule,
        "periods": labels,
        "rows": table,
        "program": _cells(totals, [_query(rule, period) for period in periods]),
        "chart": chart(labels, [rate(met, total) for total, met in totals]),
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


def _annual_table(run, managers, cells, program) -> dict:
    """Persons on time per annual rule on the run's as-of date, per case manager and in all."""
    if run is None:
        return {"rows": [], "program": None}
    rows = []
    for manager_id, name in managers.items():
        row = _annual_row(
            name, [cells.get((rule, manager_id, run.as_of)) for rule in ANNUAL_RULES], manager_id
        )
        if row["open"]:
            rows.append(row)
    totals = [program.get((rule, None, run.as_of)) for rule in ANNUAL_RULES]
    return {"rows": rows, "program": _annual_row("Program", totals)}


def _annual_row(name, counts, manager_id=None) -> dict:
    """`counts`: (persons open, persons on time) per annual rule; every rule counts the same
    persons, those whose case is open on the as-of date."""
    counts = [count or (0, 0) for count in counts]
    cells = []
    for rule, (total, met) in zip(ANNUAL_RULES, counts, strict=True):
        percent = rate(met, total)
        query = _query(rule, manager_id=manager_id, status="open")
        cells.append({"late": total - met, "rate": percent, "band": band(percent), "query": query})
    return {"name": name, "open": counts[0][0], "cells": cells}

"""Bill generation as set-based SQL: the facts of a month in five queries, whatever its size.

`plan_run(run)` reads everything a run needs and returns a plan; it writes
nothing (billing/services.py writes the plan). The queries:

1. billable minutes summed per person and service date, each day annotated
   with the T1017 rate and the private and Medicaid coverage in force on it;
2. every time entry of the month not yet billed by a finalized run, with the
   billing gate facts, to link entries to lines and to list exclusions;
3. minutes already billed per person and day by finalized runs of the month
   (a supplemental run bills only the units the late minutes add);
4. per person, the means test in force on the first day of the month and
   whether the person lived in the natural home during the month;
5. self-pay amounts already due from finalized runs of the month.

The rules themselves (units, payer order, the means-test cap) are the pure
functions of billing/rules.py, applied to each aggregated row.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Exists, OuterRef, Subquery, Sum

from billing import rules
from billing.models import T1017, Bill, BillingRun, BillLine, Coverage, MeansTest, Rate
from contacts.models import TimeEntry
from people.models import LivingArrangement, Person
from tcm.dates import month_end
from tcm.querysets import overlapping_q

NO_RATE = "No T1017 rate in force on the service date"


@dataclass
class LinePlan:
    service_date: date
    minutes: int
    previously_billed_minutes: int
    units: int
    rule: str
    rate: Decimal
    charge: Decimal
    entry_ids: list[int] = field(default_factory=list)


@dataclass
class BillPlan:
    person_id: int
    payer_type: str
    coverage_id: int | None = None
    means_test_id: int | None = None
    amount_due: Decimal = Decimal("0.00")
    explanation: str = ""
    lines: list[LinePlan] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def charge(self) -> Decimal:
        return sum((line.charge for line in self.lines), Decimal("0.00"))


@dataclass
class RunPlan:
    bills: list[BillPlan]
    excluded: dict[int, list[str]]


def month_entries(run: BillingRun):
    """Time entries of the run's program and month that no finalized run has billed yet."""
    already_billed = BillLine.time_entries.through.objects.filter(
        timeentry_id=OuterRef("pk"), billline__bill__run__status=BillingRun.Status.FINALIZED
    )
    return (
        TimeEntry.objects.with_billing_gate()
        .filter(person__regional_program_id=run.regional_program_id)
        .between(run.month, month_end(run.month))
        .exclude(Exists(already_billed))
    )


def _coverage_in_force(payer_type: str):
    return Subquery(
        Coverage.objects.filter(person_id=OuterRef("person_id"), payer_type=payer_type)
        .in_force_on(OuterRef("service_date"))
        .order_by("-effective_from", "-pk")
        .values("pk")[:1]
    )


def billable_days(run: BillingRun):
    """Query 1: billable minutes per person and day, with rate and coverages of that day."""
    rate = (
        Rate.objects.filter(procedure_code=T1017)
        .in_force_on(OuterRef("service_date"))
        .order_by("-effective_from")
        .values("amount_per_unit")[:1]
    )
    return (
        month_entries(run)
        .billable()
        .values("person_id", "service_date")
        .annotate(
            minutes=Sum("minutes"),
            rate=Subquery(rate),
            private_insurance_coverage_id=_coverage_in_force(Coverage.PayerType.PRIVATE_INSURANCE),
            medicaid_coverage_id=_coverage_in_force(Coverage.PayerType.MEDICAID),
        )
        .order_by("person_id", "service_date")
    )


def _billed_minutes(run: BillingRun) -> dict[tuple[int, date], int]:
    """Query 3: minutes finalized runs of the same month already billed, per person and day."""
    rows = (
        BillLine.objects.filter(
            bill__run__regional_program_id=run.regional_program_id,
            bill__run__status=BillingRun.Status.FINALIZED,
            bill__month=run.month,
        )
        .values("bill__person_id", "service_date")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    return {(row["bill__person_id"], row["service_date"]): row["total"] for row in rows}


def _self_pay_facts(run: BillingRun, person_ids) -> dict[int, dict]:
    """Query 4: means test in force on the 1st and natural-home living during the month."""
    means_test = MeansTest.objects.filter(
        person_id=OuterRef("pk"), effective_from__lte=run.month
    ).order_by("-effective_from")
    natural_home = LivingArrangement.objects.filter(
        person_id=OuterRef("pk"), arrangement=LivingArrangement.Arrangement.NATURAL_HOME
    ).filter(
        overlapping_q(run.month, month_end(run.month), start="effective_from", end="effective_to")
    )
    rows = (
        Person.objects.filter(pk__in=person_ids)
        .annotate(
            means_test_id=Subquery(means_test.values("pk")[:1]),
            ability_to_pay=Subquery(means_test.values("monthly_ability_to_pay")[:1]),
            natural_home=Exists(natural_home),
        )
        .values("pk", "means_test_id", "ability_to_pay", "natural_home")
    )
    return {row["pk"]: row for row in rows}


def _self_pay_already_due(run: BillingRun) -> dict[int, Decimal]:
    """Query 5: self-pay amounts asked for by finalized runs of the same month."""
    rows = (
        Bill.objects.filter(
            run__regional_program_id=run.regional_program_id,
            run__status=BillingRun.Status.FINALIZED,
            month=run.month,
            payer_type=Bill.PayerType.SELF_PAY,
        )
        .values("person_id")
        .annotate(total=Sum("amount_due"))
        .order_by()
    )
    return {row["person_id"]: row["total"] for row in rows}


def plan_run(run: BillingRun, *, rule: str | None = None) -> RunPlan:
    """Everything `run` should contain, computed from the database as it is now."""
    rule = rule or settings.TCM_UNIT_ROUNDING
    billed_minutes = _billed_minutes(run)
    bills: dict[tuple[int, str], BillPlan] = {}
    lines: dict[tuple[int, date], LinePlan] = {}
    for day in billable_days(run):
        if day["rate"] is None:
            continue
        key = (day["person_id"], day["service_date"])
        line = _line(day, billed_minutes.get(key, 0), rule)
        payer = rules.payer_for(
            private_insurance=day["private_insurance_coverage_id"] is not None,
            medicaid=day["medicaid_coverage_id"] is not None,
        )
        bill = bills.setdefault(
            (day["person_id"], payer), BillPlan(person_id=day["person_id"], payer_type=payer)
        )
        bill.coverage_id = bill.coverage_id or day.get(f"{payer}_coverage_id")
        bill.lines.append(line)
        lines[key] = line
    excluded = _link_entries(run, lines)
    _apply_payer_rules(run, list(bills.values()))
    return RunPlan(bills=list(bills.values()), excluded=excluded)


def _line(day: dict, previously_billed: int, rule: str) -> LinePlan:
    units = rules.new_units(
        minutes=day["minutes"], previously_billed_minutes=previously_billed, rule=rule
    )
    return LinePlan(
        service_date=day["service_date"],
        minutes=day["minutes"],
        previously_billed_minutes=previously_billed,
        units=units,
        rule=rule,
        rate=day["rate"],
        charge=rules.money(units * day["rate"]),
    )


def _link_entries(run: BillingRun, lines: dict[tuple[int, date], LinePlan]) -> dict:
    """Query 2: attach billable entries to their day's line; the rest are excluded with reasons."""
    excluded: dict[int, list[str]] = defaultdict(list)
    entries = month_entries(run).only("pk", "person_id", "service_date", "voided_at")
    for entry in entries.order_by("service_date", "pk"):
        reasons = entry.non_billable_reasons
        line = lines.get((entry.person_id, entry.service_date))
        if not reasons and line is None:
            reasons = [NO_RATE]
        if reasons:
            excluded[entry.pk] = reasons
        else:
            line.entry_ids.append(entry.pk)
    return dict(excluded)


def _apply_payer_rules(run: BillingRun, bills: list[BillPlan]) -> None:
    """Amount due and explanation per bill: claims in full, self-pay under the means test."""
    self_pay_ids = [b.person_id for b in bills if b.payer_type == Bill.PayerType.SELF_PAY]
    facts = _self_pay_facts(run, self_pay_ids) if self_pay_ids else {}
    already_due = _self_pay_already_due(run) if self_pay_ids else {}
    for bill in bills:
        if bill.payer_type != Bill.PayerType.SELF_PAY:
            bill.amount_due = bill.charge
            bill.explanation = (
                f"{bill.units} units of {rules.CLAIM_DESCRIPTION} claimed in full from "
                f"{'private insurance' if bill.payer_type == 'private_insurance' else 'Medicaid'},"
                f" the first payer active on these service dates. Amount due ${bill.charge}."
            )
            continue
        fact = facts[bill.person_id]
        bill.means_test_id = fact["means_test_id"]
        result = rules.self_pay_due(
            charge=bill.charge,
            month_start=run.month,
            ability_to_pay=fact["ability_to_pay"],
            natural_home=fact["natural_home"],
            already_due=already_due.get(bill.person_id, Decimal(0)),
        )
        bill.amount_due, bill.explanation = result.amount_due, result.explanation

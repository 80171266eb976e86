"""The facts a bill run decides on, as querysets the engine stages into temporary tables.

Each queryset is one SELECT built from the same querysets the rest of the app
uses (the billing gate of contacts, the effective-dated `in_force_on`
lookups), so billing/engine.py copies it into a temporary table with one
CREATE TEMP TABLE ... AS and never loads a row. Column names are the keys of
`values()`, in order. The gate, rate and coverage are asked of the staged
entries and person-days (StagedEntry, StagedPersonDay), not of each time entry:
a day of several entries is asked once, and the qualifications are hash-joined.
"""

from django.db.models import (
    BooleanField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from billing.models import (
    T1017,
    Bill,
    BillingRun,
    BillLine,
    Coverage,
    MeansTest,
    Rate,
    StagedEntry,
    StagedPersonDay,
)
from contacts.models import TimeEntry
from contacts.querysets import author_qualified, case_open, program_certified
from people.models import LivingArrangement, Person
from tcm.dates import month_end
from tcm.querysets import overlapping_q

FINALIZED = BillingRun.Status.FINALIZED


def month_entries(run: BillingRun):
    """Time entries of the run's program and month that no finalized run has billed yet.

    Only runs of the same month can have billed them (a run bills its month's
    entries, and finalizing froze their date), so the check reads the links of that
    month's finalized bills, not every link ever written: it hashed them all, a
    cost that grew with every month billed (bench/EXPLAIN.md). Staged as
    `StagedEntry`, with what the later steps read of each.
    """
    already_billed = BillLine.time_entries.through.objects.filter(
        timeentry_id=OuterRef("pk"),
        billline__bill__month=run.month,
        billline__bill__run__status=FINALIZED,
    )
    return (
        TimeEntry.objects.filter(person__regional_program_id=run.regional_program_id)
        .between(run.month, month_end(run.month))
        .exclude(Exists(already_billed))
        .order_by()
        .values(
            "id",
            "person_id",
            "author_id",
            "service_date",
            "minutes",
            voided=ExpressionWrapper(Q(voided_at__isnull=False), output_field=BooleanField()),
        )
    )


def qualified_entries():
    """The staged entries whose author is qualified on their day.

    An EXISTS in the WHERE clause, which PostgreSQL answers with one hash join of the
    qualifications instead of a probe per entry.
    """
    return StagedEntry.objects.filter(
        author_qualified(OuterRef("author_id"), OuterRef("service_date"))
    ).values("id")


def _finalized_bills(run: BillingRun):
    """Bills of finalized runs of the same program and month (supplemental runs build on them)."""
    return Bill.objects.filter(
        run__regional_program_id=run.regional_program_id, run__status=FINALIZED, month=run.month
    )


def builds_on_finalized(run: BillingRun) -> bool:
    """Whether a finalized run of the same program and month billed some of it already.

    Asked once per run so a regular run, with none before it, does not ask every
    person-day for minutes already billed (bench/EXPLAIN.md); of the same bills that
    `_billed_minutes` sums, so the two cannot disagree on which runs count.
    """
    return _finalized_bills(run).exists()


def _sum_of(queryset, field: str, *, per: str, output_field):
    """Subquery: the sum of `field` over `queryset`, 0 when it is empty.

    `per` is the column the subquery is correlated on: grouping by it makes one group.
    """
    total = queryset.order_by().values(per).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(total), Value(0), output_field=output_field)


def _coverage_in_force(payer_type: str):
    return Subquery(
        Coverage.objects.filter(person_id=OuterRef("person_id"), payer_type=payer_type)
        .in_force_on(OuterRef("service_date"))
        .order_by("-effective_from", "-pk")
        .values("pk")[:1]
    )


def date_facts(run: BillingRun):
    """Per service date of the staged person-days: whether the program is certified and
    the T1017 rate in force.

    Facts of the date alone, so asked once per date (30 a month), not once per person
    and day (18,000 a program at 100,000 persons, a third of the day facts' time:
    bench/EXPLAIN.md). The person-day with the lowest id of each date stands for it.
    """
    day = OuterRef("service_date")
    rate = (
        Rate.objects.filter(procedure_code=T1017)
        .in_force_on(day)
        .order_by("-effective_from")
        .values("amount_per_unit")[:1]
    )
    one_a_date = RawSQL("SELECT MIN(id) FROM billing_person_day GROUP BY service_date", [])
    return StagedPersonDay.objects.filter(pk__in=one_a_date).values(
        "service_date",
        program_certified=program_certified(run.regional_program_id, day),
        rate=Subquery(rate),
    )


def person_day_facts(run: BillingRun, *, after_finalized: bool):
    """Per staged person and day: whether the case is open, the private and Medicaid
    coverage in force and the minutes already billed.

    Every one of them is a fact of the person's day, not of an entry, so a day of
    several entries is asked once. The minutes already billed are 0 unless a finalized
    run of the month came before (`after_finalized`, from builds_on_finalized): asked
    anyway, they were two fifths of these facts' time at 100,000 persons, every probe
    of the day's bill lines finding the draft's own and no finalized one.
    """
    return StagedPersonDay.objects.values(
        "person_id",
        "service_date",
        case_open=case_open(OuterRef("person_id"), OuterRef("service_date")),
        private_coverage_id=_coverage_in_force(Coverage.PayerType.PRIVATE_INSURANCE),
        medicaid_coverage_id=_coverage_in_force(Coverage.PayerType.MEDICAID),
        previously_billed_minutes=_billed_minutes(run) if after_finalized else Value(0),
    )


def _billed_minutes(run: BillingRun):
    """Subquery: the minutes of the staged person's day that finalized runs billed."""
    billed_lines = BillLine.objects.filter(
        bill__in=_finalized_bills(run),
        bill__person_id=OuterRef("person_id"),
        service_date=OuterRef("service_date"),
    )
    return _sum_of(billed_lines, "minutes", per="service_date", output_field=IntegerField())


def self_pay_facts(run: BillingRun):
    """Per person with self-pay days (the staged days): the means test in force on the 1st,
    whether they lived in the natural home during the month, and what finalized runs of
    the month already asked of the family."""
    means_test = MeansTest.objects.filter(
        person_id=OuterRef("pk"), effective_from__lte=run.month
    ).order_by("-effective_from")
    natural_home = LivingArrangement.objects.filter(
        person_id=OuterRef("pk"), arrangement=LivingArrangement.Arrangement.NATURAL_HOME
    ).filter(
        overlapping_q(run.month, month_end(run.month), start="effective_from", end="effective_to")
    )
    asked = _finalized_bills(run).filter(
        person_id=OuterRef("pk"), payer_type=Bill.PayerType.SELF_PAY
    )
    money = DecimalField(max_digits=10, decimal_places=2)
    self_pay_persons = RawSQL(
        "SELECT person_id FROM billing_staged_day WHERE payer_type = %s",
        [Bill.PayerType.SELF_PAY.value],
    )
    return (
        Person.objects.filter(pk__in=self_pay_persons)
        .order_by()
        .values(
            person_id=F("pk"),
            means_test_id=Subquery(means_test.values("pk")[:1]),
            monthly_ability_to_pay=Subquery(means_test.values("monthly_ability_to_pay")[:1]),
            natural_home=Exists(natural_home),
            already_due=_sum_of(asked, "amount_due", per="person_id", output_field=money),
        )
    )

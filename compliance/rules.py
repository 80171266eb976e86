"""The compliance rules of SPEC.md section 4, one small unit each, as set-based SQL.

Each rule answers two questions for an as-of date, each in one query whatever
the number of persons:

- `unmet(as_of)`: which (person, period) pairs in scope have ended without the
  requirement being met, as a values queryset of `DUE_FIELDS` (person, period,
  due date, evidence as JSON built in SQL), which the engine copies into
  findings without reading it into Python;
- `satisfying(person=, start=, end=)`: the records that meet the requirement
  for one period. The arguments may be `OuterRef`s, so the engine asks "is
  this open finding met now?" for every open finding in one query; `unmet`
  is built on the same definition, so opening and resolving never disagree.

Scope: a calendar period counts only when one episode of the person's case is
open on its first and its last day; the rules without a calendar period judge
persons whose case is open on the as-of date.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, DateField, Exists, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject

from compliance.models import Rule
from compliance.periods import (
    Period,
    earliest_on_time,
    ended_months,
    ended_quarters,
)
from contacts.models import Contact
from people.models import CaseEpisode, Person
from plans.models import NeedsAssessment, Plan, Referral
from tcm.sql import AddDays, Anniversary

PR0039 = "Mississippi DMH Provider Bulletin PR0039 (IDD Targeted Case Management, 1915(i))"
APPROVED_PLAN_STATUSES = (Plan.Status.ACTIVE, Plan.Status.SUPERSEDED)

# The columns of `unmet`, in this order: what a finding is made of.
DUE_FIELDS = ("person_id", "period_start", "period_end", "due_date", "evidence")


def open_throughout(start, end, person_ref="pk"):
    """Rows whose person has one episode open on both `start` and `end`.

    `start` and `end` may be dates or expressions; `person_ref` names the
    outer column holding the person's id.
    """
    return Exists(
        CaseEpisode.objects.filter(person_id=OuterRef(person_ref), opened_on__lte=start).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=end)
        )
    )


def open_on(day, person_ref="pk"):
    return open_throughout(day, day, person_ref)


class ContactRule:
    """A calendar-period rule met by one qualifying contact inside the period."""

    rule: Rule
    citation: str
    requirement: str  # completes "... needs {requirement}"
    record = "contact"

    def periods(self, as_of: date) -> list[Period]:
        raise NotImplementedError

    def qualifying(self, contacts):
        raise NotImplementedError

    def satisfying(self, *, person, start, end):
        return self.met_between(start, end).filter(person_id=person)

    def met_between(self, start, end):
        """Every person's contacts that meet the rule in the period (compliance.rates
        counts the persons among them once per period)."""
        contacts = Contact.objects.filter(contact_date__gte=start, contact_date__lte=end)
        return self.qualifying(contacts.signed().not_void().filter(successful=True))

    def outcomes(self, period: Period, persons=None):
        """Persons in scope for `period`, annotated `met` and `contacts_in_period`."""
        recorded = (
            Contact.objects.filter(person_id=OuterRef("pk"))
            .between(period.start, period.end)
            .order_by()
            .values("person_id")
        )
        return (
            (Person.objects.all() if persons is None else persons)
            .filter(open_throughout(period.start, period.end))
            .annotate(
                met=Exists(
                    self.satisfying(person=OuterRef("pk"), start=period.start, end=period.end)
                ),
                contacts_in_period=Coalesce(
                    Subquery(recorded.annotate(n=Count("pk")).values("n")), 0
                ),
                period_start=Value(period.start, output_field=DateField()),
                period_end=Value(period.end, output_field=DateField()),
            )
            .order_by()
        )

    def unmet(self, as_of: date):
        parts = [self.unmet_in(period) for period in self.periods(as_of)]
        if not parts:  # a look-back too short for a whole quarter
            return self.unmet_in(Period(as_of, as_of)).none()
        return parts[0].union(*parts[1:], all=True)

    def unmet_in(self, period: Period):
        """`DUE_FIELDS` of the persons in scope of `period` who did not meet the rule."""
        return (
            self.outcomes(period)
            .filter(met=False)
            .values(
                person_id=F("pk"),
                period_start=F("period_start"),
                period_end=F("period_end"),
                due_date=F("period_end"),
                evidence=JSONObject(contacts_in_period=F("contacts_in_period")),
            )
        )

    def explain(self, finding) -> str:
        recorded = finding.evidence.get("contacts_in_period", 0)
        looked_at = (
            f"{recorded} contact{'s' if recorded != 1 else ''} recorded, none qualifying"
            if recorded
            else "no contact recorded"
        )
        return (
            f"{self.rule.label}: needs {self.requirement} between "
            f"{finding.period_start:%B %-d, %Y} and {finding.period_end:%B %-d, %Y}; "
            f"{looked_at}. Source: {self.citation}."
        )


class MonthlyContact(ContactRule):
    rule = Rule.MONTHLY_CONTACT
    # PR0039: at least one contact a month with the person or the legal representative.
    citation = f"{PR0039}: a contact at least monthly"
    requirement = (
        "a signed, successful face-to-face, phone or video contact with the person "
        "or a legal representative"
    )

    def periods(self, as_of):
        return ended_months(as_of, settings.TCM_COMPLIANCE_LOOKBACK_MONTHS)

    def qualifying(self, contacts):
        modes = (Contact.Mode.FACE_TO_FACE, Contact.Mode.PHONE, Contact.Mode.VIDEO)
        return contacts.filter(mode__in=modes).with_person_or_legal_representative()


class QuarterlyFaceToFace(ContactRule):
    rule = Rule.QUARTERLY_FACE_TO_FACE
    # PR0039: face-to-face at least quarterly, with the person, in the service setting.
    citation = f"{PR0039}: a face-to-face visit at least quarterly in the service setting"
    requirement = "a signed, successful face-to-face visit with the person in the service setting"

    def periods(self, as_of):
        return ended_quarters(as_of, settings.TCM_COMPLIANCE_LOOKBACK_MONTHS)

    def qualifying(self, contacts):
        return contacts.filter(
            mode=Contact.Mode.FACE_TO_FACE,
            with_person=True,
            location=Contact.Location.SERVICE_SETTING,
        )


class CycleRule:
    """A rule without a calendar period: judged for persons open on the as-of date.

    The period of its finding runs from the record that started the cycle (the
    base) to the date it fell due, so each cycle has its own finding. `late()`
    gives the rows of late cycles (plans, episodes, referrals), each naming its
    person in `person_id`.
    """

    rule: Rule
    citation: str
    record: str  # the kind of record that meets the rule

    def unmet(self, as_of: date):
        """`DUE_FIELDS` of each late cycle; the period ends, and falls due, at `due_date`."""
        late = self.late(as_of).filter(open_on(as_of, "person_id")).order_by()
        return late.values(
            "person_id",
            period_start=self.base(),
            period_end=self.due_date(),
            due_date=self.due_date(),
            evidence=self.evidence(),
        )

    def due_date(self):
        return Anniversary(self.base())

    def explain(self, finding) -> str:
        raise NotImplementedError


class AnnualPlanReview(CycleRule):
    """Once a PSS is active, its meeting date is at most one year old (due on the anniversary)."""

    rule = Rule.ANNUAL_PLAN_REVIEW
    record = "plan"
    # 42 CFR 441.725(c): the person-centered service plan is reviewed at least every 12 months.
    citation = f"{PR0039}; 42 CFR 441.725(c): the plan is revised at least every 12 months"

    def with_cycle(self, persons, as_of):
        """Annotate the meeting date of each person's active plan (the base), for the worklist.

        A person has one active plan at most: no ordering, which would join and sort by
        the person's name (Plan.Meta.ordering) inside the subquery.
        """
        active = Plan.objects.filter(person_id=OuterRef("pk"), status=Plan.Status.ACTIVE)
        return persons.annotate(
            active_meeting_date=Subquery(active.order_by().values("meeting_date")[:1])
        )

    def late(self, as_of):
        """Active plans made too long ago: plain columns, no subquery per person."""
        return Plan.objects.filter(
            status=Plan.Status.ACTIVE, meeting_date__lt=earliest_on_time(as_of)
        )

    def base(self):
        return F("meeting_date")

    def evidence(self):
        return JSONObject(plan_id="pk", plan_version="version")

    def satisfying(self, *, person, start, end):
        return Plan.objects.filter(
            person_id=person, status__in=APPROVED_PLAN_STATUSES, meeting_date__gt=start
        )

    def explain(self, finding):
        return (
            f"{self.rule.label}: the active plan of services and supports "
            f"(version {finding.evidence.get('plan_version')}) was made at the meeting of "
            f"{finding.period_start:%B %-d, %Y} and fell due for revision on "
            f"{finding.due_date:%B %-d, %Y}. Source: {self.citation}."
        )


class AnnualReassessment(CycleRule):
    """A needs-based reassessment at most one year old; the first one year after opening."""

    rule = Rule.ANNUAL_REASSESSMENT
    record = "assessment"
    # 42 CFR 441.715(d): 1915(i) needs-based criteria are re-evaluated at least every 12 months.
    citation = f"{PR0039}; 42 CFR 441.715(d): reassessment at least every 12 months"

    def with_cycle(self, persons, as_of):
        """Annotate the current episode's opening, the last reassessment since, and the base."""
        current = (
            CaseEpisode.objects.filter(person_id=OuterRef("pk"))
            .open_on(as_of)
            .order_by("-opened_on")
        )
        assessed = NeedsAssessment.objects.filter(
            person_id=OuterRef("pk"),
            assessed_on__gte=OuterRef("episode_opened_on"),
        ).order_by("-assessed_on")
        return persons.annotate(
            episode_opened_on=Subquery(current.values("opened_on")[:1]),
            last_assessed_on=Subquery(assessed.values("assessed_on")[:1]),
        ).annotate(reassessment_base=Coalesce("last_assessed_on", "episode_opened_on"))

    def late(self, as_of):
        """Episodes open on `as_of` whose last reassessment since opening (or the opening)
        is too old. The last reassessment is an aggregate over a join, computed once per
        episode however often the statement names it (period, due date, evidence)."""
        since_opening = Q(person__assessments__assessed_on__gte=F("opened_on"))
        return (
            CaseEpisode.objects.open_on(as_of)
            .order_by()
            .values("person_id", "opened_on")
            .annotate(
                last_assessed_on=Max("person__assessments__assessed_on", filter=since_opening)
            )
            .annotate(reassessment_base=Coalesce("last_assessed_on", "opened_on"))
            .filter(reassessment_base__lt=earliest_on_time(as_of))
        )

    def base(self):
        return F("reassessment_base")

    def evidence(self):
        return JSONObject(last_assessed_on="last_assessed_on", episode_opened_on="opened_on")

    def satisfying(self, *, person, start, end):
        return NeedsAssessment.objects.filter(person_id=person, assessed_on__gt=start)

    def explain(self, finding):
        since = (
            f"the last needs-based reassessment, of {finding.period_start:%B %-d, %Y}"
            if finding.evidence.get("last_assessed_on")
            else f"the case opened on {finding.period_start:%B %-d, %Y} with no reassessment since"
        )
        return (
            f"{self.rule.label}: a needs-based reassessment was due on "
            f"{finding.due_date:%B %-d, %Y}, one year after {since}. Source: {self.citation}."
        )


class InitialPlan(CycleRule):
    """Before any PSS is active, one becomes active within TCM_INITIAL_PLAN_DAYS of opening."""

    rule = Rule.INITIAL_PLAN
    record = "plan"
    citation = f"{PR0039}: a plan of services and supports soon after the case opens"

    def late(self, as_of):
        """Episodes open on `as_of`, opened before the deadline, with no plan since."""
        deadline = as_of - timedelta(days=settings.TCM_INITIAL_PLAN_DAYS)
        active = Plan.objects.filter(person_id=OuterRef("person_id"), status=Plan.Status.ACTIVE)
        since_opening = self.satisfying(
            person=OuterRef("person_id"), start=OuterRef("opened_on"), end=None
        )
        return (
            CaseEpisode.objects.open_on(as_of)
            .filter(opened_on__lt=deadline)
            .exclude(Exists(active))
            .exclude(Exists(since_opening))
        )

    def base(self):
        return F("opened_on")

    def due_date(self):
        return AddDays(self.base(), settings.TCM_INITIAL_PLAN_DAYS)

    def evidence(self):
        return JSONObject(episode_opened_on="opened_on")

    def satisfying(self, *, person, start, end):
        return Plan.objects.filter(
            person_id=person, status__in=APPROVED_PLAN_STATUSES, meeting_date__gte=start
        )

    def explain(self, finding):
        return (
            f"{self.rule.label}: the case opened on "
            f"{finding.period_start:%B %-d, %Y} and no plan of services and supports was active "
            f"by {finding.due_date:%B %-d, %Y}. Source: {self.citation}."
        )


class ReferralOutcome(CycleRule):
    """Every D&E referral has an outcome within TCM_REFERRAL_DAYS days."""

    rule = Rule.DE_REFERRAL_PENDING
    record = "referral"
    citation = f"{PR0039}: secondary review by the regional Diagnostic and Evaluation team"

    def late(self, as_of):
        deadline = as_of - timedelta(days=settings.TCM_REFERRAL_DAYS)
        return Referral.objects.filter(outcome_on__isnull=True, referred_on__lt=deadline)

    def base(self):
        return F("referred_on")

    def due_date(self):
        return AddDays(self.base(), settings.TCM_REFERRAL_DAYS)

    def evidence(self):
        return JSONObject(referral_id="pk")

    def satisfying(self, *, person, start, end):
        return Referral.objects.filter(
            person_id=person, referred_on=start, outcome_on__isnull=False
        )

    def explain(self, finding):
        return (
            f"{self.rule.label}: the referral to the Diagnostic and "
            f"Evaluation team on {finding.period_start:%B %-d, %Y} had no outcome by "
            f"{finding.due_date:%B %-d, %Y}. Source: {self.citation}."
        )


RULES = {
    rule.rule: rule
    for rule in (
        MonthlyContact(),
        QuarterlyFaceToFace(),
        AnnualPlanReview(),
        AnnualReassessment(),
        InitialPlan(),
        ReferralOutcome(),
    )
}

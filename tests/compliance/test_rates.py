"""The rates an evaluation stores for the dashboard: counted by the engine's own rules."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from compliance.models import ComplianceRate
from compliance.rates import dashboard_periods
from compliance.services import evaluate_compliance
from tests.factories import (
    CaseEpisodeFactory,
    ContactFactory,
    NeedsAssessmentFactory,
    PersonFactory,
    PlanFactory,
    RegionalProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2024, 4, 15)


def _counts(run, rule, period_start=None):
    """{case manager id: (persons in scope, persons met)} of one rule and period of `run`."""
    rows = ComplianceRate.objects.filter(run=run, rule=rule)
    if period_start:
        rows = rows.filter(period_start=period_start)
    return {
        row.case_manager_id: (row.persons_in_scope, row.persons_met)
        for row in rows.order_by("case_manager_id")
    }


@pytest.fixture
def caseloads(case_manager, peer_case_manager):
    """Alice: one person seen in March, one not; Bob: one person seen in March."""
    seen, unseen = PersonFactory.create_batch(2, case_manager=case_manager)
    bobs = PersonFactory(case_manager=peer_case_manager)
    for person in (seen, unseen, bobs):
        CaseEpisodeFactory(person=person, opened_on=date(2023, 1, 1))
    ContactFactory(person=seen, contact_date=date(2024, 3, 20))
    ContactFactory(person=bobs, contact_date=date(2024, 3, 2))
    return seen, unseen, bobs


def test_monthly_rates_count_persons_in_scope_and_those_who_met_it(
    caseloads, case_manager, peer_case_manager
):
    run = evaluate_compliance(as_of=AS_OF)
    assert _counts(run, "monthly_contact", date(2024, 3, 1)) == {
        case_manager.pk: (2, 1),
        peer_case_manager.pk: (1, 1),
    }
    assert _counts(run, "monthly_contact", date(2024, 2, 1)) == {
        case_manager.pk: (2, 0),
        peer_case_manager.pk: (1, 0),
    }


def test_rates_cover_the_dashboards_months_and_quarters(caseloads):
    run = evaluate_compliance(as_of=AS_OF)
    stored = {
        (rule, start)
        for rule, start in ComplianceRate.objects.filter(run=run).values_list(
            "rule", "period_start"
        )
    }
    shown = {
        (rule.value, period.start)
        for rule, periods in dashboard_periods(AS_OF).items()
        for period in periods
    }
    assert shown <= stored
    assert ("monthly_contact", date(2023, 4, 1)) in shown  # twelve months back
    assert ("quarterly_face_to_face", date(2024, 1, 1)) in shown


def test_a_period_counts_only_persons_whose_case_was_open_all_of_it(case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(person=person, opened_on=date(2024, 3, 10))
    run = evaluate_compliance(as_of=AS_OF)
    assert _counts(run, "monthly_contact", date(2024, 3, 1)) == {}


def test_annual_rates_count_open_cases_on_the_as_of_date_and_those_on_time(caseloads, case_manager):
    seen, unseen, _ = caseloads
    PlanFactory(person=seen, status="active", meeting_date=date(2024, 1, 10))
    NeedsAssessmentFactory(person=seen, assessed_on=date(2024, 1, 10))
    PlanFactory(person=unseen, status="active", meeting_date=date(2022, 1, 10))
    run = evaluate_compliance(as_of=AS_OF)
    plan_review = _counts(run, "annual_plan_review", AS_OF)
    assert plan_review[case_manager.pk] == (2, 1)
    reassessment = _counts(run, "annual_reassessment", AS_OF)
    assert reassessment[case_manager.pk] == (2, 1)  # unseen: opened 2023-01-01, none since


def test_persons_without_a_case_manager_are_counted_apart(case_manager):
    person = PersonFactory(case_manager=None, regional_program=case_manager.regional_program)
    CaseEpisodeFactory(person=person, opened_on=date(2023, 1, 1))
    run = evaluate_compliance(as_of=AS_OF)
    assert _counts(run, "monthly_contact", date(2024, 3, 1)) == {None: (1, 0)}


def test_a_new_evaluation_replaces_the_rates_of_the_last(caseloads, case_manager):
    _, unseen, _ = caseloads
    first = evaluate_compliance(as_of=AS_OF)
    ContactFactory(person=unseen, contact_date=date(2024, 3, 28))  # a late entry
    second = evaluate_compliance(as_of=AS_OF)
    assert not ComplianceRate.objects.filter(run=first).exists()
    assert _counts(second, "monthly_contact", date(2024, 3, 1))[case_manager.pk] == (2, 2)


def _stored(run):
    return sorted(
        ComplianceRate.objects.filter(run=run).values_list(
            "case_manager_id",
            "rule",
            "period_start",
            "period_end",
            "persons_in_scope",
            "persons_met",
        )
    )


def test_rates_counted_from_the_sweeps_dues_match_those_counted_from_the_records(
    settings, caseloads, case_manager, peer_case_manager
):
    """A twelve-month look-back counts every dashboard period from the sweep's dues, a
    one-month look-back eleven of them from the records: the stored rates agree."""
    seen, unseen, bobs = caseloads
    closed = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(
        person=closed,
        opened_on=date(2023, 2, 1),
        closed_on=date(2023, 11, 10),
        closure_reason="moved",
    )
    reopened = PersonFactory(case_manager=peer_case_manager)
    CaseEpisodeFactory(person=reopened, opened_on=date(2023, 8, 20))
    for day in (date(2023, 5, 3), date(2023, 9, 30), date(2024, 1, 2)):
        ContactFactory(person=unseen, contact_date=day)
    ContactFactory(
        person=bobs, contact_date=date(2023, 12, 5), mode="face_to_face", location="service_setting"
    )
    ContactFactory(
        person=seen,
        contact_date=date(2023, 10, 5),
        voided_at=timezone.now(),
        void_reason="Wrong person.",
    )
    ContactFactory(person=reopened, contact_date=date(2023, 10, 5), successful=False)
    PlanFactory(person=seen, status="active", meeting_date=date(2023, 6, 1))
    NeedsAssessmentFactory(person=bobs, assessed_on=date(2023, 9, 1))

    settings.TCM_COMPLIANCE_LOOKBACK_MONTHS = 12
    from_dues = _stored(evaluate_compliance(as_of=AS_OF))
    settings.TCM_COMPLIANCE_LOOKBACK_MONTHS = 1
    from_records = _stored(evaluate_compliance(as_of=AS_OF))

    assert from_dues == from_records
    met = {(row[1], row[2]): row[5] for row in from_dues if row[0] == case_manager.pk}
    assert met[("monthly_contact", date(2023, 9, 1))] == 1  # unseen, on the 30th
    assert met[("monthly_contact", date(2023, 10, 1))] == 0  # seen's contact was voided
    assert met[("initial_plan", AS_OF)] == 1  # seen's plan; unseen has none
    assert met[("annual_reassessment", AS_OF)] == 0


def test_rates_are_written_without_a_check_per_row_at_commit():
    """Each rate row was three deferred foreign-key checks at COMMIT (18,000 rows at
    100,000 persons); its run is also served by `compliance_rate_run_program`."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, ComplianceRate._meta.db_table)
    assert not [name for name, constraint in found.items() if constraint["foreign_key"]]
    indexed = [c["columns"] for c in found.values() if c["index"] and not c["primary_key"]]
    assert ["run_id"] not in indexed
    assert ["run_id", "regional_program_id"] in indexed


def test_a_case_manager_or_program_named_by_rates_is_still_not_deleted(caseloads):
    """Without database constraints the ORM still protects what stored rates name."""
    evaluate_compliance(as_of=AS_OF)
    former, closed = UserFactory(username="former"), RegionalProgramFactory(code="R-closed")
    rate = ComplianceRate.objects.first()
    ComplianceRate.objects.filter(pk=rate.pk).update(case_manager=former, regional_program=closed)

    for named in (former, closed):
        with pytest.raises(ProtectedError) as refused, transaction.atomic():
            named.delete()
        assert rate in refused.value.protected_objects


def test_a_rerun_counts_the_same_rates_though_its_dues_are_on_file(caseloads):
    """The rates count every due, those that already have a finding included."""
    first = _stored(evaluate_compliance(as_of=AS_OF))
    assert _stored(evaluate_compliance(as_of=AS_OF)) == first
    assert any(row[5] < row[4] for row in first)  # someone did not meet a rule

"""The engine: opening, resolving and reopening findings, idempotence, query counts."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from compliance.models import EvaluationRun, Finding
from compliance.services import WORK_MEM, acknowledge_finding, evaluate_compliance
from compliance.tasks import evaluate_compliance_task
from plans.models import Referral
from tests.factories import (
    CaseEpisodeFactory,
    ContactFactory,
    NeedsAssessmentFactory,
    PersonFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

AS_OF = date(2024, 4, 15)


@pytest.fixture(autouse=True)
def _three_months(settings):
    settings.TCM_COMPLIANCE_LOOKBACK_MONTHS = 3


@pytest.fixture
def person(person):
    """Alice's person with a current plan and reassessment: only contacts are missing."""
    PlanFactory(person=person, status="active", version=1, meeting_date=date(2024, 1, 10))
    NeedsAssessmentFactory(person=person, assessed_on=date(2024, 1, 10))
    return person


def monthly(person):
    return Finding.objects.filter(person=person, rule="monthly_contact")


def test_unmet_month_opens_a_finding_with_explanation_and_source(person):
    evaluate_compliance(as_of=AS_OF)
    finding = monthly(person).get(period_start=date(2024, 3, 1))
    assert finding.status == "open"
    assert finding.period_end == finding.due_date == date(2024, 3, 31)
    assert finding.explanation.startswith("Monthly contact: needs a signed, successful")
    assert "PR0039" in finding.explanation
    assert "PR0039" in finding.citation
    assert finding.evidence == {"contacts_in_period": 0}
    assert finding.history.count() == 1


def test_evaluating_twice_changes_nothing_the_second_time(person):
    first = evaluate_compliance(as_of=AS_OF)
    second = evaluate_compliance(as_of=AS_OF)
    assert first.opened_count == 3 + 1  # January to March, and the first quarter
    assert (second.opened_count, second.reopened_count, second.resolved_count) == (0, 0, 0)
    assert Finding.objects.count() == first.open_total == second.open_total == 4
    assert Finding.history.count() == 4


def test_late_entry_resolves_the_finding(person):
    evaluate_compliance(as_of=AS_OF)
    contact = ContactFactory(person=person, contact_date=date(2024, 3, 30))
    run = evaluate_compliance(as_of=AS_OF)
    finding = monthly(person).get(period_start=date(2024, 3, 1))
    assert run.resolved_count == 1
    assert finding.status == "resolved"
    assert finding.resolved_at is not None
    assert finding.met_by_record_id == contact.pk
    assert finding.history.count() == 2


def test_voiding_the_contact_that_resolved_a_finding_reopens_it(person):
    evaluate_compliance(as_of=AS_OF)
    contact = ContactFactory(person=person, contact_date=date(2024, 3, 30))
    evaluate_compliance(as_of=AS_OF)
    contact.voided_at, contact.void_reason = timezone.now(), "Wrong person"
    contact.save()
    run = evaluate_compliance(as_of=AS_OF)
    finding = monthly(person).get(period_start=date(2024, 3, 1))
    assert run.reopened_count == 1
    assert (finding.status, finding.resolved_at) == ("open", None)


def test_new_recorded_contact_refreshes_the_evidence_without_resolving(person):
    evaluate_compliance(as_of=AS_OF)
    ContactFactory(person=person, contact_date=date(2024, 3, 3), successful=False)
    evaluate_compliance(as_of=AS_OF)
    finding = monthly(person).get(period_start=date(2024, 3, 1))
    assert finding.status == "open"
    assert finding.evidence == {"contacts_in_period": 1}
    assert "1 contact recorded, none qualifying" in finding.explanation


def test_a_finding_the_rule_still_finds_unmet_stays_open(person):
    """Two referrals of one day, one of them answered: the rule still finds the other one
    pending, so its finding stays open, though the answered one would pass for the record
    that met it. Resolved in the run that found it unmet, it was reopened and resolved
    again by every later run."""
    Referral.objects.create(person=person, referred_on=date(2024, 1, 2))
    Referral.objects.create(
        person=person, referred_on=date(2024, 1, 2), outcome="eligible", outcome_on=date(2024, 2, 1)
    )
    first = evaluate_compliance(as_of=AS_OF)
    second = evaluate_compliance(as_of=AS_OF)
    finding = Finding.objects.get(rule="de_referral_pending")
    assert (finding.status, finding.met_by_record_id) == ("open", None)
    assert first.resolved_count == 0
    assert (second.opened_count, second.reopened_count, second.resolved_count) == (0, 0, 0)


def test_late_plan_revision_resolves_annual_plan_review(person):
    old = person.plans.get()
    old.meeting_date = date(2023, 3, 1)
    old.save()
    evaluate_compliance(as_of=AS_OF)
    finding = Finding.objects.get(rule="annual_plan_review")
    assert (finding.period_start, finding.due_date) == (date(2023, 3, 1), date(2024, 3, 1))

    draft = PlanFactory(person=person, status="draft", version=2, meeting_date=date(2024, 4, 10))
    assert evaluate_compliance(as_of=AS_OF).resolved_count == 0  # a draft is not a revision

    old.status, draft.status = "superseded", "active"
    old.save()
    draft.save()
    assert evaluate_compliance(as_of=AS_OF).resolved_count == 1
    finding.refresh_from_db()
    assert finding.met_by_record_id == draft.pk


def test_findings_are_written_in_the_order_of_their_unique_key(case_manager):
    """Person first, as the unique index orders them: each index entry of a first run
    goes to the end of the index and the foreign-key checks follow the persons."""
    _caseload(case_manager, 3)
    evaluate_compliance(as_of=AS_OF)
    key = ("person_id", "rule", "period_start", "period_end")
    keys = list(Finding.objects.order_by("pk").values_list(*key))
    assert len({key[0] for key in keys}) == 3 and len({key[1] for key in keys}) > 1
    assert keys == sorted(keys)


def test_findings_name_the_run_that_last_changed_them(person):
    first = evaluate_compliance(as_of=AS_OF)
    ContactFactory(person=person, contact_date=date(2024, 3, 30))
    second = evaluate_compliance(as_of=AS_OF)
    assert set(monthly(person).values_list("period_start", "evaluation")) == {
        (date(2024, 1, 1), first.pk),
        (date(2024, 2, 1), first.pk),
        (date(2024, 3, 1), second.pk),  # resolved by the second run
    }
    # The contact met March and the first quarter: only January and February stay the first's.
    assert first.changed_findings.count() == 2
    assert second.changed_findings.count() == 2


def _caseload(case_manager, size):
    persons = PersonFactory.create_batch(size, case_manager=case_manager)
    for person in persons:
        CaseEpisodeFactory(person=person)
        PlanFactory(person=person, status="active", meeting_date=date(2022, 1, 1))
        ContactFactory(person=person, contact_date=date(2024, 2, 10))
    return persons


@pytest.mark.parametrize("size", [2, 20])
def test_evaluation_runs_in_the_same_queries_whatever_the_caseload(
    case_manager, size, django_assert_num_queries
):
    persons = _caseload(case_manager, size)
    evaluate_compliance(as_of=AS_OF)
    for person in persons:  # late entries: March is met for everyone now
        ContactFactory(person=person, contact_date=date(2024, 3, 5))
    # savepoint and release (2, the test's transaction); insert run + its history (2);
    # the table of dues: create, one INSERT ... SELECT per rule, drop (8); reopen, refresh,
    # drop the dues on file and open findings (4); resolve those met now (1); their history,
    # created and changed in one (1); the dashboard's rates: insert, drop the last run's (2);
    # open count (1); update run + its history (2); the page versions, once for both saves
    # of the run (1); on PostgreSQL the advisory lock, the run's work_mem and ANALYZE of the
    # dues (3).
    with django_assert_num_queries(24 + 3 * (connection.vendor == "postgresql")):
        run = evaluate_compliance(as_of=AS_OF)
    assert run.resolved_count == size


def _work_mem():
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's work_mem")
@pytest.mark.django_db(transaction=True)
def test_evaluation_sorts_in_memory_for_its_own_transaction_only(person):
    before = _work_mem()
    with transaction.atomic():
        evaluate_compliance(as_of=AS_OF)
        assert _work_mem() == WORK_MEM
    assert _work_mem() == before != WORK_MEM


def test_acknowledging_needs_a_note_and_happens_once(person, supervisor):
    evaluate_compliance(as_of=AS_OF)
    finding = monthly(person).first()
    with pytest.raises(ValidationError) as error:
        acknowledge_finding(finding=finding, actor=supervisor, note="  ")
    assert "note" in error.value.message_dict
    acknowledge_finding(finding=finding, actor=supervisor, note="Called the family.")
    finding.refresh_from_db()
    assert finding.acknowledged_by == supervisor
    with pytest.raises(ValidationError):
        acknowledge_finding(finding=finding, actor=supervisor, note="Again")


def test_command_evaluates_for_the_given_date(person):
    out = StringIO()
    call_command("evaluate_compliance", "--as-of", "2024-04-15", stdout=out)
    assert "Compliance as of 2024-04-15: 4 opened" in out.getvalue()
    assert EvaluationRun.objects.get().status == "finished"


def test_command_names_a_bad_date():
    with pytest.raises(CommandError, match="--as-of '2024-13-01' is not a date"):
        call_command("evaluate_compliance", "--as-of", "2024-13-01")


def test_task_returns_the_counts(person):
    result = evaluate_compliance_task.delay(as_of="2024-04-15").get()
    assert result["opened"] == 4
    assert result["open_total"] == 4

"""Worklist, dashboard, findings pages and the person-page section."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import EvaluationRun, Finding
from compliance.services import evaluate_compliance
from people.models import AccessLog
from tests.factories import (
    CaseEpisodeFactory,
    ContactFactory,
    PersonFactory,
    PlanFactory,
    UserFactory,
)
from tests.factories.compliance import FindingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(person):
    return FindingFactory(person=person)


@pytest.fixture
def foreign_finding(other_case_manager):
    person = PersonFactory(case_manager=other_case_manager, last_name="Elsewhere")
    return FindingFactory(person=person)


def _caseload(case_manager, size):
    today = timezone.localdate()
    for _ in range(size):
        person = PersonFactory(case_manager=case_manager)
        CaseEpisodeFactory(person=person, opened_on=date(2020, 1, 1))
        PlanFactory(person=person, status="active", meeting_date=today - timedelta(days=300))
        ContactFactory(person=person, contact_date=today - timedelta(days=40))
        FindingFactory(person=person)


# --- worklist -------------------------------------------------------------------------


def test_worklist_lists_overdue_and_due_items(client_for, person, finding, foreign_finding):
    PlanFactory(
        person=person, status="active", meeting_date=timezone.localdate() - timedelta(days=340)
    )
    response = client_for(person.case_manager).get(reverse("compliance:worklist"))
    assert response.status_code == 200
    assert list(response.context["overdue"]) == [finding]
    due_rules = {item.rule for item in response.context["due_this_month"]}
    later_rules = {item.rule for item in response.context["due_later"]}
    assert "monthly_contact" in due_rules
    assert "annual_plan_review" in due_rules | later_rules
    assert b"Elsewhere" not in response.content


def test_worklist_drops_the_monthly_item_once_a_contact_is_logged(client_for, person):
    ContactFactory(person=person, contact_date=timezone.localdate())
    response = client_for(person.case_manager).get(reverse("compliance:worklist"))
    assert "monthly_contact" not in {item.rule for item in response.context["due_this_month"]}


def test_worklist_pages_each_section_and_keeps_the_others_page(
    client_for, case_manager, monkeypatch
):
    monkeypatch.setattr("compliance.views.WORKLIST_PAGE_SIZE", 1)
    _caseload(case_manager, 2)
    client = client_for(case_manager)
    first = client.get(reverse("compliance:worklist"))
    assert first.context["overdue"].paginator.count == 2
    assert first.context["overdue"].next_url == "?overdue=2"
    second = client.get(reverse("compliance:worklist"), {"overdue": "2", "due_this_month": "2"})
    assert list(second.context["overdue"]) != list(first.context["overdue"])
    assert second.context["due_this_month"].number == 2
    assert second.context["overdue"].previous_url == "?overdue=1&due_this_month=2"
    assert b'Next<span class="sr-only"> overdue' in first.content


def test_worklist_links_only_to_pages_that_exist(client_for, person):
    response = client_for(person.case_manager).get(reverse("compliance:worklist"))
    assert b'href=""' not in response.content


@pytest.mark.parametrize("persona", ["supervisor", "reimbursement_officer", "reviewer"])
def test_worklist_is_for_case_managers(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("compliance:worklist")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    for name in ("worklist", "dashboard", "finding-list", "finding-csv"):
        response = client.get(reverse(f"compliance:{name}"))
        assert response.status_code == 302, name


@pytest.mark.parametrize("size", [2, 20])
def test_worklist_queries_do_not_grow_with_the_caseload(
    client_for, case_manager, size, django_assert_num_queries
):
    _caseload(case_manager, size)
    client = client_for(case_manager)
    # session, user with its role (2); page versions (1); caseload with its annotations (1); open
    # findings, counted and a page of them (2); the header's program (1). No session save:
    # the idle expiry is refreshed at most once a minute (tcm.middleware).
    with django_assert_num_queries(7):
        client.get(reverse("compliance:worklist"))
    # Again, nothing changed: the body comes from the cache (tcm.page_cache).
    with django_assert_num_queries(4):
        client.get(reverse("compliance:worklist"))


# --- dashboard ------------------------------------------------------------------------


def test_dashboard_shows_rates_with_drill_down(client_for, supervisor, person):
    today = timezone.localdate()
    ContactFactory(person=person, contact_date=(today.replace(day=1) - timedelta(days=1)))
    evaluate_compliance(as_of=today)
    response = client_for(supervisor).get(reverse("compliance:dashboard"))
    assert response.status_code == 200
    monthly = response.context["periodic"][0]
    assert monthly["rule"] == "monthly_contact"
    assert monthly["rows"][0]["cells"][-1]["rate"] == 100
    assert monthly["rows"][0]["cells"][-2]["rate"] == 0
    assert b"<svg" in response.content
    assert b"style=" not in response.content
    assert f"case_manager={person.case_manager_id}".encode() in response.content


def test_dashboard_counts_come_from_the_last_evaluation(client_for, supervisor, person):
    """A contact logged after the evaluation shows once the next evaluation has counted it."""
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    evaluate_compliance(as_of=today)
    ContactFactory(person=person, contact_date=last_month)
    client = client_for(supervisor)
    before = client.get(reverse("compliance:dashboard")).context["periodic"][0]
    evaluate_compliance(as_of=today)
    after = client.get(reverse("compliance:dashboard")).context["periodic"][0]
    assert before["rows"][0]["cells"][-1]["rate"] == 0
    assert after["rows"][0]["cells"][-1]["rate"] == 100


def test_dashboard_before_any_evaluation_says_so(client_for, supervisor, person):
    response = client_for(supervisor).get(reverse("compliance:dashboard"))
    assert response.status_code == 200
    assert b"not evaluated yet" in response.content
    assert response.context["periodic"][0]["rows"] == []


def test_dashboard_pages_through_case_managers_with_the_programs_totals(
    client_for, supervisor, case_manager, peer_case_manager, monkeypatch
):
    monkeypatch.setattr("compliance.selectors.MANAGERS_PER_PAGE", 1)
    _caseload(case_manager, 1)
    _caseload(peer_case_manager, 2)
    evaluate_compliance(as_of=timezone.localdate())
    client = client_for(supervisor)
    names = set()
    for page in ("1", "2"):
        response = client.get(reverse("compliance:dashboard"), {"page": page})
        annual = response.context["annual"]
        assert len(annual["rows"]) == 1
        assert annual["program"]["open"] == 3
        names.add(annual["rows"][0]["name"])
    assert names == {str(case_manager), str(peer_case_manager)}
    assert b"Next case managers" in client.get(reverse("compliance:dashboard")).content


def test_dashboard_lists_case_managers_by_last_name_and_the_unassigned_last(
    client_for, supervisor, case_manager, peer_case_manager, region
):
    case_manager.last_name, peer_case_manager.last_name = "Zimmer", "Abbott"
    case_manager.save()
    peer_case_manager.save()
    _caseload(case_manager, 1)
    _caseload(peer_case_manager, 1)
    CaseEpisodeFactory(person=PersonFactory(regional_program=region), opened_on=date(2020, 1, 1))
    evaluate_compliance(as_of=timezone.localdate())
    response = client_for(supervisor).get(reverse("compliance:dashboard"))
    names = [row["name"] for row in response.context["annual"]["rows"]]
    assert names == [str(peer_case_manager), str(case_manager), "Unassigned"]


def test_dashboard_shows_only_the_supervisors_program(
    client_for, supervisor, other_case_manager, person
):
    _caseload(other_case_manager, 2)
    evaluate_compliance(as_of=timezone.localdate())
    response = client_for(supervisor).get(reverse("compliance:dashboard"))
    assert [row["name"] for row in response.context["annual"]["rows"]] == [str(person.case_manager)]
    assert response.context["annual"]["program"]["open"] == 1


@pytest.mark.parametrize("size", [2, 20])
def test_dashboard_queries_do_not_grow_with_the_program(
    client_for, supervisor, case_manager, peer_case_manager, size, django_assert_num_queries
):
    _caseload(case_manager, size // 2)
    _caseload(peer_case_manager, size // 2)
    evaluate_compliance(as_of=timezone.localdate())
    client = client_for(supervisor)
    # session, user with its role (2); its cache's versions (1); last finished run (1); case
    # managers with rates by name, whether some persons have none, the page's names (3);
    # the page's rates, the program's totals (2); open findings per rule (1); the header's
    # program (1).
    with django_assert_num_queries(11):
        first = client.get(reverse("compliance:dashboard"))
    # Seen again: the cached body (tcm.page_cache) under the same versions.
    with django_assert_num_queries(4):
        again = client.get(reverse("compliance:dashboard"))
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", again.context["body"]) == token.sub("", first.context["body"])


def test_dashboard_tables_follow_a_renamed_case_manager(
    client_for, supervisor, case_manager, person
):
    evaluate_compliance(as_of=timezone.localdate())
    client = client_for(supervisor)
    assert str(case_manager).encode() in client.get(reverse("compliance:dashboard")).content
    case_manager.last_name = "Renamed"
    case_manager.save()
    assert b"Renamed" in client.get(reverse("compliance:dashboard")).content


def test_dashboard_tables_of_one_program_are_not_shown_to_another(
    client_for, supervisor, other_case_manager, person
):
    _caseload(other_case_manager, 2)
    evaluate_compliance(as_of=timezone.localdate())
    other_supervisor = UserFactory(
        username="olive", regional_program=other_case_manager.regional_program, role="supervisor"
    )
    client = client_for(supervisor)
    client.get(reverse("compliance:dashboard"))  # this program's tables, rendered and kept
    theirs = client_for(other_supervisor).get(reverse("compliance:dashboard")).content
    assert str(other_case_manager).encode() in theirs
    assert str(person.case_manager).encode() not in theirs


@pytest.mark.parametrize("persona", ["case_manager", "reimbursement_officer", "reviewer"])
def test_dashboard_is_for_supervisors(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("compliance:dashboard")).status_code == 403


def test_evaluate_now_queues_a_run_after_commit(
    client_for, supervisor, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(supervisor).post(reverse("compliance:evaluate-now"))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert EvaluationRun.objects.get().requested_by == supervisor


@pytest.mark.parametrize("persona", ["case_manager", "reviewer"])
def test_evaluate_now_is_refused_to_others(request, client_for, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(reverse("compliance:evaluate-now")).status_code == 403
    assert not EvaluationRun.objects.exists()


# --- findings -------------------------------------------------------------------------


def test_finding_list_filters_and_scopes(client_for, person, finding, foreign_finding):
    FindingFactory(person=person, rule="quarterly_face_to_face", period_start=date(2024, 1, 1))
    client = client_for(person.case_manager)
    everything = client.get(reverse("compliance:finding-list"))
    assert everything.context["page"].paginator.count == 2
    monthly = client.get(reverse("compliance:finding-list"), {"rule": "monthly_contact"})
    assert list(monthly.context["page"].object_list) == [finding]
    march = client.get(reverse("compliance:finding-list"), {"period": "2024-03"})
    assert march.context["page"].paginator.count == 1


def test_bad_period_filter_is_named_next_to_the_field(client_for, person, finding):
    response = client_for(person.case_manager).get(
        reverse("compliance:finding-list"), {"period": "March"}
    )
    assert response.status_code == 200
    assert "period" in response.context["form"].errors


def test_supervisor_filters_by_case_manager(client_for, supervisor, person, finding):
    response = client_for(supervisor).get(
        reverse("compliance:finding-list"), {"case_manager": person.case_manager_id}
    )
    assert list(response.context["page"].object_list) == [finding]


@pytest.mark.parametrize("size", [2, 20])
def test_finding_list_queries_do_not_grow(
    client_for, case_manager, size, django_assert_num_queries
):
    _caseload(case_manager, size)
    client = client_for(case_manager)
    # session, user with its role (2); count (1); page with persons and managers (1);
    # the header's program (1).
    with django_assert_num_queries(5):
        client.get(reverse("compliance:finding-list"))


def test_csv_neutralises_formulas(client_for, case_manager):
    person = PersonFactory(case_manager=case_manager, last_name="=HYPERLINK(1)")
    FindingFactory(person=person)
    response = client_for(case_manager).get(reverse("compliance:finding-csv"))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    assert b"'=HYPERLINK(1)" in body
    assert body.count(b"\n") == 2


def test_csv_logs_one_access_per_person_exported(client_for, case_manager):
    first, second = PersonFactory.create_batch(2, case_manager=case_manager)
    FindingFactory(person=first)
    FindingFactory(person=first, period_start=date(2024, 4, 1), period_end=date(2024, 4, 30))
    FindingFactory(person=second)
    client_for(case_manager).get(reverse("compliance:finding-csv"))
    logged = AccessLog.objects.values_list("person", "view")
    assert sorted(logged) == sorted(
        [(first.pk, "compliance:finding-csv"), (second.pk, "compliance:finding-csv")]
    )


@pytest.mark.parametrize("name", ["finding-list", "finding-csv"])
def test_reimbursement_officers_do_not_see_findings(client_for, reimbursement_officer, name):
    assert client_for(reimbursement_officer).get(reverse(f"compliance:{name}")).status_code == 403


def test_finding_detail_explains_and_logs_the_access(client_for, person, finding):
    response = client_for(person.case_manager).get(
        reverse("compliance:finding-detail", args=[finding.pk])
    )
    assert response.status_code == 200
    assert b"between March 1, 2024 and March 31, 2024; no contact recorded" in response.content
    assert AccessLog.objects.get().view == "finding-detail"


def test_finding_of_another_caseload_is_404(client_for, case_manager, foreign_finding):
    url = reverse("compliance:finding-detail", args=[foreign_finding.pk])
    assert client_for(case_manager).get(url).status_code == 404


def test_supervisor_acknowledges_with_a_note(client_for, supervisor, finding):
    url = reverse("compliance:finding-ack", args=[finding.pk])
    response = client_for(supervisor).post(url, {"note": "Discussed at supervision."})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.acknowledged_by == supervisor
    assert finding.acknowledgement_note == "Discussed at supervision."


def test_acknowledgement_without_note_is_refused_next_to_the_field(client_for, supervisor, finding):
    url = reverse("compliance:finding-ack", args=[finding.pk])
    response = client_for(supervisor).post(url, {"note": ""})
    assert response.status_code == 400
    assert "note" in response.context["form"].errors
    assert not Finding.objects.get().is_acknowledged


@pytest.mark.parametrize("persona", ["case_manager", "reviewer", "reimbursement_officer"])
def test_only_supervisors_acknowledge(request, client_for, finding, persona):
    user = request.getfixturevalue(persona)
    url = reverse("compliance:finding-ack", args=[finding.pk])
    assert client_for(user).post(url, {"note": "x"}).status_code == 403


def test_supervisor_of_another_program_gets_404(client_for, foreign_finding, supervisor):
    url = reverse("compliance:finding-ack", args=[foreign_finding.pk])
    assert client_for(supervisor).post(url, {"note": "x"}).status_code == 404


# --- person page section --------------------------------------------------------------


def test_person_page_shows_open_findings_with_explanations(client_for, person):
    evaluate_compliance(as_of=timezone.localdate())
    response = client_for(person.case_manager).get(
        reverse("people:person-detail", args=[person.pk])
    )
    assert b"Compliance findings" in response.content
    assert b"Monthly contact: needs a signed, successful" in response.content


def test_person_page_hides_findings_from_reimbursement_officers(
    client_for, person, finding, reimbursement_officer
):
    response = client_for(reimbursement_officer).get(
        reverse("people:person-detail", args=[person.pk])
    )
    assert response.status_code == 200
    assert b"Compliance findings" not in response.content

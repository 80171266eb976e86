"""The people pages: caseload, person record, enroll, close, reopen, reassign, edit."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people import sections
from people.models import AccessLog, CaseAssignment, CaseEpisode, Person
from people.sections import Section
from tests.factories.compliance import FindingFactory
from tests.factories.contacts import ContactFactory
from tests.factories.people import (
    CaseAssignmentFactory,
    CaseEpisodeFactory,
    LivingArrangementFactory,
    PersonFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db

PERSON_ROUTES = [
    "people:person-detail",
    "people:person-edit",
    "people:person-close",
    "people:person-reopen",
    "people:representative-add",
    "people:living-arrangement-change",
]
WRITE_ROUTES = PERSON_ROUTES[1:]


def url(name, person):
    return reverse(name, args=[person.pk])


@pytest.mark.parametrize(
    "path",
    [
        reverse("people:person-list"),
        reverse("people:person-enroll"),
        reverse("people:person-reassign"),
        "/persons/1/",
        "/persons/1/close/",
    ],
)
def test_anonymous_is_sent_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("route", PERSON_ROUTES)
@pytest.mark.parametrize("persona", ["peer_case_manager", "other_case_manager"])
def test_person_outside_the_caseload_is_not_found(request, client_for, person, route, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(route, person)).status_code == 404
    if route in WRITE_ROUTES:
        assert client.post(url(route, person), {}).status_code == 404


def test_supervisor_of_another_program_gets_404(client_for, person, other_region):
    from tests.factories.tcm import UserFactory

    stranger = UserFactory(regional_program=other_region, role="supervisor")
    for route in PERSON_ROUTES:
        assert client_for(stranger).get(url(route, person)).status_code == 404


@pytest.mark.parametrize("route", WRITE_ROUTES)
@pytest.mark.parametrize("persona", ["reimbursement_officer", "reviewer"])
def test_roles_that_do_not_edit_persons_are_forbidden(request, client_for, person, route, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(route, person)).status_code == 403
    assert client.post(url(route, person), {}).status_code == 403
    assert client.post(reverse("people:person-enroll"), {}).status_code == 403


@pytest.mark.parametrize(
    "persona",
    ["case_manager", "supervisor", "reimbursement_officer", "reviewer"],
)
def test_each_role_in_scope_sees_the_list_and_the_person(request, client_for, person, persona):
    client = client_for(request.getfixturevalue(persona))
    listing = client.get(reverse("people:person-list"))
    assert listing.status_code == 200
    assert list(listing.context["page"]) == [person]
    assert client.get(url("people:person-detail", person)).status_code == 200


def test_reassign_is_for_supervisors_only(request, client_for, person):
    for persona in ("case_manager", "reimbursement_officer", "reviewer"):
        client = client_for(request.getfixturevalue(persona))
        path = f"{reverse('people:person-reassign')}?person={person.pk}"
        assert client.get(path).status_code == 403


def test_reassign_of_a_person_outside_the_program_is_not_found(
    client_for, supervisor, other_case_manager
):
    stranger = PersonFactory(case_manager=other_case_manager)
    path = f"{reverse('people:person-reassign')}?person={stranger.pk}"
    assert client_for(supervisor).get(path).status_code == 404
    assert (
        client_for(supervisor).get(f"{reverse('people:person-reassign')}?person=x").status_code
        == 404
    )


def test_list_shows_only_the_users_caseload(
    client_for, person, peer_case_manager, other_case_manager
):
    PersonFactory(case_manager=peer_case_manager)
    PersonFactory(case_manager=other_case_manager)
    response = client_for(person.case_manager).get(reverse("people:person-list"))
    assert [p.pk for p in response.context["page"]] == [person.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Wren"}, ["Wren"]),
        ({"q": "ada wr"}, ["Wren"]),
        ({"q": "999000"}, ["Oak"]),
        ({"status": "closed"}, ["Oak"]),
        ({"status": "open"}, ["Wren"]),
        ({"status": "bogus"}, ["Oak", "Wren"]),
    ],
)
def test_list_search_and_filters(client_for, case_manager, query, expected):
    wren = PersonFactory(case_manager=case_manager, first_name="Ada", last_name="Wren")
    CaseEpisodeFactory(person=wren)
    oak = PersonFactory(case_manager=case_manager, last_name="Oak", medicaid_id="999000111")
    CaseEpisodeFactory(person=oak, closed_on=date(2021, 1, 1), closure_reason="moved")
    response = client_for(case_manager).get(reverse("people:person-list"), query)
    assert [p.last_name for p in response.context["page"]] == expected


def test_supervisor_filters_by_case_manager(client_for, supervisor, person, peer_case_manager):
    PersonFactory(case_manager=peer_case_manager)
    response = client_for(supervisor).get(
        reverse("people:person-list"), {"case_manager": person.case_manager.pk}
    )
    assert list(response.context["page"]) == [person]


def test_reviewer_filters_by_region(client_for, reviewer, person, other_case_manager):
    other = PersonFactory(case_manager=other_case_manager)
    response = client_for(reviewer).get(
        reverse("people:person-list"), {"region": other.regional_program_id}
    )
    assert list(response.context["page"]) == [other]


def test_list_is_paginated_and_htmx_gets_the_rows_only(client_for, case_manager):
    PersonFactory.create_batch(30, case_manager=case_manager)
    client = client_for(case_manager)
    second = client.get(reverse("people:person-list"), {"page": 2})
    assert len(second.context["page"]) == 5
    partial = client.get(reverse("people:person-list"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content
    assert b"30 persons" in partial.content


def caseload_of(case_manager, size):
    for index in range(size):
        person = PersonFactory(case_manager=case_manager)
        CaseEpisodeFactory(person=person)
        if index % 3 == 0:
            RepresentativeFactory(person=person)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_the_caseload(client_for, supervisor, case_manager):
    # session, user with its role, the user's program (header), search form's
    # case managers, count, one page of persons.
    caseload_of(case_manager, 10)
    client = client_for(supervisor)
    path = reverse("people:person-list")
    small = count_queries(client, path)
    caseload_of(case_manager, 190)
    assert count_queries(client, path) == small <= 6


def test_detail_query_count_does_not_grow_with_the_record(client_for, person):
    # session, user with its role, the user's program (header), person (+program,
    # case manager), episodes, living arrangement, representatives,
    # assignments (+case managers), access-log insert;
    # plus a bounded number for each section other apps register.
    client = client_for(person.case_manager)
    caseload_of(person.case_manager, 10)
    path = url("people:person-detail", person)
    small = count_queries(client, path)
    caseload_of(person.case_manager, 190)
    RepresentativeFactory.create_batch(20, person=person)
    CaseAssignmentFactory.create_batch(20, person=person, ended_on=date(2020, 1, 2))
    assert count_queries(client, path) == small <= 9 + 6 * len(sections._registry)


def test_person_page_shows_the_header_and_logs_one_access(client_for, person):
    RepresentativeFactory(person=person, name="Gloria Reed", relationship="Mother")
    LivingArrangementFactory(person=person, arrangement="group_home")
    CaseAssignmentFactory(person=person)
    response = client_for(person.case_manager).get(url("people:person-detail", person))
    content = response.content.decode()
    for text in ("Open since 2020-01-01", "Gloria Reed", "Legal representative", "Group home"):
        assert text in content
    assert str(person.case_manager) in content
    log = AccessLog.objects.get()
    assert (log.user, log.person, log.view) == (person.case_manager, person, "person-detail")


def test_person_page_renders_each_section_in_order_with_heading_and_anchor(
    client_for, person, monkeypatch
):
    monkeypatch.setattr(sections, "_registry", [])
    sections.register(40)(lambda request, person: Section("Timeline", "people/_form_errors.html"))
    sections.register(20)(
        lambda request, person: Section("Plan", "people/_form_errors.html", anchor="pss")
    )
    sections.register(30)(lambda request, person: None)
    content = client_for(person.case_manager).get(url("people:person-detail", person)).content
    content = content.decode()
    assert '<h2 id="pss-title">Plan</h2>' in content
    assert '<section class="card" id="timeline"' in content
    assert content.index('id="pss"') < content.index('id="timeline"')


def test_enroll_creates_the_person_and_lands_on_their_page(client_for, case_manager):
    response = client_for(case_manager).post(
        reverse("people:person-enroll"),
        {
            "first_name": "Ada",
            "last_name": "Wren",
            "date_of_birth": "1999-05-06",
            "medicaid_id": "123123123",
            "state": "MS",
            "case_manager": case_manager.pk,
            "opened_on": "2024-02-01",
            "arrangement": "natural_home",
        },
    )
    person = Person.objects.get(medicaid_id="123123123")
    assert response.status_code == 302
    assert response.url == url("people:person-detail", person)
    assert person.regional_program == case_manager.regional_program
    assert CaseAssignment.objects.get(person=person).assigned_by == case_manager


def test_enroll_shows_errors_next_to_fields(client_for, case_manager, person):
    response = client_for(case_manager).post(
        reverse("people:person-enroll"),
        {"first_name": "Ada", "medicaid_id": person.medicaid_id, "opened_on": "2999-01-01"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"last_name", "date_of_birth", "case_manager"} <= set(errors)
    assert Person.objects.count() == 1


def test_enroll_with_a_duplicate_medicaid_id_names_the_field(client_for, case_manager, person):
    response = client_for(case_manager).post(
        reverse("people:person-enroll"),
        {
            "first_name": "Ada",
            "last_name": "Wren",
            "date_of_birth": "1999-05-06",
            "medicaid_id": person.medicaid_id,
            "state": "MS",
            "case_manager": case_manager.pk,
            "opened_on": "2024-02-01",
        },
    )
    assert response.status_code == 400
    assert "medicaid_id" in response.context["form"].errors


def test_close_page_explains_what_closing_does(client_for, person):
    response = client_for(person.case_manager).get(url("people:person-close", person))
    assert b"What closing does" in response.content
    assert b"Nothing is deleted" in response.content


def test_close_page_preselects_the_reason_a_referral_outcome_links_with(client_for, person):
    path = url("people:person-close", person) + "?reason=ineligible"
    response = client_for(person.case_manager).get(path)
    assert response.context["form"]["closure_reason"].value() == "ineligible"


def test_refuse_close_reopen_round_trip_through_the_pages(client_for, person):
    client = client_for(person.case_manager)
    closed = client.post(
        url("people:person-close", person),
        {"closed_on": "2023-06-30", "closure_reason": "refused", "closure_note": "No more."},
    )
    assert closed.status_code == 302
    again = client.post(
        url("people:person-close", person), {"closed_on": "2023-07-30", "closure_reason": "moved"}
    )
    assert again.status_code == 400
    assert b"already closed" in again.content
    early = client.post(url("people:person-reopen", person), {"opened_on": "2023-06-01"})
    assert early.status_code == 400
    assert "opened_on" in early.context["form"].errors
    reopened = client.post(url("people:person-reopen", person), {"opened_on": "2023-09-01"})
    assert reopened.status_code == 302
    episodes = CaseEpisode.objects.filter(person=person).order_by("opened_on")
    assert [(e.closed_on, e.closure_reason) for e in episodes] == [
        (date(2023, 6, 30), "refused"),
        (None, ""),
    ]


def test_close_before_the_opening_names_the_field(client_for, person):
    response = client_for(person.case_manager).post(
        url("people:person-close", person), {"closed_on": "2019-01-01", "closure_reason": "moved"}
    )
    assert response.status_code == 400
    assert "closed_on" in response.context["form"].errors
    assert person.episodes.get().closed_on is None


def test_supervisor_reassigns_many_persons_from_the_list(
    client_for, supervisor, person, peer_case_manager, case_manager
):
    second = PersonFactory(case_manager=case_manager)
    client = client_for(supervisor)
    path = reverse("people:person-reassign")
    page = client.get(path, {"person": [person.pk, second.pk]})
    assert page.status_code == 200
    assert list(page.context["form"].fields["case_manager"].queryset) == [
        case_manager,
        peer_case_manager,
    ] or set(page.context["form"].fields["case_manager"].queryset) == {
        case_manager,
        peer_case_manager,
    }
    response = client.post(
        path, {"person": [person.pk, second.pk], "case_manager": peer_case_manager.pk}
    )
    assert response.status_code == 302
    assert set(Person.objects.values_list("case_manager", flat=True)) == {peer_case_manager.pk}
    assert (
        CaseAssignment.objects.filter(
            case_manager=peer_case_manager, assigned_on=timezone.localdate()
        ).count()
        == 2
    )


def test_reassign_to_an_unqualified_case_manager_is_refused(client_for, supervisor, person, region):
    from tests.factories.tcm import UserFactory

    unqualified = UserFactory(regional_program=region, role="case_manager")
    response = client_for(supervisor).post(
        reverse("people:person-reassign"), {"person": [person.pk], "case_manager": unqualified.pk}
    )
    assert response.status_code == 400
    assert "case_manager" in response.context["form"].errors
    person.refresh_from_db()
    assert person.case_manager.username == "alice"


def test_reassign_without_persons_says_so(client_for, supervisor):
    response = client_for(supervisor).get(reverse("people:person-reassign"))
    assert response.status_code == 400
    assert b"Choose at least one person" in response.content


def test_edit_and_representatives_round_trip(client_for, person):
    client = client_for(person.case_manager)
    data = {
        "first_name": person.first_name,
        "last_name": "Newname",
        "date_of_birth": "1990-04-12",
        "medicaid_id": person.medicaid_id,
        "state": "MS",
    }
    assert client.post(url("people:person-edit", person), data).status_code == 302
    person.refresh_from_db()
    assert person.last_name == "Newname"
    added = client.post(
        url("people:representative-add", person),
        {"name": "Gloria Reed", "relationship": "Mother", "is_legal_representative": "on"},
    )
    assert added.status_code == 302
    representative = person.representatives.get()
    assert representative.is_legal_representative
    path = reverse("people:representative-edit", args=[person.pk, representative.pk])
    assert client.post(path, {"name": ""}).status_code == 400


def test_representative_of_another_person_is_not_found(client_for, person, case_manager):
    other = PersonFactory(case_manager=case_manager)
    representative = RepresentativeFactory(person=other)
    path = reverse("people:representative-edit", args=[person.pk, representative.pk])
    assert client_for(case_manager).get(path).status_code == 404


def test_header_offers_other_apps_actions_to_the_roles_that_may_use_them(
    client_for, person, reimbursement_officer
):
    log_contact = reverse("contacts:contact-create", args=[person.pk])
    mine = client_for(person.case_manager).get(url("people:person-detail", person))
    assert {"label": "Log a contact", "url": log_contact} in mine.context["actions"]
    theirs = client_for(reimbursement_officer).get(url("people:person-detail", person))
    assert theirs.context["actions"] == []
    assert log_contact.encode() not in theirs.content


def test_living_arrangement_changes_from_a_day_on(client_for, person):
    LivingArrangementFactory(person=person, arrangement="natural_home")
    client = client_for(person.case_manager)
    path = reverse("people:living-arrangement-change", args=[person.pk])
    early = client.post(path, {"arrangement": "group_home", "effective_from": "2019-01-01"})
    assert early.status_code == 400
    assert "effective_from" in early.context["form"].errors
    done = client.post(path, {"arrangement": "group_home", "effective_from": "2024-05-01"})
    assert done.status_code == 302
    assert [a.arrangement for a in person.living_arrangements.order_by("effective_from")] == [
        "natural_home",
        "group_home",
    ]


@pytest.mark.parametrize("size", [2, 20])
def test_person_record_queries_do_not_grow_and_a_cached_view_takes_fewer(
    client_for, person, supervisor, size, django_assert_num_queries
):
    for month in range(1, size + 1):
        ContactFactory(person=person)
        start = date(2020 + month // 12, month % 12 + 1, 1)
        FindingFactory(person=person, period_start=start, period_end=start, due_date=start)
        RepresentativeFactory(person=person)
    client = client_for(supervisor)  # every section: plan, findings, timeline, bills
    url = reverse("people:person-detail", args=[person.pk])
    # session, user with its role (2); page versions (1); the person (1); access log (1); the
    # header: episodes, living arrangement, representatives, assignments (4); the plan
    # section (3), findings (1), timeline: page of the union, its contacts, their time
    # entries (3), bills (1); the user's program (page header) (1).
    with django_assert_num_queries(18):
        client.get(url)
    # Nothing changed: the body comes from the cache (tcm.page_cache); still logged.
    with django_assert_num_queries(6):
        client.get(url)
    assert AccessLog.objects.filter(person=person, view="person-detail").count() == 2

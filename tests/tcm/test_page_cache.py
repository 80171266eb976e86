"""Cached page bodies (tcm.page_cache) never outlive a write: every write path bumps the
versions of what it changes (tcm.versions), and the next view shows the change."""

import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billing.services import generate_bills
from compliance.services import acknowledge_finding, evaluate_compliance
from contacts import services as contacts
from people import services as people
from people.models import AccessLog
from tcm import versions
from tcm.page_cache import CSRF_PLACEHOLDER
from tcm.signals import NOT_SHOWN, PAGE_APPS, _watched
from tests.factories import (
    CaseEpisodeFactory,
    ContactFactory,
    PersonFactory,
    TimeEntryFactory,
)
from tests.factories.compliance import FindingFactory
from tests.factories.registry import factory_for

TODAY = timezone.localdate()


def worklist(client):
    return client.get(reverse("compliance:worklist")).content.decode()


def record(client, person):
    return client.get(reverse("people:person-detail", args=[person.pk])).content.decode()


def phone_call(actor, person, **extra):
    return contacts.log_contact(
        actor=actor,
        person=person,
        contact_date=TODAY,
        minutes=15,
        mode="phone",
        with_whom=["person"],
        note="Checked in by phone.",
        **extra,
    )


# --- the pages after each write path ---------------------------------------------------


def test_worklist_drops_the_monthly_item_once_the_contact_is_logged(client_for, person):
    client = client_for(person.case_manager)
    call = f'Log a contact<span class="sr-only"> for {person}'
    assert call in worklist(client)
    assert call in worklist(client)  # cached: still due
    phone_call(person.case_manager, person)
    assert call not in worklist(client)


def test_worklist_shows_findings_the_evaluation_opened_in_sql(client_for, case_manager):
    person = PersonFactory(case_manager=case_manager)
    CaseEpisodeFactory(person=person, opened_on=TODAY - timedelta(days=400))
    client = client_for(case_manager)
    assert "Nothing overdue." in worklist(client)
    evaluate_compliance(as_of=TODAY)
    assert "Nothing overdue." not in worklist(client)


def test_reassigning_changes_both_worklists(client_for, person, peer_case_manager, supervisor):
    alice, bob = person.case_manager, peer_case_manager
    assert str(person) not in worklist(client_for(bob))
    assert str(person) in worklist(client_for(alice))
    people.reassign(actor=supervisor, persons=[person], case_manager=bob)
    assert str(person) not in worklist(client_for(alice))
    assert str(person) in worklist(client_for(bob))


def test_person_record_shows_a_renamed_person_and_a_new_contact(client_for, person):
    client = client_for(person.case_manager)
    assert "Checked in by phone" not in record(client, person)
    people.update_person(actor=person.case_manager, person=person, last_name="Renamed")
    phone_call(person.case_manager, person)
    page = record(client, person)
    assert "Renamed," in page
    assert "Checked in by phone" in page


def test_person_record_shows_an_addendum_and_a_void(client_for, person):
    contact = phone_call(person.case_manager, person)
    entry = TimeEntryFactory(person=person, author=person.case_manager, service_date=TODAY)
    client = client_for(person.case_manager)
    assert "Addendum" not in record(client, person)
    contacts.add_addendum(actor=person.case_manager, contact=contact, text="Also the sister.")
    contacts.void_time_entry(actor=person.case_manager, entry=entry, reason="Duplicate")
    page = record(client, person)
    assert "Also the sister." in page
    assert "Duplicate" in page


def test_person_record_shows_an_acknowledgement(client_for, person, supervisor):
    finding = FindingFactory(person=person)
    client = client_for(supervisor)
    assert "Acknowledged" not in record(client, person)
    acknowledge_finding(finding=finding, actor=supervisor, note="Talked with the manager.")
    assert "Acknowledged" in record(client, person)


def test_a_cached_record_is_still_logged_and_still_scoped(client_for, person, peer_case_manager):
    client = client_for(person.case_manager)
    record(client, person)
    record(client, person)
    assert AccessLog.objects.filter(person=person, view="person-detail").count() == 2
    people.reassign(actor=person.case_manager, persons=[person], case_manager=peer_case_manager)
    response = client.get(reverse("people:person-detail", args=[person.pk]))
    assert response.status_code == 404


def test_a_cached_body_carries_the_viewers_csrf_token(person):
    entry = TimeEntryFactory(person=person, author=person.case_manager, service_date=TODAY)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person.case_manager)
    record(client, person)
    page = record(client, person)  # from the cache
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    void = reverse("contacts:timeentry-void", args=[entry.pk])
    response = client.post(void, {"void_reason": "Duplicate", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


# --- which versions each write bumps -----------------------------------------------------


def stamps(person):
    scopes = (
        versions.person_scope(person.pk),
        versions.caseload_scope(person.case_manager_id),
        versions.RECORDS,
    )
    return dict(zip(scopes, versions.current(*scopes), strict=True))


def changed(before, after):
    return {scope for scope in before if before[scope] != after[scope]}


def test_a_record_of_a_person_bumps_the_person_and_the_caseload(person):
    before = stamps(person)
    ContactFactory(person=person)
    assert changed(before, stamps(person)) == {
        versions.person_scope(person.pk),
        versions.caseload_scope(person.case_manager_id),
    }


def staffing(*programs):
    return versions.current(*(versions.staffing_scope(program.pk) for program in programs))


def test_a_record_of_a_person_leaves_the_staffing_alone(person):
    before = staffing(person.regional_program)
    ContactFactory(person=person)
    assert staffing(person.regional_program) == before


def test_a_person_moved_to_another_program_bumps_both_programs_and_the_caseload_left(
    person, other_region
):
    programs, manager = (person.regional_program, other_region), person.case_manager_id
    before = (*staffing(*programs), *versions.current(versions.caseload_scope(manager)))
    person.regional_program, person.case_manager = other_region, None
    person.save()
    after = (*staffing(*programs), *versions.current(versions.caseload_scope(manager)))
    assert all(a != b for a, b in zip(before, after, strict=True))


def test_a_program_or_a_run_bumps_the_shared_records(person, region):
    for write in (
        lambda: region.save(),
        lambda: evaluate_compliance(as_of=TODAY),
        lambda: generate_bills(month=date(TODAY.year - 1, 1, 1), regional_program=region),
    ):
        before = stamps(person)
        write()
        assert changed(before, stamps(person)) == {versions.RECORDS}


def test_logins_and_the_access_log_bump_nothing(person, case_manager):
    before = stamps(person)
    case_manager.last_login = timezone.now()
    case_manager.save(update_fields=["last_login"])
    AccessLog.objects.create(user=case_manager, person=person, view="person-detail")
    assert changed(before, stamps(person)) == set()


def test_a_rolled_back_write_bumps_nothing(person):
    before = stamps(person)
    with pytest.raises(RuntimeError), transaction.atomic():
        ContactFactory(person=person)
        raise RuntimeError
    assert changed(before, stamps(person)) == set()


def test_one_bump_per_block_and_again_in_the_next(person):
    versions.current()  # what a page does first: later writes must bump
    with transaction.atomic():
        ContactFactory(person=person)
        after_one = dict(versions_table())
        ContactFactory(person=person)
        assert dict(versions_table()) == after_one
    ContactFactory(person=person)
    scope = versions.person_scope(person.pk)
    assert dict(versions_table())[scope] == after_one[scope] + 1


# Written only by the billing engine's SQL, whose run's save bumps "records" (and
# without factories for that reason); the staged ones are its temporary tables.
ENGINE_ONLY = {
    "billing.BillLine",
    "billing.BillLineEntry",
    "billing.ExcludedEntry",
    "billing.StagedEntry",
    "billing.StagedPersonDay",
}
WATCHED = [
    model
    for app in PAGE_APPS
    for model in apps.get_app_config(app).get_models()
    if _watched(model) and model._meta.label not in ENGINE_ONLY
]


@pytest.mark.parametrize("model", WATCHED, ids=lambda model: model._meta.label)
def test_every_watched_model_bumps_a_version_when_saved(model, db):
    """A model added to any app is watched unless NOT_SHOWN says why not."""
    record = factory_for(model)()
    versions.current()  # a page read since: the next save must bump again
    before = dict(versions_table())
    record.save()
    assert dict(versions_table()) != before


def versions_table():
    return apps.get_model("tcm", "PageVersion").objects.values_list("scope", "version")


def test_not_shown_models_exist():
    for label in NOT_SHOWN:
        apps.get_model(*label)


# --- the supervisor's dashboard ----------------------------------------------------------


def dashboard(client):
    return client.get(reverse("compliance:dashboard")).content.decode()


def open_findings(page) -> int:
    """The open findings the dashboard shows, all rules."""
    return sum(map(int, re.findall(r'">(\d+)<span class="sr-only"> open findings', page)))


def test_dashboard_shows_a_new_evaluation_and_a_person_moved_out(
    client_for, supervisor, other_case_manager, person
):
    client = client_for(supervisor)
    dashboard(client)
    assert "not evaluated yet" in dashboard(client)  # the cached body
    evaluate_compliance(as_of=TODAY)
    page = dashboard(client)
    assert "not evaluated yet" not in page
    assert open_findings(page) > 0
    person.regional_program, person.case_manager = other_case_manager.regional_program, None
    person.save()
    assert open_findings(dashboard(client)) == 0


# --- the officer's landing (billing:run-list) ------------------------------------------


def landing(client):
    return client.get(reverse("billing:run-list")).content.decode()


def caseload(page, manager) -> int:
    """The caseload the staff table shows for `manager`."""
    return int(re.search(rf"<td>{re.escape(str(manager))}</td>\s*<td>(\d+)</td>", page).group(1))


def test_officer_landing_shows_a_caseload_grown_and_a_person_moved(
    client_for, reimbursement_officer, case_manager, peer_case_manager, supervisor, person
):
    client = client_for(reimbursement_officer)
    landing(client)
    assert caseload(landing(client), case_manager) == 1  # the second view: the cached body
    PersonFactory(case_manager=case_manager)
    assert caseload(landing(client), case_manager) == 2
    people.reassign(actor=supervisor, persons=[person], case_manager=peer_case_manager)
    page = landing(client)
    assert (caseload(page, case_manager), caseload(page, peer_case_manager)) == (1, 1)


def test_officer_landing_shows_a_qualification_and_a_new_case_manager(
    client_for, reimbursement_officer, region
):
    from django.contrib.auth.models import Group

    from tests.factories import StaffQualificationFactory, UserFactory

    client = client_for(reimbursement_officer)
    newcomer = UserFactory(username="newcomer", last_name="Newcomer", regional_program=region)
    assert "Newcomer" not in landing(client)  # no role yet: not a case manager
    newcomer.groups.add(Group.objects.get(name="case_manager"))  # no save of the user
    assert "Newcomer" in landing(client)
    assert "Not qualified" in landing(client)  # no qualification on file
    StaffQualificationFactory(staff=newcomer)
    assert "Not qualified" not in landing(client)


def test_officer_landing_shows_a_new_run(client_for, reimbursement_officer, region):
    client = client_for(reimbursement_officer)
    assert "January" not in landing(client)
    generate_bills(month=date(TODAY.year - 1, 1, 1), regional_program=region)
    assert "January" in landing(client)


def test_officer_landing_keeps_the_generate_form_working(client_for, reimbursement_officer):
    client = client_for(reimbursement_officer)
    landing(client)
    page = landing(client)  # cached: the form carries this viewer's token, not a placeholder
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert token
    refused = client.post(reverse("billing:run-generate"), {"month": "not a month"})
    assert refused.status_code == 400
    assert "month" in refused.content.decode().lower()

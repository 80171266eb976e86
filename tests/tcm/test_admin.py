"""The admin as DMH reviewers use it: every page readable in every region, no write.

Walks every model registered with the admin site, so a model added later is
covered as soon as it is registered (and fails here until it has a factory in
tests/factories/<app>.py).
"""

import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.registry import factory_for

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def reviewer_client(client_for, reviewer):
    return client_for(reviewer)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_reviewer_reads_every_page_of_every_region(reviewer_client, model):
    # Each factory call builds its own regional program: two records, two regions.
    records = [factory_for(model)(), factory_for(model)()]

    listing = reviewer_client.get(admin_url(model, "changelist"))
    assert listing.status_code == 200
    for record in records:
        change = reviewer_client.get(admin_url(model, "change", record.pk))
        assert change.status_code == 200
        assert b'name="_save"' not in change.content  # read-only form
        assert reviewer_client.get(admin_url(model, "history", record.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_reviewer_gets_403_on_every_write(reviewer_client, model):
    record = factory_for(model)()
    before = model.objects.count()

    assert reviewer_client.get(admin_url(model, "add")).status_code == 403
    assert reviewer_client.post(admin_url(model, "add"), {}).status_code == 403
    assert reviewer_client.post(admin_url(model, "change", record.pk), {}).status_code == 403
    assert reviewer_client.get(admin_url(model, "delete", record.pk)).status_code == 403
    delete = reviewer_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
    assert delete.status_code == 403

    assert model.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_nobody_can_delete_or_revert_through_the_admin(client_for, model):
    from tests.factories import UserFactory

    superuser = UserFactory(is_superuser=True, is_staff=True, regional_program=None)
    client = client_for(superuser)
    record = factory_for(model)()
    version = record.history.first() if hasattr(record, "history") else None

    assert client.get(admin_url(model, "delete", record.pk)).status_code == 403
    changelist = client.get(admin_url(model, "changelist"))
    assert b"delete_selected" not in changelist.content
    if version is not None:
        revert = admin_url(model, "simple_history", record.pk, version.history_id)
        assert client.get(revert).status_code == 200
        assert client.post(revert, {}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_query_count_does_not_grow_with_rows(reviewer_client, model):
    """List columns come from list_select_related, not one query per row."""
    url = admin_url(model, "changelist")
    factory_for(model)()
    with CaptureQueriesContext(connection) as one_row:
        reviewer_client.get(url)
    factory_for(model).create_batch(4)
    with CaptureQueriesContext(connection) as five_rows:
        reviewer_client.get(url)
    assert len(five_rows) == len(one_row), [query["sql"] for query in five_rows]


@pytest.mark.django_db
def test_history_page_shows_what_changed_from_what_to_what(reviewer_client):
    from tests.factories import PersonFactory

    person = PersonFactory(last_name="Smith")
    person.last_name = "Smyth"
    person.save()

    page = reviewer_client.get(admin_url(type(person), "history", person.pk))

    assert page.status_code == 200
    # simple-history's diff column: "Last name: Smith -> Smyth"
    assert re.search(r"Last name:</strong>\s*Smith\s*&nbsp;&rarr;&nbsp;&nbsp;Smyth", page.text)


@pytest.mark.django_db
def test_access_log_is_browsable_by_person_user_and_date(reviewer_client):
    from people.models import AccessLog
    from tests.factories.people import AccessLogFactory

    entry = AccessLogFactory()
    url = admin_url(AccessLog, "changelist")

    by_person = reviewer_client.get(url, {"person__id__exact": entry.person_id})
    by_user = reviewer_client.get(url, {"user__id__exact": entry.user_id})
    by_date = reviewer_client.get(url, {"accessed_at__year": entry.accessed_at.year})

    for page in (by_person, by_user, by_date):
        assert page.status_code == 200
        assert page.context["cl"].result_count == 1

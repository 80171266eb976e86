"""Every view of one person's record through the API writes exactly one access-log row.

Walks the API router, so a resource another app registers later is covered on
arrival: any resource whose records belong to a person (the Person itself, or a
model with a `person` foreign key) must log its detail GET once, cheaply.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from people.models import AccessLog, Person
from tcm.api.urls import router
from tests.factories.registry import factory_for


def _person_resources():
    for prefix, viewset, _basename in router.registry:
        model = viewset.queryset.model
        if model is Person or any(field.name == "person" for field in model._meta.fields):
            yield pytest.param(prefix, model, id=prefix)


PERSON_RESOURCES = list(_person_resources())


def test_the_walk_finds_the_person_resources():
    assert {"persons", "contacts"} <= {param.id for param in PERSON_RESOURCES}


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "model"), PERSON_RESOURCES)
def test_detail_get_writes_one_access_log_row(reviewer, prefix, model):
    record = factory_for(model)()
    person_id = record.pk if model is Person else record.person_id
    client = APIClient()
    client.force_authenticate(reviewer)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/{prefix}/{record.pk}/")

    assert response.status_code == 200, response.content
    row = AccessLog.objects.get()
    assert (row.user, row.person_id) == (reviewer, person_id)
    assert row.view
    inserts = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1, inserts  # the log row, and nothing else written


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "model"), PERSON_RESOURCES)
def test_lists_and_refused_reads_write_no_row(other_case_manager, prefix, model):
    record = factory_for(model)()
    client = APIClient()
    client.force_authenticate(other_case_manager)  # another program: out of scope

    assert client.get(f"/api/v1/{prefix}/").status_code in (200, 403)
    assert client.get(f"/api/v1/{prefix}/{record.pk}/").status_code in (403, 404)
    assert not AccessLog.objects.exists()

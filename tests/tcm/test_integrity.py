"""Nobody deletes clinical or billing records, by any ORM path (SPEC.md section 3)."""

import pytest
from django.apps import apps
from django.db import transaction

from tcm.integrity import DeletionRefused, Undeletable
from tests.factories.registry import factory_for

# Models that must keep every row, by name; the billing and compliance ones count
# as soon as their app defines them.
MUST_BE_UNDELETABLE = {
    "Person",
    "CaseEpisode",
    "Plan",
    "NeedsAssessment",
    "Referral",
    "Contact",
    "Addendum",
    "TimeEntry",
    "AccessLog",
    "Finding",
    "EvaluationRun",  # findings name it without a database constraint
    "Bill",
    "BillingRun",
}
DOMAIN_LABELS = {"tcm", "people", "plans", "contacts", "compliance", "billing"}
REQUIRED = sorted(
    (
        model
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_LABELS and model.__name__ in MUST_BE_UNDELETABLE
    ),
    key=lambda model: model._meta.label,
)


def test_every_record_that_must_be_kept_is_undeletable():
    missing = [model._meta.label for model in REQUIRED if not issubclass(model, Undeletable)]
    assert not missing
    assert {"Person", "Contact", "TimeEntry", "Plan"} <= {model.__name__ for model in REQUIRED}


@pytest.mark.django_db
@pytest.mark.parametrize("model", REQUIRED, ids=lambda model: model._meta.label)
def test_record_survives_every_way_of_deleting_it(model):
    record = factory_for(model)()

    with pytest.raises(DeletionRefused):
        record.delete()
    # The collector's transaction is broken by the refusal: contain it in a savepoint.
    with pytest.raises(DeletionRefused), transaction.atomic():
        model.objects.filter(pk=record.pk).delete()

    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.django_db
def test_other_rows_are_still_fast_deleted(django_assert_num_queries):
    """Only Undeletable models listen to pre_delete: expired sessions go in one DELETE."""
    from django.contrib.sessions.models import Session

    with django_assert_num_queries(1):
        Session.objects.all().delete()

"""The bill-facts migrations on a database that already holds bills and exclusions."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("billing", "0004_billing_runs")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_texts_become_facts_on_a_database_with_bills():
    apps = _migrate(BEFORE)
    region = apps.get_model("tcm", "RegionalProgram").objects.create(code="mig", name="Migrated")
    person = apps.get_model("people", "Person").objects.create(
        regional_program=region, first_name="Ada", last_name="Moss", date_of_birth=date(1990, 1, 1)
    )
    means_test = apps.get_model("billing", "MeansTest").objects.create(
        person=person,
        effective_from=date(2024, 1, 1),
        family_size=3,
        adjusted_gross_monthly_income=Decimal("3000.00"),
        monthly_ability_to_pay=Decimal("100.02"),
    )
    run = apps.get_model("billing", "BillingRun").objects.create(
        regional_program=region, month=date(2024, 3, 1)
    )
    apps.get_model("billing", "Bill").objects.create(
        run=run,
        person=person,
        month=run.month,
        payer_type="self_pay",
        means_test=means_test,
        explanation="Charge $50.00; the family pays at most $25.01, a fourth of the ability "
        "to pay for a person living in the natural home.",
    )

    _migrate(None)

    from billing.models import Bill

    bill = Bill.objects.get(person_id=person.pk)
    assert (bill.monthly_ability_to_pay, bill.natural_home) == (Decimal("100.02"), True)
    assert bill.cap == Decimal("25.01")


@pytest.mark.django_db(transaction=True)
def test_runs_on_file_get_their_totals_from_their_bills():
    before = [("billing", "0006_drop_texts_said_from_facts")]
    apps = _migrate(before)
    region = apps.get_model("tcm", "RegionalProgram").objects.create(code="tot", name="Totals")
    person = apps.get_model("people", "Person").objects.create(
        regional_program=region, first_name="Ada", last_name="Moss", date_of_birth=date(1990, 1, 1)
    )
    BillingRun = apps.get_model("billing", "BillingRun")
    run = BillingRun.objects.create(regional_program=region, month=date(2024, 3, 1))
    empty = BillingRun.objects.create(regional_program=region, month=date(2024, 4, 1))
    Bill = apps.get_model("billing", "Bill")
    for payer_type, amount, withdrawn in [("medicaid", "40.00", False), ("self_pay", "0", True)]:
        Bill.objects.create(
            run=run,
            person=person,
            month=run.month,
            payer_type=payer_type,
            charge=amount,
            amount_due=amount,
            withdrawn=withdrawn,
        )

    _migrate(None)

    from billing.models import BillingRun

    assert BillingRun.objects.values_list("bill_count", "total_due").get(pk=run.pk) == (
        1,
        Decimal("40.00"),
    )
    assert BillingRun.objects.values_list("bill_count", "total_due").get(pk=empty.pk) == (0, 0)

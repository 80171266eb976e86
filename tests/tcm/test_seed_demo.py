"""`seed_demo` makes a realistic, idempotent demo."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from contacts.models import Contact, TimeEntry
from people.models import CaseEpisode, Person
from tcm.models import RegionalProgram, User
from tcm.roles import Role

pytestmark = pytest.mark.django_db


def seed(persons):
    call_command("seed_demo", persons=persons, stdout=StringIO())


def counts():
    return (
        RegionalProgram.objects.count(),
        User.objects.count(),
        Person.objects.count(),
        CaseEpisode.objects.count(),
        Contact.objects.count(),
        TimeEntry.objects.count(),
    )


def test_seed_demo_is_idempotent():
    seed(30)
    first = counts()
    seed(30)
    assert counts() == first


def test_seed_demo_adds_only_the_missing_persons():
    seed(10)
    seed(15)
    assert Person.objects.count() == 15


def test_seed_demo_shows_the_domain():
    seed(40)
    today = timezone.localdate()
    assert RegionalProgram.objects.count() == 5
    assert User.objects.with_role(Role.DMH_REVIEWER).count() == 1
    for region in RegionalProgram.objects.all():
        staff = User.objects.filter(regional_program=region)
        assert staff.filter(groups__name=Role.SUPERVISOR).count() == 1
        assert staff.filter(groups__name=Role.REIMBURSEMENT_OFFICER).count() == 1
        managers = staff.filter(groups__name=Role.CASE_MANAGER)
        assert managers.count() >= 3
        assert any(not m.qualification_on(today) for m in managers)
    refused = CaseEpisode.objects.filter(closure_reason="refused").values("person")
    assert CaseEpisode.objects.filter(person__in=refused, closed_on__isnull=True).exists()
    assert Contact.objects.filter(contact_date__lt=today.replace(year=today.year - 1)).exists()
    assert TimeEntry.objects.filter(activity="travel").exists()
    # Every contact's time was recorded for billing.
    assert not Contact.objects.filter(time_entries__isnull=True).exists()


def test_negative_persons_is_refused():
    with pytest.raises(CommandError, match="--persons"):
        call_command("seed_demo", persons=-1, stdout=StringIO())

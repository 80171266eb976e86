"""The demo seed keeps assignment history in step with each person's case manager."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from people.models import CaseAssignment, Person

pytestmark = pytest.mark.django_db


def test_every_seeded_person_has_one_current_assignment_naming_their_case_manager():
    call_command("seed_demo", persons=20, stdout=StringIO())
    current = CaseAssignment.objects.filter(ended_on__isnull=True)
    assert current.count() == Person.objects.count() == 20
    assert not current.exclude(case_manager=F("person__case_manager")).exists()
    for assignment in current.select_related("person"):
        first = assignment.person.episodes.order_by("opened_on").first()
        assert assignment.assigned_on == first.opened_on

"""Who sees which person: the scope asked of the database and of a person already read."""

import pytest

from people.models import Person
from people.querysets import person_visible_to
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewers(request, region):
    """Every kind of user, by name: the personas plus those who must see nobody or all."""
    names = [
        "case_manager",
        "peer_case_manager",
        "other_case_manager",
        "supervisor",
        "reimbursement_officer",
        "reviewer",
    ]
    users = {name: request.getfixturevalue(name) for name in names}
    users["inactive case manager"] = UserFactory(
        regional_program=region, role="case_manager", is_active=False
    )
    users["no role"] = UserFactory(regional_program=region)
    users["supervisor without program"] = UserFactory(regional_program=None, role="supervisor")
    users["superuser"] = UserFactory(regional_program=None, is_superuser=True)
    return users


def test_a_person_in_hand_is_visible_exactly_when_the_database_says_so(
    viewers, person, other_case_manager
):
    persons = [person, PersonFactory(case_manager=other_case_manager)]
    for name, user in viewers.items():
        for each in persons:
            in_database = Person.objects.visible_to(user).filter(pk=each.pk).exists()
            assert person_visible_to(user, each) == in_database, (name, each)
    assert person_visible_to(viewers["case_manager"], person)
    assert not person_visible_to(viewers["peer_case_manager"], person)


def test_one_person_read_by_id_is_the_person_the_scoped_query_reads(
    viewers, person, other_case_manager, django_assert_num_queries
):
    persons = [person, PersonFactory(case_manager=other_case_manager)]
    for name, user in viewers.items():
        for each in persons:
            scoped = Person.objects.visible_to(user).filter(pk=each.pk).first()
            with django_assert_num_queries(1):
                read = Person.objects.visible_one(user, each.pk)
            assert read == scoped, (name, each)
            if read is not None:  # every value as the ORM reads it (dates, times on SQLite)
                values = [getattr(read, field.attname) for field in Person._meta.concrete_fields]
                assert values == [
                    getattr(scoped, field.attname) for field in Person._meta.concrete_fields
                ]
                assert not read._state.adding and read._state.db == "default"
    assert Person.objects.visible_one(viewers["reviewer"], max(p.pk for p in persons) + 1) is None

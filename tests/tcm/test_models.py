"""Qualification records, certification and roles as stored in the database."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tcm.auth import UserWithRoleBackend
from tcm.models import StaffQualification, User
from tcm.roles import ROLE_PERMISSIONS, Role
from tests.factories import (
    CertificationFactory,
    RegionalProgramFactory,
    StaffQualificationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_user_without_record_is_not_qualified_and_says_why():
    user = UserFactory()
    result = user.qualification_on(date(2024, 1, 1))
    assert not result
    assert "No qualification record" in result.explanation


def test_qualification_follows_the_record_in_force():
    user = UserFactory()
    StaffQualificationFactory(
        staff=user, effective_from=date(2020, 1, 1), effective_to=date(2023, 12, 31)
    )
    StaffQualificationFactory(
        staff=user, effective_from=date(2024, 1, 1), css_credential="none", qddp=False
    )
    assert user.qualification_on(date(2023, 12, 31))
    assert not user.qualification_on(date(2024, 1, 1))


def test_qualifying_on_matches_the_rule_in_sql():
    qualified = StaffQualificationFactory(pcp_training_completed_on=date(2024, 6, 16))
    assert (
        not StaffQualification.objects.qualifying_on(date(2024, 6, 15))
        .filter(pk=qualified.pk)
        .exists()
    )
    assert (
        StaffQualification.objects.qualifying_on(date(2024, 6, 16)).filter(pk=qualified.pk).exists()
    )


def test_overlapping_qualification_records_are_refused_with_the_field_named():
    user = UserFactory()
    StaffQualificationFactory(staff=user, effective_from=date(2020, 1, 1))
    second = StaffQualification(staff=user, effective_from=date(2022, 1, 1))
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "effective_from" in error.value.message_dict


@pytest.mark.parametrize(
    ("day", "certified"),
    [
        (date(2025, 6, 30), True),
        (date(2025, 7, 1), False),
        (date(2025, 7, 31), False),
        (date(2025, 8, 1), True),
    ],
)
def test_certification_gap(day, certified):
    region = RegionalProgramFactory(certified=False)
    CertificationFactory(
        regional_program=region, certified_from=date(2020, 1, 1), certified_until=date(2025, 6, 30)
    )
    CertificationFactory(regional_program=region, certified_from=date(2025, 8, 1))
    assert region.is_certified_on(day) is certified


def test_role_groups_exist_with_view_permissions_and_no_delete():
    for role in Role:
        group = Group.objects.get(name=role)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert codenames, role
        assert not any(code.startswith("delete_") for code in codenames)
    reviewer = Group.objects.get(name=Role.DMH_REVIEWER)
    assert reviewer.permissions.filter(codename="view_contact").exists()
    assert reviewer.permissions.filter(codename="view_historicalcontact").exists()
    assert not reviewer.permissions.exclude(codename__startswith="view_").exists()
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_role_is_read_from_the_group():
    assert UserFactory(role="supervisor").role == Role.SUPERVISOR
    assert UserFactory().role is None


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ([], None),
        (["supervisor"], Role.SUPERVISOR),
        (["dmh_reviewer", "case_manager"], Role.CASE_MANAGER),  # the first in Role's order
        (["reimbursement_officer", "board"], Role.REIMBURSEMENT_OFFICER),
    ],
)
def test_role_loaded_with_the_user_is_the_role_read_from_the_groups(groups, role):
    user = UserFactory()
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    assert User.objects.get(pk=user.pk).role == role
    assert UserWithRoleBackend().get_user(user.pk).role == role


def test_a_requests_user_comes_with_its_role(client_for, supervisor, rf):
    from django.contrib.auth import get_user

    client = client_for(supervisor)
    request = rf.get("/")
    request.session = client.session
    assert "_auth_user_id" in request.session  # read the session first
    with CaptureQueriesContext(connection) as queries:
        user = get_user(request)
        assert (user, user.role) == (supervisor, Role.SUPERVISOR)
    assert len(queries) == 1

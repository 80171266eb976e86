"""The role gate for pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from tcm.decorators import role_required
from tcm.roles import Role

pytestmark = pytest.mark.django_db


@role_required(Role.SUPERVISOR, reviewers_may_read=True)
def supervisors_page(request):
    return HttpResponse("ok")


def call(user, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = user
    return supervisors_page(request)


def test_allowed_role_passes(supervisor):
    assert call(supervisor).status_code == 200


def test_other_role_is_forbidden(case_manager):
    with pytest.raises(PermissionDenied):
        call(case_manager)


def test_reviewer_may_read_but_not_write(reviewer):
    assert call(reviewer).status_code == 200
    with pytest.raises(PermissionDenied):
        call(reviewer, "post")

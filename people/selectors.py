"""Reads of the people app that pages, API and services share."""

from datetime import date

from django.db.models import Exists, OuterRef

from tcm.models import StaffQualification, User


def assignable_case_managers(regional_program_id: int | None, day: date):
    """Case managers of the program who are qualified on `day` (SPEC.md section 2).

    Only they may carry a caseload: time of an unqualified author is not
    billable, so assigning persons to them would quietly lose the work.
    """
    return (
        User.objects.case_managers_of(regional_program_id)
        .filter(Exists(StaffQualification.objects.qualifying_on(day).filter(staff=OuterRef("pk"))))
        .order_by("last_name", "first_name", "username")
    )

"""Landing pages per role, and the health check."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from people.models import CaseEpisode, Person
from tcm.models import RegionalProgram, User
from tcm.roles import Role

SUMMARY_SECONDS = 60

# Case managers work from the worklist, supervisors from the compliance dashboard.
LANDINGS = {
    Role.CASE_MANAGER: "compliance:worklist",
    Role.SUPERVISOR: "compliance:dashboard",
    Role.REIMBURSEMENT_OFFICER: "billing:run-list",
}


@require_GET
@login_not_required
def healthz(request):
    """Liveness and database check for load balancers and docker compose."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request):
    """Send each role to its landing page (SPEC.md section 1)."""
    if request.user.role in LANDINGS:
        return redirect(LANDINGS[request.user.role])
    today = timezone.localdate()
    context = {"today": today, **_summary(request.user, today)}
    role = request.user.role
    template = f"tcm/home_{role or 'none'}.html"
    return render(request, template, context)


def _summary(user, today) -> dict:
    """The landing counts, cached for SUMMARY_SECONDS per scope (role and program).

    They count every person of a program, or of the state for reviewers: at
    100,000 persons that is most of a landing request (bench/EXPLAIN.md), and
    an overview a minute old is as useful as a fresh one.
    """
    key = f"tcm:home-summary:{user.role}:{user.regional_program_id}:{user.is_superuser}:{today}"
    summary = cache.get(key)
    if summary is None:
        persons = Person.objects.visible_to(user)
        summary = {
            "person_count": persons.count(),
            "open_count": persons.with_open_episode_on(today).count(),
            "closed_this_year": CaseEpisode.objects.visible_to(user)
            .filter(closed_on__year=today.year)
            .count(),
        }
        if user.role == Role.DMH_REVIEWER or user.is_superuser:
            summary["regions"] = list(
                RegionalProgram.objects.annotate(person_count=Count("persons", distinct=True))
            )
        cache.set(key, summary, SUMMARY_SECONDS)
    return summary


STAFF_PER_PAGE = 25  # a program may have 200 case managers at state scale


def program_staff(user, today, page_number=None):
    """A page of the case managers of the user's program, with caseload and today's
    qualification verdict (the page's `object_list` holds (manager, verdict) pairs).

    The caseload is a correlated count, so PostgreSQL counts the persons of the page's
    managers only, after the limit, rather than grouping every person of the program.
    """
    caseload = (
        Person.objects.filter(case_manager=OuterRef("pk"))
        .order_by()
        .values("case_manager")
        .annotate(size=Count("pk"))
        .values("size")
    )
    managers = (
        User.objects.case_managers_of(user.regional_program_id)
        .annotate(caseload_size=Coalesce(Subquery(caseload), 0))
        .prefetch_related("qualifications")
    )
    page = Paginator(managers, STAFF_PER_PAGE).get_page(page_number)
    page.object_list = [(manager, manager.qualification_on(today)) for manager in page]
    return page

"""Pages of compliance: the worklist, the supervisor dashboard, findings and their CSV.

Findings are reached through `Finding.objects.visible_to(user)` (out of scope
is a 404); acknowledging and "evaluate now" go through compliance.services.
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from compliance import selectors, services
from compliance.dashboard import rendered_rate_tables
from compliance.forms import AcknowledgeForm, FindingFilterForm
from compliance.models import Finding
from people.audit import log_access, log_export
from tcm import versions
from tcm.decorators import role_required
from tcm.page_cache import CachedBody
from tcm.roles import Role

PAGE_SIZE = 50
READERS = (Role.CASE_MANAGER, Role.SUPERVISOR)


WORKLIST_SECTIONS = ("overdue", "due_this_month", "due_later")
WORKLIST_PAGE_SIZE = 25


@require_GET
@role_required(Role.CASE_MANAGER)
def worklist(request):
    """What the case manager should do next, soonest first, and what is already late.

    Each section shows a page of its rows (`?overdue=2` is the second page of the
    overdue findings): a caseload of 100 persons can owe 150 findings and 200
    items, and rendering them all was most of the page's time. The body is cached
    until a record of the caseload changes (tcm.page_cache).
    """
    scopes = (versions.caseload_scope(request.user.pk), versions.RECORDS)
    body = CachedBody(request, scopes).render(lambda extra: _worklist_body(request, extra))
    return render(request, "compliance/worklist.html", {"body": body})


def _worklist_body(request, extra: dict) -> str:
    today = timezone.localdate()
    context = {"today": today, **selectors.worklist(request.user, today), **extra}
    for section in WORKLIST_SECTIONS:
        context[section] = _section_page(request, section, context[section])
    return render_to_string("compliance/_worklist_body.html", context, request=request)


def _section_page(request, section: str, rows):
    """One page of a worklist section, with the URLs of its neighbours (other sections kept)."""
    page = Paginator(rows, WORKLIST_PAGE_SIZE).get_page(request.GET.get(section))
    previous = page.previous_page_number() if page.has_previous() else None
    page.previous_url = _section_url(request, section, previous)
    page.next_url = _section_url(
        request, section, page.next_page_number() if page.has_next() else None
    )
    return page


def _section_url(request, section: str, number: int | None) -> str:
    if number is None:
        return ""
    query = request.GET.copy()
    query[section] = number
    return f"?{query.urlencode()}"


@require_GET
@role_required(Role.SUPERVISOR)
def dashboard(request):
    """The program's compliance rates per rule, case manager and period, with drill-down.

    Its body is cached (tcm.page_cache) under the shared records' version, which
    every evaluation run and every renamed case manager bumps, and the program's
    staffing (a person moved in or out changes its open findings). Acknowledging
    a finding keeps it open, so the counts shown do not change with it.
    """
    scopes = (versions.RECORDS, versions.staffing_scope(request.user.regional_program_id))
    body = CachedBody(request, scopes).render(lambda extra: _dashboard_body(request, extra))
    return render(request, "compliance/dashboard.html", {"body": body})


def _dashboard_body(request, extra: dict) -> str:
    context = selectors.dashboard(request.user, request.GET.get("page"))
    managers = dict(context["page"].object_list)
    context["rate_tables"] = rendered_rate_tables(request.user, context["run"], managers)
    return render_to_string(
        "compliance/_dashboard_body.html", {**context, **extra}, request=request
    )


@require_POST
@role_required(Role.SUPERVISOR)
def evaluate_now(request):
    services.request_evaluation(actor=request.user)
    messages.success(request, "Compliance evaluation queued; refresh in a minute for new results.")
    return redirect("compliance:dashboard")


def _filtered_findings(request):
    form = FindingFilterForm(request.GET, user=request.user)
    findings = form.filter(Finding.objects.visible_to(request.user).for_page())
    return form, findings.order_by("-period_end", "rule", "person__last_name", "pk")


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def finding_list(request):
    form, findings = _filtered_findings(request)
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "compliance/finding_list.html", context)


CSV_COLUMNS = [
    "id",
    "person",
    "medicaid_id",
    "case_manager",
    "rule",
    "period_start",
    "period_end",
    "due_date",
    "status",
    "detected_at",
    "resolved_at",
    "acknowledged_by",
    "acknowledged_at",
    "explanation",
]


def csv_safe(value) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ is prefixed with '."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def finding_csv(request):
    _, findings = _filtered_findings(request)
    log_export(request, findings.values_list("person_id", flat=True), "compliance:finding-csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="findings.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for finding in findings.iterator(chunk_size=2000):
        writer.writerow(
            csv_safe(value)
            for value in (
                finding.pk,
                finding.person,
                finding.person.medicaid_id,
                finding.person.case_manager,
                finding.rule,
                finding.period_start,
                finding.period_end,
                finding.due_date,
                finding.status,
                finding.detected_at.isoformat(),
                finding.resolved_at.isoformat() if finding.resolved_at else "",
                finding.acknowledged_by or "",
                finding.acknowledged_at.isoformat() if finding.acknowledged_at else "",
                finding.explanation,
            )
        )
    return response


def _visible_finding(request, pk) -> Finding:
    return get_object_or_404(Finding.objects.visible_to(request.user).for_page(), pk=pk)


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def finding_detail(request, pk):
    finding = _visible_finding(request, pk)
    log_access(request, finding.person, "finding-detail")
    return _detail_page(request, finding, AcknowledgeForm())


def _detail_page(request, finding, form, status=200):
    context = {
        "finding": finding,
        "form": form,
        "can_acknowledge": request.user.role == Role.SUPERVISOR and not finding.is_acknowledged,
    }
    return render(request, "compliance/finding_detail.html", context, status=status)


@require_POST
@role_required(Role.SUPERVISOR)
def finding_ack(request, pk):
    finding = _visible_finding(request, pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.acknowledge_finding(
                finding=finding, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Finding acknowledged.")
            return redirect("compliance:finding-detail", pk=finding.pk)
    return _detail_page(request, finding, form, status=400)

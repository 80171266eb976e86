"""Pages of billing: runs, generation with progress, run review, bills, finalize, downloads.

Reimbursement officers generate and finalize; supervisors of the program
read; DMH reviewers read everything; case managers get 403. Runs and bills
outside the user's program are 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from billing import selectors, services
from billing.claims import build_837p, claim_bills
from billing.exports import run_csv
from billing.forms import FinalizeForm, GenerateForm
from billing.models import Bill, BillingRun
from billing.statements import statement_pdf
from people.audit import log_access, log_export
from tcm import versions
from tcm.decorators import role_required
from tcm.page_cache import CachedBody
from tcm.roles import Role
from tcm.views import program_staff

OFFICER = Role.REIMBURSEMENT_OFFICER
READERS = (Role.REIMBURSEMENT_OFFICER, Role.SUPERVISOR)


def _run(request, pk) -> BillingRun:
    runs = BillingRun.objects.visible_to(request.user).select_related("regional_program")
    return get_object_or_404(runs, pk=pk)


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def run_list(request):
    """The officer's landing: the runs and a page of the program's case managers.

    Its body is cached (tcm.page_cache) under the shared records' version (runs,
    staff, qualifications, roles) and the program's staffing (a person added,
    moved or reassigned changes a caseload count): at state scale the staff page
    was 25 ms of ORM per view.
    """
    scopes = (versions.RECORDS, versions.staffing_scope(request.user.regional_program_id))
    body = CachedBody(request, scopes).render(lambda extra: _run_list_body(request, extra))
    return render(request, "billing/run_list.html", {"body": body})


def _run_list_body(request, extra: dict, form=None) -> str:
    context = {
        "runs": selectors.runs_for(request.user),
        "form": form or GenerateForm(),
        "can_generate": request.user.role == OFFICER,
        # Unqualified staff explain most excluded time, so officers see them here.
        "staff": program_staff(request.user, timezone.localdate(), request.GET.get("staff")),
        **extra,
    }
    return render_to_string("billing/_run_list_body.html", context, request=request)


@require_http_methods(["POST"])
@role_required(OFFICER)
def run_generate(request):
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            run = services.start_generation(
                month=form.cleaned_data["month"],
                regional_program=request.user.regional_program,
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return redirect("billing:run-detail", pk=run.pk)
    body = _run_list_body(request, {}, form)  # the posted form and its errors: never cached
    return render(request, "billing/run_list.html", {"body": body}, status=400)


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def run_detail(request, pk):
    run = _run(request, pk)
    if request.htmx and request.GET.get("progress"):
        response = render(request, "billing/_run_progress.html", {"run": run})
        if run.status != BillingRun.Status.GENERATING:
            response["HX-Refresh"] = "true"  # done: reload to show the bills
        return response
    context = {
        "run": run,
        "totals": selectors.totals_by_payer(run),
        "bills": selectors.run_bills(run),
        "excluded": selectors.run_excluded(run),
        "can_finalize": request.user.role == OFFICER and run.status == BillingRun.Status.DRAFT,
    }
    return render(request, "billing/run_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def run_finalize(request, pk):
    run = _run(request, pk)
    form = FinalizeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finalize_run(run=run, actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{run} is finalized; its time is frozen.")
            return redirect("billing:run-detail", pk=run.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "billing/run_finalize.html", {"run": run, "form": form}, status=status)


def _download(content, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _run_filename(run: BillingRun, extension: str) -> str:
    return f"bills-{run.regional_program.code}-{run.month:%Y-%m}-{run.kind}-{run.pk}.{extension}"


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def run_csv_download(request, pk):
    run = _run(request, pk)
    log_export(request, run.bills.values_list("person_id", flat=True), "billing:run-csv")
    return _download(run_csv(run), _run_filename(run, "csv"), "text/csv; charset=utf-8")


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def run_837p_download(request, pk):
    run = _run(request, pk)
    bills = list(claim_bills(run))
    text = build_837p(run, bills)
    if text is None:
        raise Http404("This run has no Medicaid or insurance claims.")
    log_export(request, (bill.person_id for bill in bills), "billing:run-837p")
    return _download(text, _run_filename(run, "837p.txt"), "text/plain; charset=utf-8")


def _bill(request, pk) -> Bill:
    return get_object_or_404(selectors.bills_with_lines(request.user), pk=pk)


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def bill_detail(request, pk):
    bill = _bill(request, pk)
    log_access(request, bill.person, "billing:bill-detail")
    return render(request, "billing/bill_detail.html", {"bill": bill, "run": bill.run})


@require_GET
@role_required(*READERS, reviewers_may_read=True)
def bill_pdf(request, pk):
    bill = _bill(request, pk)
    if bill.payer_type != Bill.PayerType.SELF_PAY:
        raise Http404("Statements are for self-pay bills; claims go in the 837P file.")
    log_access(request, bill.person, "billing:bill-pdf")
    filename = f"statement-{bill.month:%Y-%m}-{bill.pk}.pdf"
    return _download(statement_pdf(bill), filename, "application/pdf")

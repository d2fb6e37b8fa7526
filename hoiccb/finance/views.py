"""Pages of dues, funds and visits: thin views over forms, services and selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.activities.models import Activity, Gift
from hoiccb.finance import access, dues, forms, fund_docs, receipts, selectors, services
from hoiccb.lib import paging
from hoiccb.lib.forms import today
from hoiccb.lib.views import submit
from hoiccb.org.paths import subtree_filter

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RECEIPTS_CAP = 2000  # receipts in one PDF


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _dues_url(unit, year) -> str:
    return reverse("finance:dues") + "?" + urlencode({"don_vi": unit.pk, "nam": year})


def _unit_year(request):
    form = forms.UnitYearForm(request.GET or request.POST or None, user=request.user)
    unit, year = form.unit_and_year()
    if unit is None:
        raise Http404("Không tìm thấy.")
    return form, unit, year


# --- Dues ------------------------------------------------------------------------------------


def dues_index(request):
    """A unit's dues for a year: totals by child unit, then the members with a pay button each."""
    form, unit, year = _unit_year(request)
    rate = dues.rate_for(year)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "rate": rate,
        "can_manage": access.can_manage(request.user, unit),
    }
    if rate is not None:
        context["rollup"], context["total"] = selectors.dues_rollup(unit, year, rate)
        context["rows"] = selectors.dues_sheet(unit, year, rate)
        context["cap"] = selectors.SHEET_CAP
        context["pay_form"] = forms.PayForm(initial={"collected_by": request.user.get_full_name() or ""})
    return render(request, "finance/dues.html", context)


@require_POST
def dues_pay(request):
    """Pay the ticked members (`hv`), or with `tat_ca` every member of the unit who owes."""
    _form, unit, year = _unit_year(request)
    form = forms.PayForm(request.POST)
    every = bool(request.POST.get("tat_ca"))
    ids = [int(v) for v in request.POST.getlist("hv") if v.isdigit()]
    if not every and not ids:
        messages.error(request, "Chọn hội viên đã nộp, hoặc bấm «Thu cả danh sách».")
        return redirect(_dues_url(unit, year))
    submit(
        request,
        form,
        lambda data: services.dues_pay_many(
            actor=request.user,
            unit=unit,
            year=year,
            member_ids=None if every else ids,
            paid_on=data["paid_on"],
            collected_by=data["collected_by"],
        ),
        done=lambda n: f"Đã ghi {n} hội viên nộp hội phí năm {year}." if n else "Không có hội viên nào cần ghi thêm.",
        flash_errors=True,
    )
    return redirect(_dues_url(unit, year))


def receipt_download(request, pk: int, fmt: str):
    payment = scoping.get_or_404(access.payments(request.user).select_related("unit__parent"), pk=pk)
    name = f"phieu-thu-{payment.year}-{payment.receipt_no:04d}"
    if fmt == "docx":
        return _attachment(receipts.receipt_docx(payment), f"{name}.docx", DOCX_TYPE)
    return _attachment(receipts.receipts_pdf([payment]), f"{name}.pdf", "application/pdf")


def receipts_print(request):
    """Every receipt of the unit subtree for the year (or those paid on `ngay`) as one PDF."""
    _form, unit, year = _unit_year(request)
    payments = (
        access.payments(request.user)
        .filter(year=year, **subtree_filter("unit_path", unit.path))
        .select_related("unit__parent")
        .order_by("unit_path", "receipt_no")
    )
    if not payments.exists():
        messages.error(request, f"Chưa có phiếu thu hội phí năm {year} nào để in.")
        return redirect(_dues_url(unit, year))
    content = receipts.receipts_pdf(list(payments[:RECEIPTS_CAP]))
    return _attachment(content, f"phieu-thu-hoi-phi-{year}.pdf", "application/pdf")


@require_http_methods(["GET", "POST"])
def dues_statement(request):
    """What the unit collected, each upper level's share, what it has passed up; record a remittance."""
    _form, unit, year = _unit_year(request)
    if not scoping.unit_in_scope(request.user, unit):
        raise Http404("Không tìm thấy.")
    remit = forms.RemittanceForm(request.POST or None, unit=unit)
    if submit(
        request,
        remit,
        lambda data: services.remittance_record(actor=request.user, unit=unit, year=year, **data),
        done="Đã ghi khoản nộp cấp trên.",
    ):
        return redirect(reverse("finance:statement") + "?" + urlencode({"don_vi": unit.pk, "nam": year}))
    context = {
        "unit": unit,
        "year": year,
        "statement": selectors.dues_statement(unit, year),
        "remit_form": remit,
        "can_manage": access.can_manage(request.user, unit),
    }
    return render(request, "finance/statement.html", context)


# --- Funds ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def fund_list(request):
    on = today()
    form = forms.FundForm(request.POST or None, user=request.user)
    fund = submit(
        request,
        form,
        lambda data: services.fund_create(actor=request.user, unit=data["unit"], name=data["name"], kind=data["kind"]),
        done="Đã lập quỹ.",
    )
    if fund:
        return redirect("finance:fund", pk=fund.pk)
    context = {
        "funds": selectors.funds_with_balance(request.user, on),
        "on": on,
        "form": form,
        "can_manage": scoping.can(request.user, "manage_finance"),
    }
    return render(request, "finance/funds.html", context)


def _fund_or_404(request, pk: int):
    return scoping.get_or_404(access.funds(request.user).select_related("unit"), pk=pk)


def _entry_form(request, fund, data=None):
    scope = subtree_filter("unit_path", fund.unit_path)
    return forms.EntryForm(
        data,
        gifts=Gift.objects.filter(**scope).order_by("-given_on")[:500]
        if data is None
        else Gift.objects.filter(**scope),
        activities=Activity.objects.filter(**scope).order_by("-start_date")[:500]
        if data is None
        else Activity.objects.filter(**scope),
    )


@require_http_methods(["GET", "POST"])
def fund_detail(request, pk: int):
    fund = _fund_or_404(request, pk)
    period = forms.PeriodForm(request.GET or None)
    start, end = period.period()
    entry_form = _entry_form(request, fund, request.POST or None)
    if submit(
        request,
        entry_form,
        lambda data: services.fund_entry_add(actor=request.user, fund=fund, **data),
        done="Đã ghi vào sổ quỹ.",
    ):
        return redirect("finance:fund", pk=fund.pk)
    context = {
        "fund": fund,
        "period": period,
        "statement": selectors.fund_statement(fund, start, end),
        "balance_today": services.fund_balance(fund, today()),
        "entry_form": entry_form,
        "reverse_form": forms.ReverseForm(),
        "can_manage": access.can_manage(request.user, fund.unit),
        "query": urlencode({"tu": f"{start:%d/%m/%Y}", "den": f"{end:%d/%m/%Y}"}),
    }
    return render(request, "finance/fund.html", context)


@require_POST
def fund_entry_reverse(request, pk: int):
    entry = scoping.get_or_404(access.fund_entries(request.user).select_related("fund"), pk=pk)
    form = forms.ReverseForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.fund_entry_reverse(actor=request.user, entry=entry, **data),
        done="Đã ghi bút toán đảo.",
        flash_errors=True,
    )
    return redirect("finance:fund", pk=entry.fund_id)


def fund_export(request, pk: int, fmt: str):
    fund = _fund_or_404(request, pk)
    start, end = forms.PeriodForm(request.GET or None).period()
    statement = selectors.fund_statement(fund, start, end)
    if fmt == "xlsx":
        return fund_docs.statement_xlsx(statement)
    return _attachment(fund_docs.statement_docx(statement), f"so-quy-{end:%Y%m%d}.docx", DOCX_TYPE)


# --- Visits ---------------------------------------------------------------------------------


def visit_list(request):
    tasks = paging.offset_page(request, access.visit_tasks(request.user).select_related("member", "unit"), noun="việc")
    return render(request, "finance/visits.html", {"tasks": tasks, "today": today()})


@require_POST
def visit_done(request, pk: int):
    task = scoping.get_or_404(access.visit_tasks(request.user).select_related("member", "unit"), pk=pk)
    submit(
        request,
        None,
        lambda _data: services.visit_done(actor=request.user, task=task, on=today()),
        done="Đã ghi nhận thăm viếng.",
    )
    return redirect("finance:visits")

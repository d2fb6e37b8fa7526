"""Pages of periodic reports: thin views over forms, services, selectors and documents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib import paging
from hoiccb.lib.pdf_jobs import pdf_view
from hoiccb.lib.replica import reads_from_replica
from hoiccb.lib.views import submit
from hoiccb.org.models import Unit
from hoiccb.reports import documents, forms, rollup, selectors, services
from hoiccb.reports.figures import catalogue
from hoiccb.reports.models import UnitReport


def _report_or_404(request, pk: int) -> UnitReport:
    return scoping.get_or_404(selectors.reports(request.user), pk=pk)


def _period_or_404(pk: int):
    return scoping.get_or_404(selectors.periods(), pk=pk)


def period_list(request):
    root = scoping.root_unit(request.user)
    if root is None:
        raise Http404("Không tìm thấy.")
    page = paging.offset_page(request, selectors.periods(), noun="kỳ báo cáo")
    periods = page.rows
    own = selectors.own_reports(root, periods)
    # Each unit sees its own deadline (its level's), not the period's general one.
    exceptions = selectors.own_exceptions(root, periods)
    rows = [(p, own.get(p.pk), p.deadline_for(root), exceptions.get(p.pk)) for p in periods]
    return render(
        request,
        "reports/periods.html",
        {
            "rows": rows,
            "page": page,
            "can_manage": scoping.can(request.user, "manage_periods"),
            "root": root,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def period_create(request):
    scoping.require(request.user, "manage_periods")
    form = forms.PeriodForm(request.POST or None)
    period = submit(
        request,
        form,
        lambda data: services.period_create(
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            start=data["start"],
            end=data["end"],
            title=data["title"],
            deadline=data["deadline"],
            level_deadlines=form.level_deadlines(),
            locks_on=data["locks_on"],
        ),
        done="Đã mở kỳ báo cáo.",
    )
    if period is not None:
        return redirect("reports:period", period.pk)
    return render(request, "reports/period_form.html", {"form": form})


def _focus_unit(request) -> Unit:
    """The unit whose children the page shows: the user's own, or one below it (?don_vi=)."""
    root = scoping.root_unit(request.user)
    if root is None:
        raise Http404("Không tìm thấy.")
    pk = request.GET.get("don_vi")
    if pk:
        return scoping.get_or_404(scoping.units(request.user).select_related("kind"), pk=pk)
    return root


@reads_from_replica
def period_detail(request, pk: int):
    period = _period_or_404(pk)
    unit = _focus_unit(request)
    own = selectors.reports(request.user).filter(period=period, unit=unit).first()
    context = {
        "period": period,
        "unit": unit,
        "own": own,
        "deadline": period.deadline_for(unit),
        "locked": services.locked_for(period, unit),
        "exception": services.exception_for(period, unit),
        "may_write": scoping.can(request.user, "submit_reports"),
        "is_rollup": services.is_rollup_unit(unit),
    }
    if context["is_rollup"]:
        context["completeness"] = rollup.completeness(period, unit)
        if period.locks_on and unit.pk == request.user.unit_id and scoping.can(request.user, "review_reports"):
            context["exception_form"] = forms.ExceptionForm(units=unit.children.order_by("path"))
    return render(request, "reports/period_detail.html", context)


@require_POST
def exception_grant(request):
    """The level above lets one of its units report after the period ?ky= has locked (the period is shared)."""
    period = _period_param(request, request.POST)
    root = _focus_unit(request)
    form = forms.ExceptionForm(request.POST, units=root.children.all())
    submit(
        request,
        form,
        lambda data: services.exception_grant(
            actor=request.user, period=period, unit=data["unit"], until=data["until"], reason=data["reason"]
        ),
        done=lambda e: f"Đã cho phép {e.unit} nộp báo cáo đến ngày {e.until:%d/%m/%Y}.",
        flash_errors=True,
    )
    return redirect("reports:period", period.pk)


def _period_param(request, source):
    try:
        return _period_or_404(int(source.get("ky", "")))
    except ValueError:
        raise Http404("Không tìm thấy.") from None


@require_POST
def report_start(request):
    """Open (creating if needed) the report of the user's unit, or of ?don_vi=, for the period ?ky=."""
    period = _period_param(request, request.POST)
    unit = _focus_unit(request)
    # Not `submit`: a unit outside the user's reach must look absent (404), not refused with a message.
    try:
        report = services.report_open(actor=request.user, period=period, unit=unit)
    except PermissionDenied:
        raise Http404("Không tìm thấy.") from None
    return redirect("reports:detail", report.pk)


def report_detail(request, pk: int):
    report = _report_or_404(request, pk)
    may_write = scoping.can(request.user, "submit_reports") and not report.is_frozen
    broken = selectors.violations(report)
    context = {
        "report": report,
        "violations": broken,
        "broken_codes": set().union(*(v.codes for v in broken)),
        "locked": services.locked_for(report.period, report.unit),
        "sections": selectors.figure_sections(report),
        "texts": [(f.verbose_name, getattr(report, f.name)) for f in _text_fields()],
        "may_write": may_write,
        "may_review": services.may_review(request.user, report) and report.state == "submitted",
        "may_reopen": services.may_review(request.user, report) and report.state == "accepted",
        "return_form": forms.ReturnForm(),
        "events": report.events.select_related("actor")[:20],
    }
    if report.is_rollup:
        context["completeness"] = rollup.completeness(report.period, report.unit)
    return render(request, "reports/detail.html", context)


def _text_fields():
    names = ("building", "propaganda", "movement", "welfare", "inspection", "shortcomings", "plan")
    return [UnitReport._meta.get_field(n) for n in names]


@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = _report_or_404(request, pk)
    scoping.require(request.user, "submit_reports")
    if report.is_frozen:
        messages.warning(request, "Báo cáo đã nộp, không sửa được nữa.")
        return redirect("reports:detail", report.pk)
    locked = services.locked_for(report.period, report.unit)
    if locked:
        messages.warning(request, locked)
        return redirect("reports:detail", report.pk)
    form = forms.ReportForm(request.POST or None, report=report, catalogue=catalogue())

    def save(data):
        header, texts, edited = form.parts()
        return services.report_update(
            actor=request.user,
            report=report,
            expected_version=data["version"],
            header=header,
            texts=texts,
            edited=edited,
        )

    saved = submit(request, form, save, done=None)
    if saved is not None:
        broken = selectors.violations(saved)
        if not broken:
            messages.success(request, "Đã lưu báo cáo.")
            return redirect("reports:detail", saved.pk)
        # Saved, but the figures contradict each other: back to the form, which names the rules.
        messages.warning(request, f"Đã lưu, nhưng số liệu chưa khớp ({len(broken)} lỗi): chưa nộp được.")
        return redirect("reports:edit", saved.pk)
    broken = selectors.violations(report)
    return render(
        request,
        "reports/edit.html",
        {"report": report, "form": form, "violations": broken, "broken_codes": set().union(*(v.codes for v in broken))},
    )


@require_POST
def report_refresh(request, pk: int):
    report = _report_or_404(request, pk)
    submit(
        request,
        None,
        lambda _: services.report_refresh(actor=request.user, report=report),
        done="Đã tính lại số liệu từ dữ liệu.",
    )
    return redirect("reports:detail", report.pk)


@require_POST
def report_submit(request, pk: int):
    report = _report_or_404(request, pk)
    submit(
        request,
        None,
        lambda _: services.report_submit(actor=request.user, report=report),
        done="Đã nộp báo cáo lên cấp trên.",
    )
    return redirect("reports:detail", report.pk)


@require_POST
def report_accept(request, pk: int):
    report = _report_or_404(request, pk)
    submit(request, None, lambda _: services.report_accept(actor=request.user, report=report), done="Đã duyệt báo cáo.")
    return redirect("reports:detail", report.pk)


@require_POST
def report_return(request, pk: int):
    report = _report_or_404(request, pk)
    submit(
        request,
        forms.ReturnForm(request.POST),
        lambda data: services.report_return(actor=request.user, report=report, comment=data["comment"]),
        done="Đã trả lại báo cáo.",
        flash_errors=True,
    )
    return redirect("reports:detail", report.pk)


def _printable_or_back(request, report: UnitReport):
    """A stale roll-up is not printed: its figures lag behind the reports it sums."""
    if not report.stale:
        return None
    messages.error(
        request,
        "Số liệu tổng hợp đã cũ (một báo cáo cấp dưới đã thay đổi sau khi nộp): không in được. "
        "Tính lại số liệu (báo cáo đã nộp thì cấp trên trả lại trước) rồi in.",
    )
    return redirect("reports:detail", report.pk)


def report_docx(request, pk: int):
    report = _report_or_404(request, pk)
    if (back := _printable_or_back(request, report)) is not None:
        return back
    content = documents.report_docx(report)
    name = f"bao-cao-{report.period.start:%Y%m}-{report.unit.code}.docx"
    return FileResponse(content, as_attachment=True, filename=name, content_type=documents.DOCX_TYPE)


def report_pdf(request, pk: int):
    """The report as PDF, converted from the same DOCX (in the background when it takes a while)."""
    report = _report_or_404(request, pk)
    if (back := _printable_or_back(request, report)) is not None:
        return back
    return pdf_view(
        request,
        documents.report_docx(report).getvalue(),
        f"bao-cao-{report.period.start:%Y%m}-{report.unit.code}.pdf",
        title=f"Báo cáo {report.period.name} – {report.unit.name}",
        back=reverse("reports:detail", args=[report.pk]),
    )


@reads_from_replica
def period_annex(request):
    period = _period_param(request, request.GET)
    unit = _focus_unit(request)
    file, _ = documents.annex_xlsx(request.user, period, unit)
    name = f"phu-luc-{period.start:%Y%m}-{unit.code}.xlsx"
    return FileResponse(file, as_attachment=True, filename=name, content_type=documents.XLSX_TYPE)


def rules(request):
    """The checks every report passes, the ones an administrator added, and the figure codes they use."""
    return render(
        request,
        "reports/rules.html",
        {"rules": selectors.rules(), "figures": catalogue(), "is_admin": request.user.is_staff},
    )


@reads_from_replica
def dashboard(request):
    from hoiccb.reports import dashboard as charts

    unit = _focus_unit(request)
    data = charts.build(request.user, unit)
    wanted = request.GET.get("xlsx")
    if wanted:
        chart = data.get(wanted)
        if chart is None:
            raise Http404("Không tìm thấy.")
        file = charts.chart_xlsx(chart, unit)
        return FileResponse(file, as_attachment=True, filename=f"{wanted}.xlsx", content_type=documents.XLSX_TYPE)
    return render(request, "reports/dashboard.html", {"unit": unit, "charts": list(data.values())})


@require_POST
def remind_late(request):
    """Mail every unit below the user's whose report for the period ?ky= is overdue (the period is shared)."""
    period = _period_param(request, request.POST)
    submit(
        request,
        None,
        lambda _: services.remind_late_units(actor=request.user, period=period),
        done=lambda n: f"Đã gửi nhắc nộp báo cáo tới {n} đơn vị.",
    )
    if request.POST.get("next") == "home":
        return redirect("home")
    return redirect("reports:period", period.pk)

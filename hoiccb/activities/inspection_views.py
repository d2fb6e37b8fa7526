"""Pages of inspection and supervision: plans, delegation, findings, recommendations and their follow-up."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.activities import excel, forms, inspection_docs, inspection_selectors, selectors, services
from hoiccb.activities.models import InspectionPlan, InspectionRecord
from hoiccb.activities.views import may_record
from hoiccb.lib import paging
from hoiccb.lib.forms import today
from hoiccb.lib.pdf import download
from hoiccb.lib.pdf_jobs import pdf_view
from hoiccb.lib.views import submit


def _plan_or_404(request, pk: int) -> InspectionPlan:
    return scoping.get_or_404(selectors.plans(request.user).select_related("unit"), pk=pk)


def _record_or_404(request, pk: int) -> InspectionRecord:
    return scoping.get_or_404(
        selectors.records(request.user).select_related("plan", "plan__unit", "unit").distinct(), pk=pk
    )


def inspection_list(request):
    now = today()
    overdue = [
        (rec, (now - rec.due_date).days)
        for rec in inspection_selectors.overdue_recommendations(request.user, on=now)[:100]
    ]
    context = {
        "plans": paging.offset_page(request, inspection_selectors.plan_list(request.user), noun="kế hoạch"),
        "overdue": overdue,
        "inspected": inspection_selectors.inspected_records(request.user)[:50],
        "today": today(),
    }
    return render(request, "activities/inspections.html", context)


def record_conclusion(request, pk: int, fmt: str):
    """KẾT LUẬN KIỂM TRA of one inspected unit, in Word or PDF, for signing."""
    record = _record_or_404(request, pk)
    docx = inspection_docs.conclusion_docx(record)
    if fmt == "pdf":
        return pdf_view(
            request,
            docx,
            f"ket-luan-kiem-tra-{record.pk}.pdf",
            title=f"Kết luận kiểm tra {record.unit.name}",
            back=reverse("activities:record_detail", args=[record.pk]),
        )
    return download(docx, f"ket-luan-kiem-tra-{record.pk}")


@require_http_methods(["GET", "POST"])
def plan_create(request):
    scoping.require(request.user, "record_activities")
    form = forms.PlanForm(request.POST or None, user=request.user)
    plan = submit(
        request,
        form,
        lambda data: services.plan_create(actor=request.user, **data),
        done="Đã lập kế hoạch kiểm tra.",
    )
    if plan:
        return redirect("activities:plan_detail", pk=plan.pk)
    return render(request, "activities/plan_form.html", {"form": form})


def plan_detail(request, pk: int):
    plan = _plan_or_404(request, pk)
    can_record = may_record(request, plan.unit)
    records = list(plan.records.select_related("unit").prefetch_related("recommendations"))
    context = {
        "plan": plan,
        "can_record": can_record,
        "delegates": plan.delegates.select_related("member"),
        "records": records,
        "delegate_form": forms.DelegateForm(user=request.user, plan=plan) if can_record else None,
        "today": today(),
        "history": plan.events.select_related("actor")[:20],
    }
    return render(request, "activities/plan_detail.html", context)


@require_POST
def delegate_add(request, pk: int):
    plan = _plan_or_404(request, pk)
    if not may_record(request, plan.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        forms.DelegateForm(request.POST, user=request.user, plan=plan),
        lambda data: services.delegate_add(actor=request.user, plan=plan, **data),
        done="Đã thêm vào đoàn.",
        flash_errors=True,
    )
    return redirect("activities:plan_detail", pk=plan.pk)


def record_detail(request, pk: int):
    record = _record_or_404(request, pk)
    inspecting = may_record(request, record.plan.unit)
    recs = list(record.recommendations.prefetch_related("follow_ups__actor"))
    context = {
        "record": record,
        "plan": record.plan,
        "inspecting": inspecting,
        "recommendations": recs,
        "follow_up_allowed": {r.pk for r in recs if services.can_follow_up(request.user, r)},
        "recommendation_form": forms.RecommendationForm() if inspecting else None,
        "today": today(),
        "show_plan_link": scoping.unit_in_scope(request.user, record.plan.unit),
    }
    return render(request, "activities/record_detail.html", context)


@require_http_methods(["GET", "POST"])
def record_edit(request, pk: int):
    record = _record_or_404(request, pk)
    if not may_record(request, record.plan.unit):
        raise Http404("Không tìm thấy.")
    initial = {name: getattr(record, name) for name in services.RECORD_FIELDS}
    form = forms.RecordForm(request.POST or None, initial=initial)
    if submit(
        request,
        form,
        lambda data: services.record_update(actor=request.user, record=record, **data),
        done="Đã lưu kết quả kiểm tra.",
    ):
        return redirect("activities:record_detail", pk=record.pk)
    return render(request, "activities/record_form.html", {"form": form, "record": record})


@require_POST
def recommendation_add(request, pk: int):
    record = _record_or_404(request, pk)
    if not may_record(request, record.plan.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        forms.RecommendationForm(request.POST),
        lambda data: services.recommendation_add(actor=request.user, record=record, **data),
        done="Đã thêm kiến nghị.",
        flash_errors=True,
    )
    return redirect("activities:record_detail", pk=record.pk)


@require_http_methods(["GET", "POST"])
def recommendation_follow_up(request, pk: int):
    rec = scoping.get_or_404(
        selectors.recommendations(request.user).select_related("record__unit", "record__plan__unit").distinct(), pk=pk
    )
    if not services.can_follow_up(request.user, rec):
        raise Http404("Không tìm thấy.")
    form = forms.FollowUpForm(request.POST or None, recommendation=rec, may_close=services.can_close(request.user, rec))
    if submit(
        request,
        form,
        lambda data: services.follow_up(actor=request.user, recommendation=rec, **data),
        done="Đã ghi kết quả theo dõi.",
    ):
        return redirect("activities:record_detail", pk=rec.record_id)
    return render(
        request,
        "activities/follow_up.html",
        {"form": form, "rec": rec, "steps": rec.follow_ups.select_related("actor"), "today": today()},
    )


def recommendation_export(request):
    rows = inspection_selectors.export_recommendations(request.user)
    now = today()
    content = excel.workbook_bytes(
        title="Theo dõi thực hiện kiến nghị sau kiểm tra, giám sát",
        subtitle=f"Đến ngày {now:%d/%m/%Y}",
        unit_name=str(scoping.root_unit(request.user) or ""),
        columns=[
            excel.Column("Kế hoạch", 30),
            excel.Column("Đơn vị được kiểm tra", 28),
            excel.Column("Nội dung kiến nghị", 40),
            excel.Column("Người chịu trách nhiệm", 20),
            excel.Column("Hạn", 12, "date"),
            excel.Column("Tình trạng", 16),
            excel.Column("Ngày hoàn thành", 12, "date"),
            excel.Column("Kết quả, minh chứng", 36),
        ],
        rows=(
            (
                r.record.plan.title,
                r.record.unit.name,
                r.text,
                r.owner,
                r.due_date,
                r.get_status_display() + (" – quá hạn" if r.is_overdue(now) else ""),
                r.closed_on,
                r.evidence,
            )
            for r in rows
        ),
    )
    return excel.xlsx_response(content, f"kien-nghi-{now:%Y%m%d}.xlsx")

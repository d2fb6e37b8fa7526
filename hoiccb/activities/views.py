"""Pages of activities, gifts and inspections: thin views over forms, services and selectors."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.activities import excel, forms, selectors, services
from hoiccb.activities.models import Activity
from hoiccb.lib import paging
from hoiccb.lib.files import serve_upload
from hoiccb.lib.forms import today
from hoiccb.lib.replica import reads_from_replica
from hoiccb.lib.search import search_param
from hoiccb.lib.views import submit

PAGE_SIZE = 50


def _activity_or_404(request, pk: int) -> Activity:
    return scoping.get_or_404(selectors.activities(request.user).select_related("unit", "kind"), pk=pk)


def may_record(request, unit) -> bool:
    return scoping.can(request.user, "record_activities") and scoping.unit_in_scope(request.user, unit)


# --- Activities ------------------------------------------------------------------------------------


def activity_list(request):
    form = forms.ActivityFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    page = selectors.activity_page(request.user, filters, after=request.GET.get("sau", ""), size=PAGE_SIZE)
    total, exact = paging.capped_count(selectors.filtered_activities(request.user, filters))
    number = 1 if page.is_first else max(2, paging.page_number(request))
    context = {"form": form, "page": page, "position": paging.Position(number, total, exact, noun="hoạt động")}
    if request.headers.get("HX-Target") == "activity-results":
        return render(request, "activities/_rows.html", context)
    return render(request, "activities/list.html", context)


@reads_from_replica
def activity_export(request):
    form = forms.ActivityFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    rows = selectors.export_activities(request.user, filters)
    content = excel.workbook_bytes(
        title="Danh sách hoạt động",
        subtitle=filters.describe(),
        unit_name=str(scoping.root_unit(request.user) or ""),
        columns=[
            excel.Column("Ngày", 12, "date"),
            excel.Column("Đến ngày", 12, "date"),
            excel.Column("Loại hoạt động", 22),
            excel.Column("Tên hoạt động", 40),
            excel.Column("Đơn vị tổ chức", 28),
            excel.Column("Địa điểm", 22),
            excel.Column("Số người", 9, "int"),
            excel.Column("Kinh phí (đồng)", 15, "money"),
            excel.Column("Nguồn kinh phí", 18),
        ],
        rows=(
            (
                a.start_date,
                a.end_date,
                a.kind.name,
                a.title,
                a.unit.name,
                a.place,
                a.head_count,
                a.cost,
                a.get_funding_source_display(),
            )
            for a in rows
        ),
        note=f"Chỉ xuất {selectors.EXPORT_CAP:,} dòng đầu.".replace(",", ".")
        if len(rows) >= selectors.EXPORT_CAP
        else "",
    )
    return excel.xlsx_response(content, f"hoat-dong-{today():%Y%m%d}.xlsx")


def activity_calendar(request):
    form = forms.ActivityFilterForm(request.GET or None, user=request.user)
    year, month = forms.month_param(request.GET.get("thang", ""))
    weeks, truncated = selectors.month_calendar(request.user, form.to_filters(), year, month)
    prev_month = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
    next_month = f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"
    context = {
        "form": form,
        "weeks": weeks,
        "truncated": truncated,
        "year": year,
        "month": month,
        "prev_month": prev_month,
        "next_month": next_month,
        "today": today(),
        "cap": selectors.CALENDAR_CAP,
        "export_from": f"01/{month:02d}/{year}",
        "export_to": _month_end(year, month),
    }
    return render(request, "activities/calendar.html", context)


def _month_end(year: int, month: int) -> str:
    import calendar

    return f"{calendar.monthrange(year, month)[1]:02d}/{month:02d}/{year}"


@require_http_methods(["GET", "POST"])
def activity_create(request):
    scoping.require(request.user, "record_activities")
    form = forms.ActivityForm(request.POST or None, user=request.user, creating=True)
    activity = submit(
        request,
        form,
        lambda data: services.activity_create(
            actor=request.user,
            unit=data["unit"],
            co_organisers=data["co_organisers"],
            **form.service_fields(),
        ),
        done="Đã ghi hoạt động.",
    )
    if activity:
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _activity_or_404(request, pk)
    if not may_record(request, activity.unit):
        raise Http404("Không tìm thấy.")
    form = forms.ActivityForm(request.POST or None, instance=activity, user=request.user, creating=False)
    if request.method == "POST":
        # ModelForm validation writes the typed values into the instance; the service re-reads it.
        activity = Activity.objects.get(pk=activity.pk)
    done = submit(
        request,
        form,
        lambda data: services.activity_update(
            actor=request.user, activity=activity, co_organisers=data["co_organisers"], **form.service_fields()
        ),
        done="Đã lưu hoạt động.",
    )
    if done:
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


def activity_detail(request, pk: int):
    activity = _activity_or_404(request, pk)
    can_record = may_record(request, activity.unit)
    gifts = list(activity.gifts.select_related("member")) if activity.kind.has_gifts else []
    context = {
        "activity": activity,
        "can_record": can_record,
        "co_organisers": activity.co_organisers.all(),
        "participants": activity.participants.select_related("unit").order_by("sort_key", "id")[:500],
        "attachments": activity.attachments.all(),
        "gifts": gifts,
        "gift_total": sum(g.value for g in gifts),
        "duplicate_ids": selectors.duplicate_keys_in(gifts, request.user),
        "upload_form": forms.AttachmentUploadForm() if can_record else None,
        "gift_form": forms.GiftEntryForm(activity=activity) if can_record and activity.kind.has_gifts else None,
        "history": activity.events.select_related("actor")[:20],
    }
    return render(request, "activities/detail.html", context)


@require_POST
def activity_delete(request, pk: int):
    activity = _activity_or_404(request, pk)
    if not may_record(request, activity.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        None,
        lambda _: services.activity_delete(actor=request.user, activity=activity),
        done=f"Đã xóa hoạt động “{activity.title}”.",
    )
    return redirect("activities:list")


@require_http_methods(["GET", "POST"])
def activity_participants(request, pk: int):
    """Find members (in the organiser's subtree) by name and tick those who took part."""
    activity = _activity_or_404(request, pk)
    if not may_record(request, activity.unit):
        raise Http404("Không tìm thấy.")
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("member") if v.isdigit()]
        chosen = selectors.participant_candidates(request.user, activity).filter(pk__in=ids).select_related("unit")
        submit(
            request,
            None,
            lambda _: services.participants_add(actor=request.user, activity=activity, members=list(chosen)),
            done=lambda added: f"Đã thêm {added} người tham gia.",
        )
        return redirect("activities:detail", pk=activity.pk)
    form = forms.ParticipantSearchForm(request.GET or None)
    found = selectors.participant_search(request.user, activity, search_param(request))
    return render(request, "activities/participants.html", {"activity": activity, "form": form, "found": found})


@require_POST
def attachment_upload(request, pk: int):
    activity = _activity_or_404(request, pk)
    if not may_record(request, activity.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        forms.AttachmentUploadForm(request.POST, request.FILES),
        lambda data: services.attachment_add(
            actor=request.user, activity=activity, upload=data["file"], caption=data["caption"]
        ),
        done="Đã tải tệp lên.",
        flash_errors=True,
    )
    return redirect("activities:detail", pk=activity.pk)


def attachment_download(request, pk: int):
    """Serve a file only to users whose scope holds its activity; anything else is a 404."""
    attachment = scoping.get_or_404(selectors.attachments(request.user), pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy.") from None
    # Photos were re-encoded by the upload guard: only they are shown in the page.
    return serve_upload(
        handle,
        stored_name=attachment.file.name,
        filename=attachment.original_name,
        inline=attachment.kind == "photo" and "tai-ve" not in request.GET,
        cache="private, max-age=3600",
    )


@require_POST
def attachment_delete(request, pk: int):
    attachment = scoping.get_or_404(selectors.attachments(request.user).select_related("activity__unit"), pk=pk)
    activity = attachment.activity
    if not may_record(request, activity.unit):
        raise Http404("Không tìm thấy.")
    submit(
        request,
        None,
        lambda _: services.attachment_delete(actor=request.user, attachment=attachment),
        done="Đã xóa tệp.",
    )
    return redirect("activities:detail", pk=activity.pk)


# --- Gifts ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def gift_add(request, pk: int):
    activity = _activity_or_404(request, pk)
    if not (may_record(request, activity.unit) and activity.kind.has_gifts):
        raise Http404("Không tìm thấy.")
    form = forms.GiftEntryForm(request.POST or None, activity=activity, user=request.user)
    gift = submit(
        request,
        form,
        lambda data: services.gift_add(actor=request.user, activity=activity, **data),
        done="Đã ghi quà tặng.",
    )
    if gift:
        if gift.pk in selectors.duplicate_keys_in([gift], request.user):
            messages.warning(
                request,
                f"Lưu ý: {gift.beneficiary_name} ({gift.address}) đã được tặng quà dịp "
                f"{gift.get_occasion_display()} {gift.occasion_year}. Kiểm tra lại để không tặng trùng.",
            )
        if "them-tiep" in request.POST:
            return redirect("activities:gift_add", pk=activity.pk)
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/gift_form.html", {"form": form, "activity": activity})


@require_POST
def gift_delete(request, pk: int):
    gift = scoping.get_or_404(selectors.gifts(request.user).select_related("unit", "activity"), pk=pk)
    if not may_record(request, gift.unit):
        raise Http404("Không tìm thấy.")
    activity_pk = gift.activity_id
    submit(request, None, lambda _: services.gift_delete(actor=request.user, gift=gift), done="Đã xóa quà tặng.")
    return redirect("activities:detail", pk=activity_pk)


def gift_report(request):
    """Totals by occasion, unit, source; the duplicate warning; the list of gifts."""
    form = forms.GiftFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    context = {
        "form": form,
        "totals": selectors.gift_totals(request.user, filters),
        "duplicates": selectors.duplicate_gifts(request.user, filters),
        "gifts": selectors.gift_list(request.user, filters),
    }
    return render(request, "activities/gifts.html", context)


@reads_from_replica
def gift_export(request):
    form = forms.GiftFilterForm(request.GET or None, user=request.user)
    filters = form.to_filters()
    rows = selectors.export_gifts(request.user, filters)
    flagged = selectors.duplicate_keys_in(rows, request.user) if len(rows) <= 5000 else set()
    parts = []
    if filters.occasion:
        parts.append(dict(forms.Occasion.choices)[filters.occasion])
    if filters.year:
        parts.append(str(filters.year))
    if filters.unit:
        parts.append(str(filters.unit))
    content = excel.workbook_bytes(
        title="Danh sách thăm, tặng quà",
        subtitle=" – ".join(parts),
        unit_name=str(scoping.root_unit(request.user) or ""),
        columns=[
            excel.Column("Người, hộ được tặng", 26),
            excel.Column("Địa chỉ", 30),
            excel.Column("Hoàn cảnh", 18),
            excel.Column("Dịp", 20),
            excel.Column("Ngày tặng", 12, "date"),
            excel.Column("Đơn vị tặng", 26),
            excel.Column("Hình thức", 11),
            excel.Column("Giá trị (đồng)", 14, "money"),
            excel.Column("Nguồn kinh phí", 18),
            excel.Column("Ghi chú", 16),
        ],
        rows=(
            (
                g.beneficiary_name,
                g.address,
                g.get_circumstance_display(),
                f"{g.get_occasion_display()} {g.occasion_year}",
                g.given_on,
                g.unit.name,
                g.get_form_display(),
                g.value,
                g.get_funding_source_display(),
                "Trùng: đã được tặng dịp này" if g.pk in flagged else "",
            )
            for g in rows
        ),
    )
    return excel.xlsx_response(content, f"tang-qua-{today():%Y%m%d}.xlsx")

"""The import wizard: upload → columns → (background) preview → confirm → (background) result → undo."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib import jobs
from hoiccb.lib.audit import display_value
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.excel import XLSX_TYPE
from hoiccb.lib.sheets.reading import FileRejected
from hoiccb.lib.views import submit
from hoiccb.members import access as members_access
from hoiccb.members.exporting import import_template
from hoiccb.members.imports import forms, progress, recovery, services
from hoiccb.members.imports.decisions import difference_groups
from hoiccb.members.imports.records import DATE_FIELDS, IMPORTED_FIELDS
from hoiccb.members.imports.results import outcome, result_file
from hoiccb.members.imports.storage import with_values
from hoiccb.members.models import ImportRow, ImportState, Member, RowStatus, member_field
from hoiccb.members.privacy.access_log import log_import_read

PREVIEW_PAGE_SIZE = 100


def _batch_or_404(request: AuthenticatedRequest, pk: int):
    return scoping.get_or_404(members_access.member_imports(request.user).select_related("default_unit"), pk=pk)


def _row_or_404(request: AuthenticatedRequest, pk: int) -> ImportRow:
    batches = members_access.member_imports(request.user)
    return scoping.get_or_404(ImportRow.objects.filter(batch__in=batches).select_related("batch"), pk=pk)


@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedRequest):
    scoping.require(request.user, "edit_members")
    form = forms.UploadForm(request.POST or None, request.FILES or None, user=request.user)
    # Not lib.views.submit: the file is read first (FileRejected lands on its field); no success message.
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = _read_limited(upload)
            batch = services.import_upload(
                actor=request.user, file_name=upload.name, data=data, default_unit=form.cleaned_data["unit"]
            )
        except (FileRejected, PermissionDenied) as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("members:import_detail", pk=batch.pk)
    recent = members_access.member_imports(request.user).select_related("created_by")[:15]
    return render(request, "members/import/start.html", {"form": form, "recent": recent})


def _read_limited(upload) -> bytes:
    from hoiccb.lib.sheets.reading import limits

    if upload.size > limits()["max_bytes"]:
        raise FileRejected(f"Tệp quá lớn: tối đa {limits()['max_bytes'] // 1_048_576} MB.")
    return upload.read()


def import_template_download(request: AuthenticatedRequest):
    return FileResponse(
        import_template(), as_attachment=True, filename="mau-nhap-hoi-vien.xlsx", content_type=XLSX_TYPE
    )


def import_detail(request: AuthenticatedRequest, pk: int):
    batch = _batch_or_404(request, pk)
    if batch.is_busy:
        return render(request, "members/import/progress.html", {"batch": batch, "progress": progress.read(batch)})
    if batch.state in (ImportState.UPLOADED,) or (batch.state == ImportState.FAILED and not batch.counts.get("new")):
        return import_columns(request, pk)
    return _preview(request, batch)


@require_http_methods(["GET", "POST"])
def import_columns(request: AuthenticatedRequest, pk: int):
    batch = _batch_or_404(request, pk)
    form = forms.MappingForm(request.POST or None, user=request.user, batch=batch)
    # Not lib.views.submit: no success message, the progress page that follows says what happens.
    if request.method == "POST" and form.is_valid():
        fields, encodings = form.mapping()
        try:
            services.import_set_columns(
                actor=request.user,
                batch=batch,
                fields=fields,
                encodings=encodings,
                default_unit=form.cleaned_data["unit"],
                remember=form.cleaned_data["remember"],
            )
            services.start_job(actor=request.user, batch=batch, job="analyse")
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            return redirect("members:import_detail", pk=batch.pk)
    return render(request, "members/import/columns.html", {"batch": batch, "form": form})


def import_progress(request: AuthenticatedRequest, pk: int):
    """The progress bar, polled by htmx; once the job is over the page reloads to show the outcome."""
    batch = _batch_or_404(request, pk)
    if batch.is_busy and jobs.reap_lost_jobs():  # its worker may have died: settle it now
        batch.refresh_from_db()
    if not batch.is_busy:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("members:import_detail", args=[batch.pk])
        return response
    return render(request, "members/import/_progress.html", {"batch": batch, "progress": progress.read(batch)})


STATUS_TABS = [("", "Tất cả"), *RowStatus.choices]


def _preview(request: AuthenticatedRequest, batch):
    status = request.GET.get("loai", "")
    rows = batch.rows.all()
    if status in RowStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("number"), PREVIEW_PAGE_SIZE).get_page(request.GET.get("trang"))
    page.object_list = with_values(batch, page.object_list)  # a new row's are kept beside the upload
    comparisons = _comparisons([r for r in page if r.member_id])
    log_import_read(request, batch, [row.member_id for row in page], f"xem trước lần nhập, trang {page.number}")
    unresolved = batch.counts.get("unresolved_units") or []
    context = {
        "batch": batch,
        "page": page,
        "status": status,
        "tabs": [(key, label, batch.counts.get(key, 0) if key else None) for key, label in STATUS_TABS],
        "comparisons": comparisons,
        "outcomes": {row.pk: outcome(row, batch.state) for row in page},
        "locked": batch.state != ImportState.READY,
        "unit_form": forms.UnitChoicesForm(user=request.user, unresolved=unresolved) if unresolved else None,
        "total_rows": sum(batch.counts.get(k, 0) for k in RowStatus.values),
        "abandoned": recovery.ABANDONED,
        "to_write": batch.rows.exclude(status=RowStatus.ERROR).exclude(decision="skip").count(),
        "bulk_choices": [("update", "Cập nhật tất cả"), ("skip", "Bỏ qua tất cả")],
        "groups": difference_groups(batch) if batch.state == ImportState.READY and batch.counts.get("match") else [],
    }
    return render(request, "members/import/preview.html", context)


def _comparisons(rows: list[ImportRow]) -> dict[int, dict]:
    """For matched rows: the registered member and [(label, registered value, file value)] that differ."""
    members = Member.objects.select_related("unit").in_bulk([r.member_id for r in rows])
    result = {}
    for row in rows:
        member = members.get(row.member_id)
        if member is None:
            continue
        lines = []
        for key in IMPORTED_FIELDS:
            value = row.values.get(key)
            if value in (None, ""):
                continue
            field = member_field(key)
            if key in DATE_FIELDS:
                shown = str(PartialDate.from_storage(value))
            elif isinstance(value, bool):
                shown = "Có" if value else "Không"
            else:
                shown = str(dict(field.flatchoices).get(value, value)) if field.choices else str(value)
            current = display_value(member, field)
            if shown != current:
                lines.append((str(field.verbose_name).capitalize(), current or "(trống)", shown))
        result[row.pk] = {"member": member, "lines": lines}
    return result


@require_POST
def import_units(request: AuthenticatedRequest, pk: int):
    batch = _batch_or_404(request, pk)
    form = forms.UnitChoicesForm(request.POST, user=request.user, unresolved=batch.counts.get("unresolved_units") or [])
    # Not lib.views.submit: no success message (the progress page follows); an empty choice has its own.
    if form.is_valid() and form.choices():
        try:
            services.import_choose_units(actor=request.user, batch=batch, choices=form.choices())
            services.start_job(actor=request.user, batch=batch, job="analyse")
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
    else:
        messages.error(request, "Chưa chọn đơn vị nào.")
    return redirect("members:import_detail", pk=batch.pk)


def _job(request: AuthenticatedRequest, pk: int, job: str, done: str):
    batch = _batch_or_404(request, pk)
    submit(request, None, lambda _: services.start_job(actor=request.user, batch=batch, job=job), done=done)
    return redirect("members:import_detail", pk=batch.pk)


@require_POST
def import_commit(request: AuthenticatedRequest, pk: int):
    return _job(request, pk, "commit", "Đang ghi vào sổ hội viên.")


@require_POST
def import_abandon(request: AuthenticatedRequest, pk: int):
    batch = _batch_or_404(request, pk)
    submit(request, None, lambda _: recovery.import_abandon(actor=request.user, batch=batch), done=recovery.ABANDONED)
    return redirect("members:import_detail", pk=batch.pk)


@require_POST
def import_undo(request: AuthenticatedRequest, pk: int):
    return _job(request, pk, "undo", "Đang hoàn tác lần nhập.")


def import_result(request: AuthenticatedRequest, pk: int):
    batch = _batch_or_404(request, pk)
    name = f"ket-qua-nhap-{batch.pk}.xlsx"
    log_import_read(
        request, batch, batch.rows.values_list("member_id", flat=True), "tải tệp kết quả nhập", admitted=True
    )
    return FileResponse(result_file(batch), as_attachment=True, filename=name, content_type=XLSX_TYPE)


_DECISION_WORDS = {"update": "Cập nhật", "skip": "Bỏ qua", "create": "Thêm mới"}


@require_POST
def import_rows_decide(request: AuthenticatedRequest, pk: int):
    """One decision for all rows of a kind (all matches, or the matches differing in one field)."""
    batch = _batch_or_404(request, pk)
    form = forms.BulkDecisionForm(request.POST)
    submit(
        request,
        form,
        lambda data: services.rows_decide_all(
            actor=request.user,
            batch=batch,
            status=data["status"],
            decision=data["decision"],
            field=form.group_field(),
        ),
        done=lambda count: f"Đã chọn “{_DECISION_WORDS[form.cleaned_data['decision']]}” cho {count} dòng.",
        flash_errors=True,
    )
    return redirect(f"{reverse('members:import_detail', args=[batch.pk])}?loai={form.data.get('status', '')}")


@require_POST
def import_row_decide(request: AuthenticatedRequest, pk: int):
    row = _row_or_404(request, pk)
    form = forms.DecisionForm(request.POST)
    # Not lib.views.submit: no success message (htmx swaps the row in); a bad choice has its own message.
    try:
        if not form.is_valid():
            raise ValidationError("Lựa chọn không hợp lệ.")
        row = services.row_decide(actor=request.user, row=row, decision=form.cleaned_data["decision"])
    except (ValidationError, PermissionDenied) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, message)
    if request.headers.get("HX-Request"):
        return render(request, "members/import/_decision.html", {"row": row, "saved": True})
    return redirect(f"{reverse('members:import_detail', args=[row.batch_id])}#dong-{row.number}")


@require_http_methods(["GET", "POST"])
def import_row_fix(request: AuthenticatedRequest, pk: int):
    row = _row_or_404(request, pk)
    form = forms.RowFixForm(request.POST or None, row=row)
    # Not lib.views.submit: the message's level depends on the result (a warning if errors remain).
    if request.method == "POST" and form.is_valid():
        try:
            row = services.row_fix(actor=request.user, row=row, cells=form.cells())
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            if row.status == RowStatus.ERROR:
                messages.warning(request, f"Dòng {row.number} vẫn còn lỗi.")
            else:
                messages.success(request, f"Đã sửa dòng {row.number}: {row.get_status_display().lower()}.")
            return redirect(f"{reverse('members:import_detail', args=[row.batch_id])}?loai=error")
    # The form shows what the file said for this row (CCCD, party, policy): a read like the preview's.
    log_import_read(request, row.batch, [row.member_id], f"sửa dòng {row.number} của lần nhập")
    return render(request, "members/import/row_fix.html", {"row": row, "form": form})

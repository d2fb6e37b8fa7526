"""Pages of the award history: a member's and a unit's awards, the fairness table, and the
import of awards received before the system."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards.history import importing, selectors, services
from hoiccb.awards.history.forms import HistoryUploadForm
from hoiccb.awards.history.models import AwardImport, AwardImportState
from hoiccb.awards.registration.selectors import member_years
from hoiccb.lib.excel import XLSX_TYPE
from hoiccb.lib.views import submit
from hoiccb.members import access as members_access


@login_required
def member_history(request, pk):
    member = scoping.get_or_404(members_access.members(request.user), pk=pk)
    return render(
        request,
        "awards/history.html",
        {
            "subject": member,
            "records": selectors.records_of(member=member),
            "ratings": selectors.member_ratings(member),
            "registration_years": member_years(member),
        },
    )


@login_required
def unit_history(request, pk):
    unit = scoping.get_or_404(scoping.units(request.user), pk=pk)
    return render(
        request,
        "awards/history.html",
        {
            "subject": unit,
            "records": selectors.records_of(unit=unit),
            "unit_ratings": selectors.unit_ratings(unit),
        },
    )


@login_required
def statistics(request):
    """Awards by group beside each group's share of members (the fairness table)."""
    scoping.require(request.user, "view")
    rows, by_form = selectors.statistics(request.user)
    return render(request, "awards/statistics.html", {"rows": rows, "by_form": by_form})


# --- Import of awards received before the system ---------------------------------------


@login_required
def history_upload(request):
    scoping.require(request.user, "manage_awards")
    form = HistoryUploadForm(request.POST or None, request.FILES or None)

    def action(data) -> AwardImport:
        upload = data["file"]
        try:
            return services.preview(actor=request.user, file_name=upload.name, data=upload.read())
        except importing.ImportRefused as exc:
            raise ValidationError({"file": str(exc)}) from None  # the file cannot be read: said under its field

    batch = submit(request, form, action, done=None)  # the preview page says what was read
    if batch:
        return redirect("awards:history_preview", batch.pk)
    return render(
        request,
        "awards/history_upload.html",
        {"form": form, "imports": selectors.imports(request.user)[:20], "forms": selectors.award_forms()},
    )


def _import(request, pk) -> AwardImport:
    scoping.require(request.user, "manage_awards")
    return scoping.get_or_404(selectors.imports(request.user), pk=pk)


@login_required
def history_preview(request, pk):
    batch = _import(request, pk)
    return render(
        request,
        "awards/history_preview.html",
        {
            "batch": batch,
            "rows": batch.rows,
            "committed": batch.state == AwardImportState.COMMITTED,
            "labels": importing.STATUS_LABELS,
        },
    )


@login_required
@require_POST
def history_commit(request, pk):
    batch = _import(request, pk)
    skip = {int(n) for n in request.POST.getlist("skip") if n.isdigit()}
    # Not `submit`: a refusal reads «Chưa ghi dòng nào: …», a prefix `submit` does not add.
    try:
        written = services.commit(actor=request.user, batch=batch, skip=skip)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "Chưa ghi dòng nào: " + "; ".join(getattr(exc, "messages", None) or [str(exc)]))
    else:
        messages.success(request, f"Đã ghi {written} khen thưởng vào lịch sử.")
    return redirect("awards:history_preview", batch.pk)


@login_required
def history_template(request):
    scoping.require(request.user, "manage_awards")
    output = importing.blank_template(request.user.unit)
    response = HttpResponse(output.read(), content_type=XLSX_TYPE)
    output.close()
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-khen-thuong.xlsx"'
    return response

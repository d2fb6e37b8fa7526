"""Pages of the yearly registration (đăng ký thi đua) and of the award-history import."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoiccb.accounts import scoping
from hoiccb.awards import history_import, registration
from hoiccb.awards.forms import HistoryUploadForm
from hoiccb.awards.models import AwardForm, AwardImport, AwardImportState, Registration
from hoiccb.awards.views import _year
from hoiccb.lib.excel import XLSX_TYPE
from hoiccb.members import access as members_access
from hoiccb.members.models import MemberStatus
from hoiccb.members.selectors import search_condition, search_terms
from hoiccb.org.models import UnitStatus
from hoiccb.org.paths import subtree_filter

SEARCH_LIMIT = 30


def _messages_of(exc) -> str:
    return "; ".join(getattr(exc, "messages", None) or [str(exc)])


# --- Registration ----------------------------------------------------------------------


@login_required
def registrations(request, pk):
    """Every grassroots unit of the user's scope for a movement and year: registered or not, and the totals."""
    movement = scoping.get_or_404(scoping.award_movements(request.user).select_related("unit"), pk=pk)
    year = _year(request, movement)
    units_qs = scoping.units(request.user).filter(
        kind__is_grassroots=True, status=UnitStatus.ACTIVE, **subtree_filter("path", movement.unit_path)
    )
    can_register = scoping.can(request.user, "manage_awards")
    if request.method == "POST":
        if not can_register:
            raise Http404("Không tìm thấy.")
        unit = scoping.get_or_404(units_qs.select_related("kind"), pk=request.POST.get("unit"))
        try:
            done = registration.register(actor=request.user, movement=movement, unit=unit, year=year)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _messages_of(exc))
        else:
            messages.success(request, f"{unit} đã đăng ký thi đua năm {year}: tất cả hội viên cùng đăng ký.")
            if unit.pk == request.user.unit_id:  # the chair goes on to name the exceptions
                return redirect("awards:registration", done.pk)
        return redirect(f"{request.path}?year={year}")
    rows, totals = registration.unit_rows(movement, year, list(units_qs.order_by("path")))
    return render(
        request,
        "awards/registrations.html",
        {"movement": movement, "year": year, "rows": rows, "totals": totals, "can_register": can_register},
    )


def _registration(request, pk, *, manage: bool = False) -> Registration:
    """The registration of a unit in the user's scope (404 outside it, or without the right to change it)."""
    if manage:
        scoping.require(request.user, "manage_awards")
    qs = Registration.objects.select_related("movement", "unit", "registered_by")
    return scoping.get_or_404(scoping.in_scope(request.user, qs), pk=pk)


def _people(request, reg: Registration, query: str):
    """The unit's active members matching the query (all of them, up to the limit, when it is empty)."""
    people = members_access.members(request.user).filter(
        status=MemberStatus.ACTIVE, **subtree_filter("unit_path", reg.unit_path)
    )
    terms = search_terms(query)
    if terms:
        people = people.filter(search_condition(terms))
    return list(people.select_related("unit").order_by("sort_key", "id")[: SEARCH_LIMIT + 1])


def _detail_context(request, reg: Registration, query: str) -> dict:
    exceptions = {e.member_id: e for e in reg.exceptions.select_related("member__unit")}
    people = _people(request, reg, query)
    rows, _totals = registration.unit_rows(reg.movement, reg.year, [reg.unit])
    return {
        "reg": reg,
        "q": query,
        "people": people[:SEARCH_LIMIT],
        "more": len(people) > SEARCH_LIMIT,
        "exceptions": exceptions,
        "row": rows[0],
        "manages": scoping.can(request.user, "manage_awards"),
    }


@login_required
def registration_detail(request, pk):
    """A unit's registration: its members with a search, and the exceptions with their reasons."""
    reg = _registration(request, pk)
    context = _detail_context(request, reg, request.GET.get("q", "").strip())
    if request.headers.get("HX-Request"):
        return render(request, "awards/_registration_people.html", context)
    return render(request, "awards/registration.html", context)


@login_required
@require_POST
def registration_member(request, pk):
    """Leave a member out of the registration (with a reason), or take them back in."""
    reg = _registration(request, pk, manage=True)
    member = scoping.get_or_404(
        members_access.members(request.user)
        .filter(**subtree_filter("unit_path", reg.unit_path))
        .select_related("unit"),
        pk=request.POST.get("member"),
    )
    include = request.POST.get("action") == "include"
    try:
        if include:
            registration.include_member(actor=request.user, registration=reg, member=member)
            done = f"{member.full_name} đăng ký thi đua cùng đơn vị."
        else:
            registration.except_member(
                actor=request.user, registration=reg, member=member, reason=request.POST.get("reason", "")
            )
            done = f"{member.full_name} không đăng ký thi đua năm {reg.year}."
    except (ValidationError, PermissionDenied) as exc:
        error, done = _messages_of(exc), ""
    else:
        error = ""
    query = request.POST.get("q", "")
    if request.headers.get("HX-Request"):
        context = _detail_context(request, reg, query)
        context.update(m=member, error=error, done=done, oob=True)
        return render(request, "awards/_registration_person.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("awards:registration", args=[reg.pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@login_required
@require_POST
def registration_withdraw(request, pk):
    reg = _registration(request, pk, manage=True)
    movement, year, unit = reg.movement, reg.year, reg.unit
    try:
        registration.withdraw(actor=request.user, registration=reg)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("awards:registration", reg.pk)
    messages.success(request, f"Đã hủy đăng ký thi đua năm {year} của {unit}.")
    return redirect(f"{reverse('awards:registrations', args=[movement.pk])}?year={year}")


# --- Import of awards received before the system ---------------------------------------


@login_required
def history_upload(request):
    scoping.require(request.user, "manage_awards")
    form = HistoryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = history_import.preview(actor=request.user, file_name=upload.name, data=upload.read())
        except history_import.ImportRefused as exc:
            form.add_error("file", str(exc))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("awards:history_preview", batch.pk)
    imports = scoping.in_scope(request.user, AwardImport.objects.select_related("created_by"))[:20]
    return render(
        request,
        "awards/history_upload.html",
        {"form": form, "imports": imports, "forms": AwardForm.objects.all()},
    )


def _import(request, pk) -> AwardImport:
    scoping.require(request.user, "manage_awards")
    return scoping.get_or_404(scoping.in_scope(request.user, AwardImport.objects.select_related("created_by")), pk=pk)


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
            "labels": history_import.STATUS_LABELS,
        },
    )


@login_required
@require_POST
def history_commit(request, pk):
    batch = _import(request, pk)
    skip = {int(n) for n in request.POST.getlist("skip") if n.isdigit()}
    try:
        written = history_import.commit(actor=request.user, batch=batch, skip=skip)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "Chưa ghi dòng nào: " + _messages_of(exc))
    else:
        messages.success(request, f"Đã ghi {written} khen thưởng vào lịch sử.")
    return redirect("awards:history_preview", batch.pk)


@login_required
def history_template(request):
    scoping.require(request.user, "manage_awards")
    output = history_import.blank_template(request.user.unit)
    response = HttpResponse(output.read(), content_type=XLSX_TYPE)
    output.close()
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-khen-thuong.xlsx"'
    return response

import hashlib
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hoiccb.accounts import scoping
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib import storage
from hoiccb.lib.pickers import picker_page
from hoiccb.lib.sheets.reading import FileRejected
from hoiccb.lib.views import submit
from hoiccb.org import forms, imports, pickers, selectors, services
from hoiccb.org.models import Unit
from hoiccb.org.people import people


def _unit_or_404(request: AuthenticatedRequest, pk: int) -> Unit:
    return scoping.get_or_404(
        scoping.units(request.user).select_related("kind", "parent", "group", "cluster", "successor"), pk=pk
    )


def _managed_unit_or_404(request: AuthenticatedRequest, pk: int, *, restructure: bool = False) -> Unit:
    unit = _unit_or_404(request, pk)
    allowed = scoping.can_restructure_unit if restructure else scoping.can_manage_unit
    if not allowed(request.user, unit):
        raise Http404("Không tìm thấy.")
    return unit


def unit_tree(request: AuthenticatedRequest):
    show_all = request.GET.get("tat-ca") == "1"
    root, rows = selectors.tree(request.user, depth=2, include_inactive=show_all)
    return render(request, "org/tree.html", {"root": root, "rows": rows, "show_all": show_all})


def unit_detail(request: AuthenticatedRequest, pk: int):
    unit = _unit_or_404(request, pk)
    _, rows = selectors.tree(request.user, root=unit, depth=1, include_inactive=True)
    context = {
        "unit": unit,
        "unit_total": rows[0][2] if rows else 0,
        "children": rows[1:],
        "ancestors": [a for a in unit.ancestors() if scoping.unit_in_scope(request.user, a)],
        "officers": selectors.current_officers(unit),
        "terms": unit.terms.all(),
        "members": people().first_page(request.user, unit, 20),
        "events": selectors.unit_events(unit, limit=20),
        "can_manage": scoping.can_manage_unit(request.user, unit),
        "can_restructure": scoping.can_restructure_unit(request.user, unit),
        "can_add_child": scoping.can(request.user, "manage_units") and unit.is_active,
        "can_officers": scoping.can(request.user, "manage_units"),
    }
    return render(request, "org/detail.html", context)


@require_http_methods(["GET", "POST"])
def unit_create(request: AuthenticatedRequest):
    scoping.require(request.user, "manage_units")
    initial = {}
    parent_id = request.GET.get("cap-tren", "")
    parent = scoping.units(request.user).filter(pk=parent_id).first() if parent_id.isdigit() else None
    if parent:
        initial = {"parent": parent, "kind": selectors.child_kind(parent), "group": parent.group_id}
    form = forms.UnitForm(request.POST or None, user=request.user, parent_required=True, initial=initial)

    def create(data):
        data = dict(data)
        return services.unit_create(actor=request.user, parent=data.pop("parent"), **data)

    return _unit_form_page(request, None, form, create, title="Thêm đơn vị", done="Đã tạo đơn vị.")


@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthenticatedRequest, pk: int):
    unit = _managed_unit_or_404(request, pk)
    return _unit_form_page(
        request,
        unit,
        forms.UnitForm(request.POST or None, instance=unit, user=request.user, parent_required=False),
        # The form edits its own copy; the service diffs a fresh one for the audit entry.
        lambda d: services.unit_update(actor=request.user, unit=Unit.objects.get(pk=pk), **d),
        title=f"Sửa: {unit.name}",
        done="Đã lưu thông tin đơn vị.",
    )


def _unit_form_page(
    request: AuthenticatedRequest, unit, form, action, *, title, done, button="Lưu", warning="", **extra
):
    """Render a form about `unit`; on success go to the unit that `action` returns."""
    target = submit(request, form, action, done=done)
    if target:
        return redirect("org:detail", pk=target.pk)
    context = {"form": form, "unit": unit, "title": title, "button": button, "warning": warning, **extra}
    return render(request, "org/form.html", context)


@require_http_methods(["GET", "POST"])
def unit_move(request: AuthenticatedRequest, pk: int):
    unit = _managed_unit_or_404(request, pk, restructure=True)
    return _unit_form_page(
        request,
        unit,
        forms.MoveForm(request.POST or None, user=request.user, unit=unit),
        lambda d: services.unit_move(actor=request.user, unit=unit, new_parent=d["new_parent"]),
        title=f"Chuyển {unit.name} sang cấp trên khác",
        button="Chuyển",
        done="Đã chuyển đơn vị.",
    )


@require_http_methods(["GET", "POST"])
def unit_merge(request: AuthenticatedRequest, pk: int):
    unit = _managed_unit_or_404(request, pk, restructure=True)
    return _unit_form_page(
        request,
        unit,
        forms.MergeForm(request.POST or None, user=request.user, unit=unit),
        lambda d: services.unit_merge(actor=request.user, unit=unit, into=d["into"], on=d["on"]),
        title=f"Sáp nhập {unit.name}",
        button="Sáp nhập",
        done="Đã sáp nhập đơn vị.",
        warning=_merge_warning(unit),
        danger=True,
    )


def _merge_warning(unit: Unit) -> str:
    members = people().headcounts(unit.path, 0).get(unit.path, 0)
    branches = unit.children.active().count()
    return (
        f"{members} hội viên đang sinh hoạt và {branches} đơn vị trực thuộc sẽ chuyển sang đơn vị tiếp nhận; "
        "lịch sử của từng hội viên vẫn ghi đơn vị cũ. Đơn vị này được giữ lại với tình trạng “Đã sáp nhập”."
    )


@require_http_methods(["GET", "POST"])
def term_create(request: AuthenticatedRequest, pk: int):
    unit = _unit_or_404(request, pk)
    scoping.require(request.user, "manage_units")
    return _unit_form_page(
        request,
        unit,
        forms.TermForm(request.POST or None),
        lambda d: services.term_create(actor=request.user, unit=unit, **d).unit,
        title="Thêm nhiệm kỳ",
        done="Đã thêm nhiệm kỳ.",
    )


@require_http_methods(["GET", "POST"])
def officer_create(request: AuthenticatedRequest, pk: int):
    unit = _unit_or_404(request, pk)
    scoping.require(request.user, "manage_units")
    if not unit.terms.exists():
        messages.warning(request, "Đơn vị chưa có nhiệm kỳ: hãy thêm nhiệm kỳ trước.")
    form = forms.OfficerForm(request.POST or None, user=request.user, unit=unit)
    return _unit_form_page(
        request,
        unit,
        form,
        lambda d: services.officer_assign(actor=request.user, unit=unit, **d).unit,
        title="Phân công chức vụ",
        done="Đã phân công chức vụ.",
    )


@require_http_methods(["GET", "POST"])
def officer_end(request: AuthenticatedRequest, pk: int):
    position = scoping.get_or_404(selectors.positions(request.user), pk=pk)
    scoping.require(request.user, "manage_units")
    return _unit_form_page(
        request,
        position.unit,
        forms.EndPositionForm(request.POST or None),
        lambda d: services.officer_end(actor=request.user, position=position, end_date=d["end_date"]).unit,
        title=f"Thôi giữ chức vụ: {position.get_role_display()} {position.member}",
        done=f"Đã ghi nhận {position.member} thôi giữ chức vụ {position.get_role_display()}.",
        button="Ghi nhận thôi giữ chức vụ",
    )


@require_http_methods(["GET", "POST"])
def unit_import(request: AuthenticatedRequest):
    """Upload a sheet of units, see each row checked, confirm to create the new ones at once."""
    scoping.require(request.user, "manage_units")
    # Not lib.views.submit: a two-step wizard that must read and keep the file before any service runs.
    rows, error, stored = None, "", request.POST.get("tep", "")
    upload = request.FILES.get("file")
    try:
        if request.method == "POST" and upload:
            data = upload.read()
            name = upload.name or ""  # an upload always has one
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            rows = imports.read_units(request.user, name, data)
            stored = f"{hashlib.sha256(data).hexdigest()}.{extension}"
            storage.write(storage.private_name("imports", f"units-{stored}"), data)
        elif request.method == "POST" and re.fullmatch(r"[0-9a-f]{64}\.(xlsx|xls|ods|csv)", stored):
            data = storage.read(storage.private_name("imports", f"units-{stored}"))
            rows = imports.read_units(request.user, f"units-{stored}", data)
            created = imports.create_units(request.user, rows)
            messages.success(request, f"Đã tạo {len(created)} đơn vị.")
            return redirect("org:tree")
        elif request.method == "POST":
            error = "Chọn tệp danh sách đơn vị."
    except (FileRejected, ValidationError, PermissionDenied, FileNotFoundError) as exc:
        error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc) or "Không đọc được tệp."
    context = {"rows": rows, "error": error, "stored": stored, "has_errors": rows and any(r.errors for r in rows)}
    return render(request, "org/import.html", context)


def unit_picker(request: AuthenticatedRequest):
    """The unit picker's matches: a fragment for htmx, else a plain search page (no JavaScript needed)."""
    return picker_page(request, pickers.search, default_name="unit", title="Tìm đơn vị", detail_url="org:detail")

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hoiccb.accounts import scoping
from hoiccb.lib.views import apply_errors
from hoiccb.members import selectors as member_selectors
from hoiccb.org import forms, selectors, services
from hoiccb.org.models import OfficerPosition, Unit


def _unit_or_404(request, pk: int) -> Unit:
    return scoping.get_or_404(
        scoping.units(request.user).select_related("kind", "parent", "group", "cluster", "successor"), pk=pk
    )


def _managed_unit_or_404(request, pk: int) -> Unit:
    unit = _unit_or_404(request, pk)
    if not scoping.can_manage_unit(request.user, unit):
        raise Http404("Không tìm thấy.")
    return unit


def unit_tree(request):
    show_all = request.GET.get("tat-ca") == "1"
    root, rows = selectors.tree(request.user, depth=2, include_inactive=show_all)
    return render(request, "org/tree.html", {"root": root, "rows": rows, "show_all": show_all})


def unit_detail(request, pk: int):
    unit = _unit_or_404(request, pk)
    _, rows = selectors.tree(request.user, root=unit, depth=1, include_inactive=True)
    members_qs = member_selectors.filtered_members(request.user, member_selectors.MemberFilters(unit=unit))
    context = {
        "unit": unit,
        "unit_total": rows[0][2] if rows else 0,
        "children": rows[1:],
        "ancestors": [a for a in unit.ancestors() if scoping.unit_in_scope(request.user, a)],
        "officers": selectors.current_officers(unit),
        "terms": unit.terms.all(),
        "members": member_selectors.keyset_page(members_qs, size=20),
        "events": unit.events.select_related("actor")[:20],
        "can_manage": scoping.can_manage_unit(request.user, unit),
        "can_add_child": scoping.can(request.user, "manage_units") and unit.is_active,
        "can_officers": scoping.can(request.user, "manage_units"),
    }
    return render(request, "org/detail.html", context)


@require_http_methods(["GET", "POST"])
def unit_create(request):
    scoping.require(request.user, "manage_units")
    initial = {}
    parent_id = request.GET.get("cap-tren")
    if parent_id and parent_id.isdigit():
        parent = scoping.units(request.user).filter(pk=parent_id).first()
        if parent:
            initial = {"parent": parent, "kind": _child_kind(parent), "group": parent.group_id}
    form = forms.UnitForm(request.POST or None, user=request.user, parent_required=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = data.pop("parent")
        try:
            unit = services.unit_create(actor=request.user, parent=parent, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Đã tạo đơn vị {unit.name}.")
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "title": "Thêm đơn vị"})


def _child_kind(parent: Unit):
    from hoiccb.org.models import UnitKind

    return UnitKind.objects.filter(level__gt=parent.kind.level).order_by("level").first()


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int):
    unit = _managed_unit_or_404(request, pk)
    form = forms.UnitForm(request.POST or None, instance=unit, user=request.user, parent_required=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=request.user, unit=Unit.objects.get(pk=unit.pk), **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin đơn vị.")
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "unit": unit, "title": f"Sửa: {unit.name}"})


def _tree_change_view(request, pk, form_class, action, *, title, button, done, warning=""):
    unit = _managed_unit_or_404(request, pk)
    form = form_class(request.POST or None, user=request.user, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            target = action(unit, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("org:detail", pk=target.pk)
    return render(
        request, "org/form.html", {"form": form, "unit": unit, "title": title, "button": button, "warning": warning}
    )


@require_http_methods(["GET", "POST"])
def unit_move(request, pk: int):
    return _tree_change_view(
        request,
        pk,
        forms.MoveForm,
        lambda u, d: services.unit_move(actor=request.user, unit=u, new_parent=d["new_parent"]),
        title="Chuyển đơn vị sang cấp trên khác",
        button="Chuyển",
        done="Đã chuyển đơn vị.",
    )


@require_http_methods(["GET", "POST"])
def unit_merge(request, pk: int):
    return _tree_change_view(
        request,
        pk,
        forms.MergeForm,
        lambda u, d: services.unit_merge(actor=request.user, unit=u, into=d["into"], on=d["on"]),
        title="Sáp nhập đơn vị",
        button="Sáp nhập",
        done="Đã sáp nhập đơn vị.",
        warning="Hội viên và đơn vị trực thuộc sẽ chuyển sang đơn vị tiếp nhận; lịch sử của từng "
        "hội viên vẫn ghi đơn vị cũ. Đơn vị này được giữ lại với tình trạng “Đã sáp nhập”.",
    )


@require_http_methods(["GET", "POST"])
def term_create(request, pk: int):
    unit = _unit_or_404(request, pk)
    scoping.require(request.user, "manage_units")
    form = forms.TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.term_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã thêm nhiệm kỳ.")
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "unit": unit, "title": "Thêm nhiệm kỳ"})


@require_http_methods(["GET", "POST"])
def officer_create(request, pk: int):
    unit = _unit_or_404(request, pk)
    scoping.require(request.user, "manage_units")
    members = member_selectors.filtered_members(request.user, member_selectors.MemberFilters(unit=unit))
    form = forms.OfficerForm(request.POST or None, unit=unit, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_assign(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã phân công chức vụ.")
            return redirect("org:detail", pk=unit.pk)
    if not unit.terms.exists():
        messages.warning(request, "Đơn vị chưa có nhiệm kỳ: hãy thêm nhiệm kỳ trước.")
    return render(request, "org/form.html", {"form": form, "unit": unit, "title": "Phân công chức vụ"})


@require_POST
def officer_end(request, pk: int):
    position = scoping.get_or_404(OfficerPosition.objects.filter(unit__in=scoping.units(request.user)), pk=pk)
    scoping.require(request.user, "manage_units")
    form = forms.EndPositionForm(request.POST)
    if form.is_valid():
        try:
            services.officer_end(actor=request.user, position=position, end_date=form.cleaned_data["end_date"])
            messages.success(request, "Đã ghi nhận thôi giữ chức vụ.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Ngày không hợp lệ.")
    return redirect("org:detail", pk=position.unit_id)

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hoiccb.accounts import scoping
from hoiccb.accounts.requests import AuthenticatedRequest
from hoiccb.lib import inbox
from hoiccb.lib.excel import XLSX_TYPE
from hoiccb.lib.paging import Position, page_number
from hoiccb.lib.pickers import picker_page
from hoiccb.lib.replica import reads_from_replica
from hoiccb.lib.search import search_param
from hoiccb.lib.views import apply_errors, submit
from hoiccb.members import access as members_access
from hoiccb.members import forms, pickers, selectors, services
from hoiccb.members.exporting import (
    DEFAULT_COLUMNS,
    EXPORT_COLUMNS,
    allowed_columns,
    export_members,
    sensitive_columns,
)
from hoiccb.members.history import member_history
from hoiccb.members.models import Member
from hoiccb.members.privacy.access_log import log_read
from hoiccb.org import selectors as org_selectors


def home(request: AuthenticatedRequest):
    """The first page: the user's part of the tree and the latest changes to its members."""
    root, rows = org_selectors.tree(request.user, depth=1)
    recent = selectors.recent_events(request.user, limit=10)
    todo = inbox.collect(request.user)
    return render(request, "home.html", {"root": root, "rows": rows, "recent": recent, "todo": todo})


def _member_or_404(request: AuthenticatedRequest, pk: int) -> Member:
    return scoping.get_or_404(members_access.members(request.user).select_related("unit", "unit__kind"), pk=pk)


def member_list(request: AuthenticatedRequest):
    search_param(request)  # warns when the query is cut; the form cuts it the same way
    form = forms.MemberFilterForm(request.GET, user=request.user)
    filters = form.to_filters()
    page, total, exact = selectors.member_list_page(
        request.user,
        filters,
        after=request.GET.get("sau", ""),
        before=request.GET.get("truoc", ""),
        size=settings.MEMBER_PAGE_SIZE,
    )
    criteria = selectors.sensitive_criteria(request.user, filters)
    if criteria:
        log_read(
            request,
            "lọc, tìm danh sách theo dữ liệu nhạy cảm",
            member_ids=[m.pk for m in page.rows],
            unit_path=scoping.member_path_prefix(request.user, filters.unit) or "",
            criteria=criteria,
        )
    number = 1 if page.is_first else max(2, page_number(request))
    position = Position(number=number, total=total, exact=exact, noun="hội viên")
    context = {"form": form, "page": page, "total": total, "total_exact": exact, "position": position}
    if request.headers.get("HX-Target") != "member-results":
        context["export_columns"] = [
            (key, EXPORT_COLUMNS[key][0], key in DEFAULT_COLUMNS) for key in allowed_columns(request.user)
        ]
    template = "members/_rows.html" if request.headers.get("HX-Target") == "member-results" else "members/list.html"
    return render(request, template, context)


def _show_sensitive(request: AuthenticatedRequest, member: Member, purpose: str) -> bool:
    """Record that the user is shown the member's sensitive data; returns whether they may be."""
    if not scoping.can(request.user, "sensitive"):
        return False
    log_read(request, purpose, member=member)
    return True


def member_detail(request: AuthenticatedRequest, pk: int):
    member = _member_or_404(request, pk)
    context = {
        "member": member,
        "show_sensitive": _show_sensitive(request, member, "xem hồ sơ"),
        "history": member_history(member),
        "positions": selectors.member_positions(member),
        "can_edit": scoping.can(request.user, "edit_members"),
    }
    return render(request, "members/detail.html", context)


@require_http_methods(["GET", "POST"])
def member_create(request: AuthenticatedRequest):
    scoping.require(request.user, "edit_members")
    form = forms.MemberForm(request.POST or None, user=request.user, creating=True)
    member = submit(
        request,
        form,
        lambda data: services.member_admit(actor=request.user, unit=data["unit"], **form.changed_values()),
        done="Đã thêm hội viên.",
    )
    if member:
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
def member_edit(request: AuthenticatedRequest, pk: int):
    member = _member_or_404(request, pk)
    scoping.require(request.user, "edit_members")
    form = forms.MemberForm(request.POST or None, instance=member, user=request.user, creating=False)
    conflict = None
    if request.method == "GET":
        _show_sensitive(request, member, "sửa hồ sơ")
    # Not lib.views.submit: an edit conflict keeps what was typed and shows the saved record beside it.
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(
                actor=request.user,
                member=member,
                expected_version=form.cleaned_data.get("version") or 0,
                changes=form.changed_values(),
            )
        except services.EditConflict as exc:
            # Keep what the user typed on screen and show what is saved now beside it.
            conflict = exc.current
            form.add_error(
                None,
                "Hồ sơ này vừa được người khác sửa. Những gì bạn nhập vẫn còn dưới "
                "đây; hãy so với bản đang lưu rồi bấm Lưu lại.",
            )
            data = cast(QueryDict, form.data).copy()
            data["version"] = str(conflict.version)
            form.data = data
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("members:detail", pk=member.pk)
    return render(request, "members/form.html", {"form": form, "member": member, "conflict": conflict})


@require_http_methods(["GET", "POST"])
def member_action(request: AuthenticatedRequest, pk: int, form_class: type[forms.LifecycleForm]):
    """A lifecycle step (transfer, leave, death, card…): a small form that calls one service."""
    member = _member_or_404(request, pk)
    scoping.require(request.user, "edit_members")
    form = form_class(request.POST or None, user=request.user, member=member)
    if form.confirm and request.method == "POST" and "xac_nhan" not in request.POST and form.is_valid():
        # Ask first, in words that say what will happen; the answer posts the same fields back.
        question = form.confirm.format(name=member.full_name)
        return render(request, "members/confirm.html", {"form": form, "member": member, "question": question})
    if submit(request, form, form.run, done=form_class.done):
        return redirect("members:detail", pk=member.pk)
    return render(request, "members/action.html", {"form": form, "member": member})


@reads_from_replica
def member_export(request: AuthenticatedRequest):
    """The filtered list (same filters as the list page) as an .xlsx, in Vietnamese name order."""
    form = forms.MemberFilterForm(request.GET, user=request.user)
    chosen = [c for c in request.GET.getlist("cot") if c in allowed_columns(request.user)] or list(DEFAULT_COLUMNS)
    filters = form.to_filters()
    criteria = selectors.sensitive_criteria(request.user, filters)
    if sensitive_columns(chosen):
        criteria["Cột"] = ", ".join(EXPORT_COLUMNS[c][0] for c in sensitive_columns(chosen))
    seen: list[int] | None = [] if criteria else None
    output, count = export_members(request.user, filters, chosen, seen=seen)
    if seen is not None:
        # One row for the whole file, with every member in it: "who saw member X" finds it.
        log_read(
            request,
            "xuất Excel danh sách",
            member_ids=seen,
            count=count,
            unit_path=scoping.member_path_prefix(request.user, filters.unit) or "",
            criteria=criteria,
        )
    return FileResponse(
        output,
        as_attachment=True,
        filename="danh-sach-hoi-vien.xlsx",
        content_type=XLSX_TYPE,
    )


def member_picker(request: AuthenticatedRequest):
    """The member picker's matches: a fragment for htmx, else a plain search page (no JavaScript needed)."""
    return picker_page(
        request, pickers.search, default_name="member", title="Tìm hội viên", detail_url="members:detail"
    )

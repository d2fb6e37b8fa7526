"""Reads of the personal-data area, always starting from the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.audit import display_value
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.members import access as members_access
from hoiccb.members.history import member_history
from hoiccb.members.models import Member, SensitiveAccess
from hoiccb.members.privacy import registry
from hoiccb.members.privacy.models import (
    OPEN_STATES,
    Anonymisation,
    AnonymisationState,
    Consent,
    DataRequest,
    PrivacyEvent,
    SensitiveAccessMember,
)

# A name typed in the log's member box matches at most this many members.
MEMBER_MATCH_CAP = 500


@dataclass
class LogFilters:
    member: str = ""
    user: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def access_log(user: User, filters: LogFilters) -> QuerySet[SensitiveAccess]:
    """Return the sensitive reads filed under the user's subtree matching the filters, newest first.

    "Member" is an id (#123 or 123) or words of a name: a read matches when it showed
    that member, alone or in a list (through the member index), or named them before
    they were deleted.
    """
    if not scoping.can(user, "privacy"):
        return SensitiveAccess.objects.none()
    qs = scoping.in_scope(user, SensitiveAccess.objects.all())
    text = filters.member.strip().lstrip("#")
    if text.isdigit():
        qs = qs.filter(id__in=SensitiveAccessMember.objects.filter(member_ref=int(text)).values("access_id"))
    elif text:
        words = [w for w in normalize_search(text).split(" ") if w]
        matched = members_access.members(user)
        for word in words:
            matched = matched.filter(search_text__contains=word)
        ids = list(matched.values_list("id", flat=True)[:MEMBER_MATCH_CAP])
        shown = SensitiveAccessMember.objects.filter(member_ref__in=ids).values("access_id")
        qs = qs.filter(Q(id__in=shown) | Q(member_name__icontains=text))
    if filters.user.strip():
        who = filters.user.strip()
        qs = qs.filter(
            Q(actor__username__icontains=who) | Q(actor__first_name__icontains=who) | Q(actor__last_name__icontains=who)
        )
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    return qs.select_related("actor").order_by("-at", "-id")


def member_accesses(member_ref: int) -> QuerySet[SensitiveAccess]:
    """Return every sensitive read that showed the member, whoever's list it was (for the member themself)."""
    shown = SensitiveAccessMember.objects.filter(member_ref=member_ref).values("access_id")
    return SensitiveAccess.objects.filter(id__in=shown).select_related("actor").order_by("-at", "-id")


def requests(user: User, *, open_only: bool = False) -> QuerySet[DataRequest]:
    """Return the requests of members of the user's subtree (open ones first by deadline)."""
    if not scoping.can(user, "privacy"):
        return DataRequest.objects.none()
    qs = scoping.in_scope(user, DataRequest.objects.all())
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    return qs.select_related("member", "created_by").order_by("deadline", "id")


def pending_anonymisations(user: User) -> QuerySet[Anonymisation]:
    if not scoping.can(user, "privacy"):
        return Anonymisation.objects.none()
    qs = scoping.in_scope(user, Anonymisation.objects.filter(state=AnonymisationState.PENDING))
    return qs.select_related("member", "requested_by")


def privacy_member(user: User, pk: int) -> Member:
    """Return a member of the user's subtree for the personal-data pages, or raise 404."""
    scoping.require(user, "privacy")
    return scoping.get_or_404(members_access.members(user).select_related("unit"), pk=pk)


def _dt(value: datetime.datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def subject_data(member: Member) -> dict[str, Any]:
    """Return everything held about `member`: {"member": {...}, "sections": [(title, rows)]}.

    Sections: the record (every field, sensitive ones too), history, officer positions,
    consents, requests, who was shown the sensitive data, then what the other apps
    registered (awards, activities…). Values are display text, as the pages show them.
    """
    record = {}
    for field in Member._meta.concrete_fields:
        if not field.editable or field.name in ("id", "unit_path"):
            continue
        name = str(field.verbose_name)
        record[name[:1].upper() + name[1:]] = display_value(member, field)
    record["Thời kỳ, chiến trường"] = ", ".join(t.name for t in member.theatres.all())
    history = [
        {
            "Thời điểm": _dt(e.at),
            "Sự kiện": e.get_action_display(),
            "Ngày": e.happened_on.strftime("%d/%m/%Y") if e.happened_on else "",
            "Thay đổi": "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in e.changes.items()),
            "Ghi chú": e.note,
            "Người thực hiện": str(e.actor or ""),
        }
        for e in member_history(member, oldest_first=True)
    ]
    positions = [
        {"Chức vụ": p.get_role_display(), "Đơn vị": str(p.unit), "Nhiệm kỳ": str(p.term)}
        for p in member.positions.select_related("unit", "term")
    ]
    consents = [
        {
            "Mục đích": c.purpose,
            "Ngày đồng ý": c.given_on.strftime("%d/%m/%Y"),
            "Hình thức": c.get_method_display(),
            "Văn bản": c.document_name,
            "Rút lại ngày": c.withdrawn_on.strftime("%d/%m/%Y") if c.withdrawn_on else "",
        }
        for c in Consent.objects.filter(member=member)
    ]
    asked = [
        {
            "Loại": r.get_kind_display(),
            "Ngày nhận": r.received_on.strftime("%d/%m/%Y"),
            "Hạn": r.deadline.strftime("%d/%m/%Y"),
            "Trạng thái": r.get_state_display(),
            "Nội dung": r.details,
            "Kết quả": r.outcome,
        }
        for r in DataRequest.objects.filter(member_ref=member.pk).order_by("received_on", "id")
    ]
    seen = [
        {
            "Thời điểm": _dt(a.at),
            "Người xem": a.actor.get_full_name() or a.actor.username,
            "Mục đích": a.summary,
            "Số hội viên trong lượt xem": str(a.count),
            "Địa chỉ IP": a.ip_address or "",
        }
        for a in member_accesses(member.pk)
    ]
    handled = [
        {
            "Thời điểm": _dt(e.at),
            "Việc": e.get_action_display(),
            "Nội dung": e.summary,
            "Người thực hiện": str(e.actor or ""),
        }
        for e in PrivacyEvent.objects.filter(member_ref=member.pk).select_related("actor").order_by("at", "id")
    ]
    sections: list[tuple[str, list[dict[str, str]]]] = [
        ("Lịch sử hội viên", history),
        ("Chức vụ trong Hội", positions),
        ("Sự đồng ý xử lý dữ liệu nhạy cảm", consents),
        ("Yêu cầu về dữ liệu cá nhân", asked),
        ("Những lần dữ liệu nhạy cảm được xem", seen),
        ("Xử lý dữ liệu cá nhân", handled),
        *registry.sections(member),
    ]
    return {
        "member": {"Mã hội viên": str(member.pk), "Đơn vị": str(member.unit), **record},
        "sections": sections,
        "made_at": _dt(timezone.now()),
    }

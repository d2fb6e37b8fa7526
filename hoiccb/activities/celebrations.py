"""A celebration list (members' selector) turned into a gift round with one click."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.activities import services
from hoiccb.activities.models import Activity, ActivityKind, Circumstance, FundingSource, GiftForm, Occasion
from hoiccb.lib.forms import today
from hoiccb.members.celebrations import selectors
from hoiccb.members.celebrations.selectors import ListKind
from hoiccb.org.models import Unit

MAX_GIFTS = 2000
TITLES = {
    ListKind.LONGEVITY: "Mừng thọ hội viên năm {year}",
    ListKind.PARTY: "Chúc mừng hội viên nhận Huy hiệu Đảng năm {year}",
    ListKind.SERVICE: "Kỷ niệm năm tuổi quân của hội viên năm {year}",
    ListKind.BIRTHDAY: "Chúc mừng sinh nhật hội viên tháng {month}/{year}",
}


@transaction.atomic
def celebration_gift_round(*, actor: User, unit: Unit, kind: ListKind, year: int, month: int, value: int) -> Activity:
    """Create a gift activity of `unit` with one gift of `value` per member of the list; returns it."""
    if not 1 <= value < 10**10:
        raise ValidationError("Giá trị mỗi suất quà phải lớn hơn 0.")
    members = list(selectors.listing(kind, unit.path, year, month)[: MAX_GIFTS + 1])
    if not members:
        raise ValidationError("Danh sách không có hội viên nào.")
    if len(members) > MAX_GIFTS:
        raise ValidationError(f"Danh sách quá {MAX_GIFTS} người; hãy chọn đơn vị nhỏ hơn.")
    gift_kind = ActivityKind.objects.filter(has_gifts=True, is_active=True).order_by("order").first()
    if gift_kind is None:
        raise ValidationError("Chưa có loại hoạt động thăm, tặng quà.")
    activity = services.activity_create(
        actor=actor,
        unit=unit,
        kind=gift_kind,
        title=TITLES[kind].format(year=year, month=month),
        start_date=today(),
        occasion=Occasion.OTHER,
        occasion_year=year,
        funding_source=FundingSource.ASSOCIATION_FUND,
        content=f"Lập từ {selectors.TITLES[kind].lower()} ({len(members)} hội viên).",
    )
    for member in members:
        entry = selectors.milestone(kind, member, year)
        services.gift_add(
            actor=actor,
            activity=activity,
            member=member,
            address=member.residence or member.unit.name,
            circumstance=Circumstance.OTHER,
            value=value,
            form=GiftForm.CASH,
            funding_source=FundingSource.ASSOCIATION_FUND,
            description=entry.milestone,
        )
    return activity

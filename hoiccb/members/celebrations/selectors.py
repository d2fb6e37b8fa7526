"""The lists an association prepares each year for a unit subtree.

- mừng thọ: members reaching 70, 75, 80 … 100 that year, and every year above 100;
- Huy hiệu Đảng: 30, 40, 45 … 75 years since admission to the Party;
- tuổi quân: round years since enlistment (50 năm tuổi quân…);
- sinh nhật: birthdays of a month (only birth dates that give the month).

Ages go by year only (a member born in 1955 reaches 70 in 2025, whatever the day), so a
birth date known only by its year counts like a full one. The milestones can be changed
in settings (`CELEBRATION_AGES`, `PARTY_BADGE_YEARS`, `SERVICE_YEARS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.paths import subtree_filter

AGES = (70, 75, 80, 85, 90, 95, 100)
PARTY_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75)
SERVICE_YEARS = (30, 40, 50, 60, 70)
SCREEN_CAP = 500


class ListKind(StrEnum):
    LONGEVITY = "mung-tho"
    PARTY = "huy-hieu-dang"
    SERVICE = "tuoi-quan"
    BIRTHDAY = "sinh-nhat"


TITLES = {
    ListKind.LONGEVITY: "Danh sách hội viên mừng thọ",
    ListKind.PARTY: "Danh sách hội viên được đề nghị tặng Huy hiệu Đảng",
    ListKind.SERVICE: "Danh sách hội viên kỷ niệm năm tuổi quân",
    ListKind.BIRTHDAY: "Danh sách hội viên có sinh nhật trong tháng",
}

# Lists that show sensitive data (party membership) need the `sensitive` capability.
SENSITIVE_LISTS = {ListKind.PARTY}


def ages() -> tuple[int, ...]:
    return tuple(getattr(settings, "CELEBRATION_AGES", AGES))


def party_years() -> tuple[int, ...]:
    return tuple(getattr(settings, "PARTY_BADGE_YEARS", PARTY_YEARS))


def service_years() -> tuple[int, ...]:
    return tuple(getattr(settings, "SERVICE_YEARS", SERVICE_YEARS))


@dataclass
class Entry:
    member: Member
    milestone: str
    date_text: str


def _year_starts(field: str, years: list[int]) -> Q:
    """Rows whose partial date `field` (stored "YYYY[-MM[-DD]]") falls in one of `years`."""
    q = Q(pk__in=[])
    for y in years:
        q |= Q(**{f"{field}__startswith": f"{y:04d}"})
    return q


def _base(unit_path: str) -> QuerySet[Member]:
    return Member.objects.filter(status=MemberStatus.ACTIVE, **subtree_filter("unit_path", unit_path))


def listing(kind: ListKind, unit_path: str, year: int, month: int | None = None) -> QuerySet[Member]:
    """Return the members of the list, in Vietnamese name order (not yet cut to a page)."""
    qs = _base(unit_path)
    if kind == ListKind.LONGEVITY:
        top = max(ages())
        qs = qs.filter(Q(birth_year__in=[year - a for a in ages()]) | Q(birth_year__lte=year - top))
        order = ["birth_year", "sort_key", "id"]
    elif kind == ListKind.PARTY:
        qs = qs.filter(party_member=True).filter(_year_starts("party_joined_on", [year - n for n in party_years()]))
        order = ["party_joined_on", "sort_key", "id"]
    elif kind == ListKind.SERVICE:
        qs = qs.filter(_year_starts("enlisted_on", [year - n for n in service_years()]))
        order = ["enlisted_on", "sort_key", "id"]
    else:
        qs = qs.annotate(birth_month=Substr("birth_date", 6, 2)).filter(birth_month=f"{month or 1:02d}")
        order = ["birth_date", "sort_key", "id"]
    return qs.select_related("unit").order_by(*order)


def milestone(kind: ListKind, member: Member, year: int) -> Entry:
    """The line of the list for one member: what is celebrated and the date it counts from."""
    if kind == ListKind.LONGEVITY:
        age = year - (member.birth_year or year)
        return Entry(
            member,
            f"{age} tuổi" if age <= max(ages()) else f"{age} tuổi (trên {max(ages())})",
            str(member.birth_date or ""),
        )
    if kind == ListKind.PARTY:
        joined = member.party_joined_on
        return Entry(member, f"Huy hiệu {year - joined.year} năm tuổi Đảng" if joined else "", str(joined or ""))
    if kind == ListKind.SERVICE:
        enlisted = member.enlisted_on
        return Entry(member, f"{year - enlisted.year} năm tuổi quân" if enlisted else "", str(enlisted or ""))
    birth = member.birth_date
    return Entry(member, f"Sinh nhật {year - birth.year} tuổi" if birth else "", str(birth or ""))


def entries(
    kind: ListKind, unit_path: str, year: int, month: int | None = None, *, limit: int | None = None
) -> list[Entry]:
    qs = listing(kind, unit_path, year, month)
    if limit is not None:
        qs = qs[:limit]
    return [milestone(kind, m, year) for m in qs]

"""The member picker's data: scoped search and labels that tell namesakes apart (lib/pickers.py)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.pickers import RESULT_LIMIT, Option, SearchPicker
from hoiccb.members import access as members_access
from hoiccb.members.models import Member, MemberStatus
from hoiccb.members.selectors import MemberFilters, member_list_page


def option(member: Member) -> Option:
    """Name, then unit, birth year and card number: enough to tell two "Nguyễn Văn Trung" apart."""
    details = [member.unit.name]
    if member.birth_year:
        details.append(f"sinh {member.birth_year}")
    if member.card_number:
        details.append(f"thẻ {member.card_number}")
    return Option(str(member.pk), member.full_name, " · ".join(details))


def narrowing_unit(user: User, raw: str | None):
    """The unit (of the user's scope) a search is narrowed to, from a posted id; None for the whole scope."""
    if not raw or not str(raw).isdigit():
        return None
    return scoping.units(user).filter(pk=int(raw)).first()


def search(user: User, query: str, filters: Mapping[str, str], *, status: str = MemberStatus.ACTIVE):
    """Return (options, more) for the members of the user's scope (narrowed to filters["unit"]) matching `query`."""
    if not query.strip():
        return [], False
    unit = narrowing_unit(user, filters.get("unit") or filters.get("don_vi"))
    page, count, exact = member_list_page(user, MemberFilters(q=query, unit=unit, status=status), size=RESULT_LIMIT)
    rows = list(page.rows)  # the page comes with each member's unit
    return [option(m) for m in rows], (not exact or count > len(rows))


def describe(user: User, ids: Sequence[str]) -> list[Option]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = members_access.members(user).filter(pk__in=wanted).select_related("unit")
    return [option(m) for m in found]


def member_picker(
    user: User, *, include: str = "", status: str = MemberStatus.ACTIVE, within: Any = None
) -> SearchPicker:
    """`within`: a unit whose subtree every search is narrowed to (a gift round's organiser)."""
    return SearchPicker(
        params={"unit": str(within.pk)} if within is not None else None,
        url_name="members:picker",
        search=lambda q, f: search(user, q, f, status=status),
        describe=lambda ids: describe(user, ids),
        include=include,
        placeholder="Gõ tên hội viên hoặc số thẻ, không cần dấu…",
    )


def member_field(
    user: User,
    queryset: QuerySet[Member],
    *,
    label: str,
    required: bool = True,
    include: str = "",
    within: Any = None,
) -> forms.ModelChoiceField[Any]:
    """A ModelChoiceField over `queryset` (already scoped) shown as the search picker."""
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        widget=member_picker(user, include=include, within=within),
        error_messages={
            "required": "Gõ tên rồi chọn một hội viên trong danh sách.",
            "invalid_choice": "Hội viên đã chọn không có trong phạm vi của bạn.",
        },
    )

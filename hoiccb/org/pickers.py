"""The unit picker's data: a scoped search over unit names (lib/pickers.py)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.pickers import RESULT_LIMIT, Option, SearchPicker
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.models import Unit, UnitStatus


def option(unit: Unit) -> Option:
    """The unit's name, then its level and the unit above it (two "Chi hội 1" differ by their parent)."""
    details = [unit.kind.name]
    if unit.parent is not None:
        details.append(f"thuộc {unit.parent.name}")
    return Option(str(unit.pk), unit.name, " · ".join(details))


def search(user: User, query: str, filters: Mapping[str, str] | None = None, *, base: QuerySet[Unit] | None = None):
    """Return (options, more) for the active units of the user's scope (or of `base`) whose name holds every word."""
    words = normalize_search(query[:100]).split()
    if not words:
        return [], False
    found = (base if base is not None else scoping.units(user)).filter(status=UnitStatus.ACTIVE)
    parent = (filters or {}).get("parent")
    if parent and str(parent).isdigit():
        found = found.filter(parent_id=int(parent))
    for word in words:
        found = found.filter(name_search__contains=word)
    rows = list(found.select_related("kind", "parent").order_by("path")[: RESULT_LIMIT + 1])
    return [option(u) for u in rows[:RESULT_LIMIT]], len(rows) > RESULT_LIMIT


def describe(user: User, ids: Sequence[str]) -> list[Option]:
    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = scoping.units(user).filter(pk__in=wanted).select_related("kind", "parent").order_by("path")
    return [option(u) for u in found]


def unit_picker(
    user: User, *, multiple: bool = False, base: QuerySet[Unit] | None = None, parent: Unit | None = None
) -> SearchPicker:
    return SearchPicker(
        params={"parent": str(parent.pk)} if parent is not None else None,
        url_name="org:picker",
        search=lambda q, f: search(user, q, f, base=base),
        describe=lambda ids: describe(user, ids),
        multiple=multiple,
        placeholder="Gõ tên đơn vị, không cần dấu…",
    )


def unit_field(
    user: User,
    queryset: QuerySet[Unit],
    *,
    label: str,
    required: bool = True,
    multiple: bool = False,
    parent: Unit | None = None,
) -> forms.ModelChoiceField[Any]:
    """A (multiple) ModelChoiceField over `queryset` (already scoped) shown as the search picker."""
    field_class = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    return field_class(
        queryset=queryset,
        label=label,
        required=required,
        widget=unit_picker(user, multiple=multiple, base=queryset, parent=parent),
        error_messages={
            "required": "Gõ tên rồi chọn đơn vị trong danh sách.",
            "invalid_choice": "Đơn vị đã chọn không có trong phạm vi của bạn.",
            "invalid_pk_value": "Đơn vị đã chọn không hợp lệ.",
        },
    )

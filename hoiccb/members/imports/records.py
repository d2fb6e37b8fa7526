"""A parsed row as a member record: the fields an import sets, checks, and rows for the bulk insert."""

import datetime
from functools import lru_cache
from types import SimpleNamespace

from django.core.exceptions import ValidationError

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import name_sort_key
from hoiccb.members.bulk import MEMBER_COLUMNS
from hoiccb.members.models import (
    Member,
    MemberStatus,
    build_search_text,
    member_field,
)
from hoiccb.members.services import validate_record
from hoiccb.org.models import Unit

# Fields an import may set on a member (unit and status are not among them: an
# import never moves or ends a registered member).
IMPORTED_FIELDS = (
    "ho",
    "chu_dem",
    "ten",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "phone",
    "cccd",
    "card_number",
    "kind",
    "joined_on",
    "enlisted_on",
    "discharged_on",
    "rank",
    "served_unit",
    "party_member",
    "party_joined_on",
    "war_invalid_rate",
    "education",
    "occupation",
    "notes",
)
DATE_FIELDS = {"birth_date", "joined_on", "enlisted_on", "discharged_on", "party_joined_on"}


_partial_date = lru_cache(maxsize=65_536)(PartialDate.from_storage)  # PartialDate is immutable


class _RecordView(SimpleNamespace):
    """A parsed row as validate_record reads a member: dates as PartialDate, unknowns None."""

    birth_date = joined_on = enlisted_on = discharged_on = party_joined_on = died_on = None
    war_invalid_rate = None
    party_member = False


def record_view(values: dict) -> _RecordView:
    """Return the row as validate_record reads a member (dates as PartialDate), without a model instance."""
    view = _RecordView()
    for key in DATE_FIELDS:
        stored = values.get(key)
        if stored:
            setattr(view, key, _partial_date(stored))
    view.war_invalid_rate = values.get("war_invalid_rate") or None
    view.party_member = bool(values.get("party_member"))
    return view


def validation_errors(values: dict, number: int) -> list[str]:
    if _plainly_in_order(values):
        return []
    try:
        validate_record(record_view(values))
    except ValidationError as exc:
        return [
            f"Dòng {number}, {member_field(field).verbose_name}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def _plainly_in_order(values: dict) -> bool:
    """True when the years alone show that validate_record would pass: the usual row, checked
    without building its dates. False means "not sure": the full check decides."""
    this_year = datetime.date.today().year
    get = values.get
    birth, enlisted, discharged, joined, party = (
        int(text[:4]) if text else None
        for text in (
            get("birth_date"),
            get("enlisted_on"),
            get("discharged_on"),
            get("joined_on"),
            get("party_joined_on"),
        )
    )
    if birth is not None:
        if not 1900 <= birth <= this_year - 16:
            return False
        if (enlisted is not None and enlisted - birth < 14) or (joined is not None and joined <= birth):
            return False
        if party is not None and party <= birth:
            return False
    for year in (enlisted, discharged, joined, party):
        if year is not None and year >= this_year:
            return False
    if enlisted is not None and discharged is not None and discharged <= enlisted:
        return False
    rate = get("war_invalid_rate")
    if rate and not 1 <= rate <= 100:
        return False
    return party is None or bool(get("party_member"))


_AT = {name: i for i, name in enumerate(MEMBER_COLUMNS)}  # where each column goes in a member row


@lru_cache(maxsize=1)
def _row_layout() -> tuple[list, dict[str, int]]:
    """A new member's row of defaults (MEMBER_COLUMNS order), and where each imported field goes in it."""
    defaults = {f.attname: f.get_default() for f in Member._meta.concrete_fields if f.attname != "id"}
    defaults.update({key: "" for key in DATE_FIELDS | {"died_on"}})
    return [defaults[name] for name in MEMBER_COLUMNS], {key: _AT[key] for key in IMPORTED_FIELDS}


def member_row(values: dict, unit: Unit, now, imported_in: int | None = None) -> list:
    """Return a new member's row (MEMBER_COLUMNS order) from a parsed row's values, derived columns
    filled in; `imported_in` is the id of the import registering them."""
    template, imported = _row_layout()
    row = template.copy()
    for key, value in values.items():
        at = imported.get(key)
        if at is not None:
            row[at] = value
    ho, chu_dem, ten = values.get("ho", ""), values.get("chu_dem", ""), values.get("ten", "")
    card_number = values.get("card_number") or None
    birth = values.get("birth_date")
    row[_AT["unit_id"]] = unit.pk
    row[_AT["unit_path"]] = unit.path
    row[_AT["cccd"]] = values.get("cccd") or None
    row[_AT["card_number"]] = card_number
    row[_AT["birth_year"]] = int(birth[:4]) if birth else None
    row[_AT["status"]] = MemberStatus.ACTIVE
    row[_AT["search_text"]] = build_search_text(" ".join(p for p in (ho, chu_dem, ten) if p), card_number)
    row[_AT["sort_key"]] = name_sort_key(ho, chu_dem, ten)
    row[_AT["version"]] = 1
    row[_AT["imported_in_id"]] = imported_in
    row[_AT["created_at"]] = row[_AT["updated_at"]] = now
    return row


def stored_value(member: Member, key: str):
    value = getattr(member, key)
    if isinstance(value, PartialDate):
        return value.to_storage()
    return value if value is not None else ""

"""A parsed row as a member record: the fields an import sets, checks, and rows for the bulk insert."""

from functools import lru_cache
from types import SimpleNamespace

from django.core.exceptions import ValidationError

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import name_sort_key
from hoiccb.members.bulk import MemberRecord
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


def record_view(values: dict) -> SimpleNamespace:
    """Return the row as validate_record reads a member (dates as PartialDate), without a model instance."""
    view = SimpleNamespace(**dict.fromkeys(DATE_FIELDS | {"died_on"}), war_invalid_rate=None, party_member=False)
    for key in DATE_FIELDS:
        if values.get(key):
            setattr(view, key, _partial_date(values[key]))
    view.war_invalid_rate = values.get("war_invalid_rate") or None
    view.party_member = bool(values.get("party_member"))
    return view


def validation_errors(values: dict, number: int) -> list[str]:
    try:
        validate_record(record_view(values))
    except ValidationError as exc:
        return [
            f"Dòng {number}, {member_field(field).verbose_name}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


@lru_cache(maxsize=1)
def _member_defaults() -> dict:
    """Every member column's default, computed once (a new record starts from a copy)."""
    defaults = {f.attname: f.get_default() for f in Member._meta.concrete_fields if f.attname != "id"}
    defaults.update({key: "" for key in DATE_FIELDS | {"died_on"}})
    return defaults


def record_for(values: dict, unit: Unit, now) -> MemberRecord:
    record = {key: values[key] for key in IMPORTED_FIELDS if key in values}
    full_name = " ".join(p for p in (record.get("ho"), record.get("chu_dem"), record.get("ten")) if p)
    birth = record.get("birth_date")
    return MemberRecord(
        {
            **_member_defaults(),
            **record,
            "unit_id": unit.pk,
            "unit_path": unit.path,
            "cccd": record.get("cccd") or None,
            "card_number": record.get("card_number") or None,
            "birth_year": int(birth[:4]) if birth else None,
            "status": MemberStatus.ACTIVE,
            "search_text": build_search_text(full_name, record.get("card_number")),
            "sort_key": name_sort_key(record.get("ho", ""), record.get("chu_dem", ""), record.get("ten", "")),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        },
        [],
    )


def stored_value(member: Member, key: str):
    value = getattr(member, key)
    if isinstance(value, PartialDate):
        return value.to_storage()
    return value if value is not None else ""

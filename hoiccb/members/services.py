"""Member lifecycle: admit, edit, transfer, leave, record death, issue card.

Each service checks the actor's scope, validates, saves, and writes one history
entry (who, when, what, before → after) in the same transaction.
"""

import datetime
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.audit import diff, snapshot
from hoiccb.lib.dates import PartialDate, may_precede
from hoiccb.lib.text import clean_text
from hoiccb.members import deaths
from hoiccb.members.models import EventKind, Member, MemberEvent, MemberStatus, partial_date
from hoiccb.org.audit import record, record_many
from hoiccb.org.models import Unit


class EditConflict(Exception):
    """Raised when a record changed since the user opened it (optimistic locking)."""

    def __init__(self, current: Member):
        super().__init__("version conflict")
        self.current = current


# Fields a clerk edits through the record form; everything else changes only by a service.
EDITABLE_FIELDS = (
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
    "kind",
    "joined_on",
    "enlisted_on",
    "discharged_on",
    "discharge_kind",
    "rank",
    "served_unit",
    "theatres",
    "war_invalid_rate",
    "sick_soldier",
    "agent_orange",
    "hero",
    "policy_family",
    "family_circumstance",
    "health_note",
    "party_member",
    "party_joined_on",
    "education",
    "occupation",
    "retired",
    "notes",
)


def _check_edit(actor: User, member: Member) -> None:
    if not (scoping.can(actor, "edit_members") and scoping.unit_in_scope(actor, member.unit)):
        raise PermissionDenied("Bạn không có quyền sửa hồ sơ hội viên này.")


def _check_target_unit(actor: User, unit: Unit) -> None:
    if not (scoping.can(actor, "edit_members") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    if not unit.is_active:
        raise ValidationError({"unit": "Đơn vị đã sáp nhập hoặc giải thể, không nhận hội viên."})
    if not unit.kind.holds_members:
        raise ValidationError(
            {"unit": f"Hội viên không sinh hoạt trực tiếp ở cấp “{unit.kind}”; chọn Hội cơ sở hoặc chi hội."}
        )


_RECORD_DATES = ("birth_date", "enlisted_on", "discharged_on", "joined_on", "party_joined_on", "died_on")


def validate_record(member: Member | SimpleNamespace) -> None:
    """Raise ValidationError (Vietnamese, per field) when the record's dates are out of order.

    `member` is a Member or an import row read as one (members.imports.records.record_view).
    """
    errors: dict[str, str] = {}
    dates = {name: partial_date(member, name) for name in _RECORD_DATES}
    birth, enlisted = dates["birth_date"], dates["enlisted_on"]
    checks = [
        ("enlisted_on", birth, enlisted, "Ngày nhập ngũ phải sau ngày sinh."),
        ("discharged_on", enlisted, dates["discharged_on"], "Ngày xuất ngũ phải sau ngày nhập ngũ."),
        ("joined_on", birth, dates["joined_on"], "Ngày vào Hội phải sau ngày sinh."),
        ("party_joined_on", birth, dates["party_joined_on"], "Ngày vào Đảng phải sau ngày sinh."),
        ("died_on", birth, dates["died_on"], "Ngày từ trần phải sau ngày sinh."),
    ]
    for field, earlier, later, message in checks:
        if not may_precede(earlier, later):
            errors[field] = message
    if birth and enlisted and enlisted.year - birth.year < 14:
        errors.setdefault("enlisted_on", "Tuổi nhập ngũ không hợp lý (dưới 14 tuổi).")
    today = PartialDate.from_date(datetime.date.today())
    for field, value in dates.items():
        if value and not may_precede(value, today):
            errors.setdefault(field, "Ngày không được ở tương lai.")
    if birth and not 1900 <= birth.year <= today.year - 16:
        errors.setdefault("birth_date", "Năm sinh không hợp lý.")
    if member.war_invalid_rate is not None and not 1 <= member.war_invalid_rate <= 100:
        errors["war_invalid_rate"] = "Tỷ lệ tổn thương phải từ 1 đến 100%."
    if dates["party_joined_on"] and not member.party_member:
        errors.setdefault("party_joined_on", "Chỉ ghi ngày vào Đảng cho đảng viên.")
    if errors:
        raise ValidationError(errors)


def _save_checked(member: Member, **save_kwargs) -> None:
    """Validate field by field (format, uniqueness, date order) and save; errors are merged."""
    member.refresh_derived()
    errors: dict[str, list[str]] = {}
    # The table's CHECK constraints restate validate_record's rules as a last line of
    # defence; validate_record reports them on the right field, so they are skipped here.
    for check in (
        lambda: member.full_clean(exclude=["theatres"], validate_constraints=False),
        lambda: validate_record(member),
    ):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)
    member.save(**save_kwargs)


@transaction.atomic
def member_admit(
    *,
    actor: User,
    unit: Unit,
    joined_on: PartialDate | None = None,
    theatres=(),
    note: str = "",
    **fields,
) -> Member:
    """Register a new member in `unit`; returns the saved member."""
    _check_target_unit(actor, unit)
    # PartialDateField is typed by its base, CharField, as str.
    member = Member(unit=unit, joined_on=joined_on, status=MemberStatus.ACTIVE, **fields)
    _save_checked(member)
    if theatres:
        member.theatres.set(theatres)
    record(
        MemberEvent,
        actor=actor,
        action=EventKind.ADMITTED,
        member=member,
        to_unit=unit,
        happened_on=joined_on.earliest() if joined_on and joined_on.day else None,
        note=note,
    )
    return member


@transaction.atomic
def member_update(*, actor: User, member: Member, expected_version: int, changes: dict) -> Member:
    """Apply a clerk's edits; raises EditConflict when someone saved in between."""
    _check_edit(actor, member)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    before = snapshot(current, changes.keys())
    theatres = changes.pop("theatres", None)
    for name, value in changes.items():
        setattr(current, name, value)
    # The row is locked (select_for_update; SQLite's IMMEDIATE transaction), so a plain +1 is safe.
    current.version += 1
    _save_checked(current)
    if theatres is not None:
        current.theatres.set(theatres)
        changes["theatres"] = theatres
    current.refresh_from_db()
    recorded = diff(before, snapshot(current, changes.keys()), Member)
    if recorded:
        record(MemberEvent, actor=actor, action=EventKind.UPDATED, changes=recorded, member=current)
    return current


def _lock_for_change(actor: User, member: Member, *, must_be_active: bool = True) -> Member:
    _check_edit(actor, member)
    current = Member.objects.select_for_update().select_related("unit").get(pk=member.pk)
    if must_be_active and not current.is_active:
        raise ValidationError(f"Hội viên đang ở tình trạng “{current.get_status_display()}”, không thực hiện được.")
    return current


def _bump(member: Member, fields: list[str]) -> None:
    member.version = F("version") + 1
    member.save(update_fields=[*fields, "version", "updated_at"])
    member.refresh_from_db()


@transaction.atomic
def member_transfer(*, actor: User, member: Member, to_unit: Unit, on: datetime.date, note: str = "") -> Member:
    """Move an active member to another unit of the actor's subtree."""
    member = _lock_for_change(actor, member)
    _check_target_unit(actor, to_unit)
    if to_unit.pk == member.unit_id:
        raise ValidationError({"to_unit": "Hội viên đã sinh hoạt tại đơn vị này."})
    from_unit = member.unit
    member.unit = to_unit
    member.unit_path = to_unit.path
    _bump(member, ["unit", "unit_path"])
    record(
        MemberEvent,
        actor=actor,
        action=EventKind.TRANSFERRED,
        changes={"Đơn vị": [str(from_unit), str(to_unit)]},
        member=member,
        happened_on=on,
        from_unit=from_unit,
        to_unit=to_unit,
        note=note,
    )
    return member


@transaction.atomic
def member_transfer_out(*, actor: User, member: Member, on: datetime.date, destination: str) -> Member:
    """Record that a member moved to an association outside this system."""
    member = _lock_for_change(actor, member)
    return _change_status(
        actor,
        member,
        MemberStatus.TRANSFERRED_OUT,
        EventKind.TRANSFERRED_OUT,
        on,
        note=f"Chuyển đến: {destination}",
    )


@transaction.atomic
def member_leave(*, actor: User, member: Member, on: datetime.date, reason: str) -> Member:
    member = _lock_for_change(actor, member)
    return _change_status(actor, member, MemberStatus.LEFT, EventKind.LEFT, on, note=reason)


@transaction.atomic
def member_record_death(
    *, actor: User, member: Member, died_on: PartialDate, note: str = "", funeral: str = ""
) -> Member:
    """Record the death; the registered apps react in the same transaction (a visit task)."""
    member = _lock_for_change(actor, member)
    member.died_on = died_on
    validate_record(member)
    member = _change_status(
        actor,
        member,
        MemberStatus.DECEASED,
        EventKind.DIED,
        died_on.earliest() if died_on.day else None,
        note=note,
        extra_fields=["died_on"],
    )
    deaths.notify(actor=actor, member=member, funeral=funeral)
    return member


@transaction.atomic
def member_reinstate(*, actor: User, member: Member, on: datetime.date, note: str = "") -> Member:
    """Undo a mistaken leave or transfer-out (not a death)."""
    member = _lock_for_change(actor, member, must_be_active=False)
    if member.status not in (MemberStatus.LEFT, MemberStatus.TRANSFERRED_OUT):
        raise ValidationError("Chỉ cho sinh hoạt trở lại hội viên đã thôi hoặc đã chuyển đi.")
    _check_target_unit(actor, member.unit)
    return _change_status(actor, member, MemberStatus.ACTIVE, EventKind.REINSTATED, on, note=note)


@transaction.atomic
def member_death_correct(*, actor: User, member: Member, reason: str) -> Member:
    """Undo a death recorded by mistake: the member is active again, the date of death cleared.

    The history keeps both entries (the death and its correction, with the reason and who made it).
    """
    member = _lock_for_change(actor, member, must_be_active=False)
    if member.status != MemberStatus.DECEASED:
        raise ValidationError("Hội viên không ở tình trạng “Từ trần”, không có gì để đính chính.")
    _check_target_unit(actor, member.unit)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": "Ghi lý do đính chính (ví dụ: ghi nhầm người, nhầm hồ sơ)."})
    before_date = str(member.died_on or "")
    member.died_on = None
    return _change_status(
        actor,
        member,
        MemberStatus.ACTIVE,
        EventKind.REINSTATED,
        None,
        note=f"Đính chính: ghi nhận từ trần bị nhầm. Lý do: {reason}",
        extra_fields=["died_on"],
        summary="Đính chính ghi nhận từ trần",
        extra_changes={"Ngày từ trần": [before_date, ""]},
    )


def _change_status(
    actor: User,
    member: Member,
    status: str,
    event_kind: str,
    on: datetime.date | None,
    *,
    note: str = "",
    extra_fields: tuple[str, ...] | list[str] = (),
    summary: str = "",
    extra_changes: dict | None = None,
) -> Member:
    """Set a locked member's status and write the history entry."""
    before = member.get_status_display()
    member.status = status
    member.status_date = on
    _bump(member, ["status", "status_date", *extra_fields])
    record(
        MemberEvent,
        actor=actor,
        action=event_kind,
        summary=summary,
        changes={"Tình trạng": [before, member.get_status_display()], **(extra_changes or {})},
        member=member,
        happened_on=on,
        from_unit=member.unit,
        note=note,
    )
    return member


@transaction.atomic
def member_issue_card(*, actor: User, member: Member, number: str, issued_on: datetime.date) -> Member:
    """Give a member a (new) card number; numbers are unique across the installation."""
    member = _lock_for_change(actor, member)
    number = number.strip().upper()
    if not number:
        raise ValidationError({"number": "Nhập số thẻ."})
    if Member.objects.filter(card_number=number).exclude(pk=member.pk).exists():
        raise ValidationError({"number": f"Số thẻ {number} đã cấp cho hội viên khác."})
    old = member.card_number or ""
    member.card_number = number
    member.card_issued_on = issued_on
    member.refresh_derived()
    _bump(member, ["card_number", "card_issued_on", "search_text"])
    record(
        MemberEvent,
        actor=actor,
        action=EventKind.CARD_ISSUED,
        changes={"Số thẻ hội viên": [old, number]},
        member=member,
        happened_on=issued_on,
    )
    return member


def members_move_for_merge(*, actor: User, from_unit: Unit, to_unit: Unit, on: datetime.date) -> int:
    """Move every member of `from_unit` to `to_unit` for a merge; returns how many moved.

    Runs inside unit_merge's transaction. One history entry per member keeps the
    unit they were in.
    """
    member_ids = list(Member.objects.filter(unit=from_unit).values_list("pk", flat=True))
    Member.objects.filter(unit=from_unit).update(unit=to_unit, unit_path=to_unit.path, version=F("version") + 1)
    # Rows of a bulk insert skip save(): the path is given, since every member now sits in `to_unit`.
    record_many(
        MemberEvent,
        (
            MemberEvent(
                member_id=pk,
                unit_path=to_unit.path,
                action=EventKind.UNIT_MERGED,
                actor=actor,
                happened_on=on,
                from_unit=from_unit,
                to_unit=to_unit,
                changes={"Đơn vị": [str(from_unit), str(to_unit)]},
                note=f"{from_unit} sáp nhập vào {to_unit}.",
            )
            for pk in member_ids
        ),
    )
    return len(member_ids)

"""Writes to the unit tree. Each service checks the actor's scope and leaves an audit entry."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Value
from django.db.models.functions import Concat, Length, Substr

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.audit import diff, snapshot
from hoiccb.org.audit import record
from hoiccb.org.models import (
    OfficerPosition,
    Term,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitKind,
    UnitStatus,
)
from hoiccb.org.paths import STEP_LENGTH, decode_step, encode_step, subtree_filter
from hoiccb.org.people import people
from hoiccb.org.unit_owned import repath_unit_owned

EDITABLE_UNIT_FIELDS = (
    "kind",
    "code",
    "name",
    "host_organisation",
    "group",
    "cluster",
    "established_on",
    "address",
    "place",
    "phone",
)


def _check_manage(actor: User, unit: Unit) -> None:
    if not scoping.can_manage_unit(actor, unit):
        raise PermissionDenied("Bạn không có quyền quản lý đơn vị này.")


def check_levels(*, kind: UnitKind, parent: Unit | None, children_levels=()) -> None:
    """Raise ValidationError unless `kind` sits below its parent's level and above its children's."""
    if parent is not None and kind.level <= parent.kind.level:
        raise ValidationError({"kind": f"Đơn vị cấp “{kind}” không thể trực thuộc đơn vị cấp “{parent.kind}”."})
    if any(level <= kind.level for level in children_levels):
        raise ValidationError({"kind": f"Đơn vị có đơn vị trực thuộc cùng cấp hoặc cấp cao hơn “{kind}”."})


def next_child_path(parent: Unit | None) -> str:
    """Return a free path under `parent` (or at the root). Call inside a transaction."""
    prefix = parent.path if parent else ""
    siblings = Unit.objects.filter(**subtree_filter("path", prefix)) if prefix else Unit.objects.all()
    last = (
        siblings.annotate(path_length=Length("path"))
        .filter(path_length=len(prefix) + STEP_LENGTH)
        .aggregate(last=Max("path"))["last"]
    )
    number = decode_step(last[len(prefix) :]) + 1 if last else 1
    return prefix + encode_step(number)


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None, **fields) -> Unit:
    """Create a unit under `parent`; returns it. Only roots may be made without an actor."""
    if parent is not None:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if actor is not None and not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, parent)):
            raise PermissionDenied("Bạn không có quyền tạo đơn vị ở đây.")
        if not parent.is_active:
            raise ValidationError("Không thể tạo đơn vị dưới một đơn vị đã sáp nhập hoặc giải thể.")
    elif actor is not None and not actor.is_superuser:
        raise PermissionDenied("Chỉ quản trị hệ thống mới tạo được đơn vị gốc.")
    unit = Unit(parent=parent, path=next_child_path(parent), **fields)
    unit.full_clean()
    check_levels(kind=unit.kind, parent=parent)
    unit.save()
    record(UnitEvent, actor=actor, action=UnitEventKind.CREATED, unit=unit)
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, **fields) -> Unit:
    _check_manage(actor, unit)
    before = snapshot(unit, fields.keys())
    for name, value in fields.items():
        if name not in EDITABLE_UNIT_FIELDS:
            raise ValueError(f"not editable here: {name}")
        setattr(unit, name, value)
    unit.full_clean()
    check_levels(
        kind=unit.kind, parent=unit.parent, children_levels=unit.children.values_list("kind__level", flat=True)
    )
    if not unit.kind.holds_members and unit.members.exists():
        raise ValidationError({"kind": f"Đơn vị đang có hội viên; cấp “{unit.kind}” không có hội viên sinh hoạt."})
    unit.save()
    changes = diff(before, snapshot(unit, fields.keys()), Unit)
    if changes:
        record(UnitEvent, actor=actor, action=UnitEventKind.UPDATED, changes=changes, unit=unit)
    return unit


def _repath_subtree(old_prefix: str, new_prefix: str) -> None:
    """Rewrite the paths of a subtree, and every unit-owned row's copy of them, one statement per table."""
    cut = len(old_prefix) + 1
    Unit.objects.filter(**subtree_filter("path", old_prefix)).update(
        path=Concat(Value(new_prefix), Substr("path", cut))
    )
    repath_unit_owned(old_prefix, new_prefix)


@transaction.atomic
def unit_move(*, actor: User, unit: Unit, new_parent: Unit) -> Unit:
    """Put `unit` (with its subtree and members) under `new_parent`; returns the unit."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_manage(actor, unit)
    if not scoping.unit_in_scope(actor, new_parent):
        raise PermissionDenied("Đơn vị cấp trên mới nằm ngoài phạm vi của bạn.")
    if new_parent.is_within(unit):
        raise ValidationError("Không thể chuyển một đơn vị vào dưới chính nó hoặc đơn vị con của nó.")
    if not new_parent.is_active:
        raise ValidationError("Đơn vị cấp trên mới đã sáp nhập hoặc giải thể.")
    check_levels(kind=unit.kind, parent=new_parent)
    if unit.parent_id == new_parent.pk:
        return unit
    old_parent = unit.parent
    old_path = unit.path
    new_path = next_child_path(new_parent)
    _repath_subtree(old_path, new_path)
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    unit.refresh_from_db()
    record(
        UnitEvent,
        actor=actor,
        action=UnitEventKind.MOVED,
        unit=unit,
        changes={"Đơn vị cấp trên": [str(old_parent or ""), str(new_parent)]},
    )
    return unit


@transaction.atomic
def unit_merge(*, actor: User, unit: Unit, into: Unit, on: datetime.date) -> Unit:
    """Merge `unit` into `into`: members and child units move, the unit is kept as merged.

    Each moved member gets a history entry naming the unit they came from, so
    their history still shows where they were. Returns the successor.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _check_manage(actor, unit)
    if not scoping.unit_in_scope(actor, into):
        raise PermissionDenied("Đơn vị tiếp nhận nằm ngoài phạm vi của bạn.")
    if into.pk == unit.pk or into.is_within(unit):
        raise ValidationError("Không thể sáp nhập một đơn vị vào chính nó hoặc đơn vị con của nó.")
    if not (unit.is_active and into.is_active):
        raise ValidationError("Chỉ sáp nhập được giữa hai đơn vị đang hoạt động.")
    if into.kind.level > unit.kind.level:
        raise ValidationError("Chỉ sáp nhập vào đơn vị cùng cấp hoặc cấp trên.")
    if not into.kind.holds_members and unit.members.exists():
        raise ValidationError(f"Đơn vị cấp “{into.kind}” không có hội viên sinh hoạt trực tiếp, không nhận hội viên.")
    if unit.established_on and on < unit.established_on:
        raise ValidationError("Ngày sáp nhập phải sau ngày thành lập đơn vị.")

    moved = people().move_for_merge(actor=actor, from_unit=unit, to_unit=into, on=on)
    for child in Unit.objects.filter(parent=unit):
        unit_move(actor=actor, unit=child, new_parent=into)
    unit.status = UnitStatus.MERGED
    unit.successor = into
    unit.ended_on = on
    unit.full_clean()
    unit.save(update_fields=["status", "successor", "ended_on", "updated_at"])
    record(
        UnitEvent,
        actor=actor,
        action=UnitEventKind.MERGED,
        unit=unit,
        changes={"Đơn vị kế thừa": ["", str(into)]},
        note=f"{moved} hội viên chuyển sang.",
    )
    record(
        UnitEvent,
        actor=actor,
        action=UnitEventKind.ABSORBED,
        unit=into,
        changes={"Tiếp nhận": ["", str(unit)]},
        note=f"{moved} hội viên chuyển đến.",
    )
    return into


@transaction.atomic
def term_create(*, actor: User, unit: Unit, start_year: int, end_year: int) -> Term:
    if not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Bạn không có quyền lập nhiệm kỳ cho đơn vị này.")
    term = Term(unit=unit, start_year=start_year, end_year=end_year)
    term.full_clean()
    term.save()
    return term


@transaction.atomic
def officer_assign(
    *, actor: User, unit: Unit, term: Term, member, role: str, start_date: datetime.date
) -> OfficerPosition:
    """Give a member a position in a unit for a term; returns the position."""
    if not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Bạn không có quyền phân công chức vụ ở đơn vị này.")
    if term.unit_id != unit.pk:
        raise ValidationError("Nhiệm kỳ không thuộc đơn vị này.")
    if not member.unit.is_within(unit):
        raise ValidationError("Hội viên phải sinh hoạt tại đơn vị này hoặc đơn vị trực thuộc.")
    position = OfficerPosition(unit=unit, term=term, member=member, role=role, start_date=start_date)
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def officer_end(*, actor: User, position: OfficerPosition, end_date: datetime.date) -> OfficerPosition:
    if not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, position.unit)):
        raise PermissionDenied("Bạn không có quyền sửa chức vụ ở đơn vị này.")
    position.end_date = end_date
    position.full_clean()
    position.save(update_fields=["end_date"])
    return position

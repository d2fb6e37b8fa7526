"""Reads of the unit tree, scoped to the user."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import collation_key
from hoiccb.lib.word import Signature
from hoiccb.org.models import OfficerPosition, PositionRole, Unit, UnitEvent, UnitKind, UnitStatus
from hoiccb.org.paths import STEP_LENGTH, ancestor_paths, subtree_filter
from hoiccb.org.people import people


def tree(user, root: Unit | None = None, depth: int = 2, include_inactive: bool = False):
    """Return (root, rows) where rows are (unit, level, members in subtree) in tree order."""
    root = root or scoping.root_unit(user)
    if root is None:
        return None, []
    max_len = len(root.path) + depth * STEP_LENGTH
    units = (
        scoping.units(user)
        .filter(**subtree_filter("path", root.path))
        .annotate(path_length=Length("path"))
        .filter(path_length__lte=max_len)
        .select_related("kind", "group")
    )
    if not include_inactive:
        units = units.filter(Q(status=UnitStatus.ACTIVE) | Q(pk=root.pk))
    counts = people().headcounts(root.path, depth)
    return root, [(u, (len(u.path) - len(root.path)) // STEP_LENGTH, counts.get(u.path, 0)) for u in tree_order(units)]


def tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Return units depth-first with siblings in Vietnamese name order (paths order them by creation).

    Units whose parent is not in the list start the walk, in path order.
    """
    by_path = sorted(units, key=lambda u: u.path)
    paths = {unit.path for unit in by_path}
    children: dict[str, list[Unit]] = defaultdict(list)
    tops: list[Unit] = []
    for unit in by_path:
        parent_path = unit.path[:-STEP_LENGTH]
        (children[parent_path] if parent_path in paths else tops).append(unit)
    ordered: list[Unit] = []

    def walk(unit: Unit) -> None:
        ordered.append(unit)
        for child in sorted(children[unit.path], key=lambda u: collation_key(u.name)):
            walk(child)

    for top in tops:
        walk(top)
    return ordered


def current_officers(unit: Unit):
    """Return the positions now held in a unit (no end date), highest role first."""
    positions = OfficerPosition.objects.filter(unit=unit, end_date__isnull=True).select_related("member", "term")
    return sorted(positions, key=lambda p: (p.role_rank, p.member.ten))


def place_on_record(unit: Unit) -> str:
    """The place the unit's documents are dated at: its own, else its nearest ancestor's; "" when none has one."""
    if unit.place:
        return unit.place
    above = dict(Unit.objects.filter(path__in=ancestor_paths(unit.path)).exclude(place="").values_list("path", "place"))
    nearest = max(above, key=len, default=None)
    return above[nearest] if nearest is not None else ""


def place_of(unit: Unit) -> str:
    """The place of the date line of the unit's documents ("Lào Cai, ngày …"): the one on record
    for the unit or above it, else settings.DOCUMENT_DEFAULT_PLACE."""
    return place_on_record(unit) or settings.DOCUMENT_DEFAULT_PLACE


def signer_for(unit: Unit, on: datetime.date | None = None) -> Signature:
    """Who signs for the unit's standing committee on a date, from the officers on record.

    The Chairman ("TM. BAN THƯỜNG VỤ / CHỦ TỊCH"); without one, the longest-serving Vice-Chairman
    signs for him ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"); without either, the name is left blank.
    """
    on = on or datetime.date.today()
    held = (
        OfficerPosition.objects.filter(
            unit=unit, start_date__lte=on, role__in=[PositionRole.CHAIR, PositionRole.VICE_CHAIR]
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("member")
        .order_by("start_date", "id")
    )
    by_role: dict[str, OfficerPosition] = {}
    for position in held:
        by_role.setdefault(position.role, position)
    if PositionRole.CHAIR in by_role:
        return Signature(name=by_role[PositionRole.CHAIR].member.full_name)
    if PositionRole.VICE_CHAIR in by_role:
        return Signature(
            name=by_role[PositionRole.VICE_CHAIR].member.full_name, title="PHÓ CHỦ TỊCH", deputy_for="KT. CHỦ TỊCH"
        )
    return Signature()


def child_kind(parent: Unit) -> UnitKind | None:
    """Return the level just below the parent's, to preselect on the add-unit form."""
    return UnitKind.objects.filter(level__gt=parent.kind.level).order_by("level").first()


def unit_events(unit: Unit, limit: int = 20) -> QuerySet[UnitEvent]:
    """Return the latest audit rows of a unit, newest first, with who wrote them."""
    return unit.events.select_related("actor")[:limit]


def positions(user: User) -> QuerySet[OfficerPosition]:
    """Return the officer positions in the user's units, with their member and unit."""
    return OfficerPosition.objects.filter(unit__in=scoping.units(user)).select_related("member", "unit")

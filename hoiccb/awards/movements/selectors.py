"""Scoped reads of movements and ratings (see hoiccb/accounts/scoping.py)."""

from django.db.models import Q, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.movements.models import MemberRating, Movement, UnitRating
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit
from hoiccb.org.paths import ancestor_paths, subtree_filter


def movements_for(user: User) -> QuerySet[Movement]:
    """Movements launched in the user's subtree or above it."""
    root = scoping.root_unit(user)
    if root is None or not scoping.can(user, "view"):
        return Movement.objects.none()
    return Movement.objects.filter(
        Q(**subtree_filter("unit_path", root.path)) | Q(unit_path__in=ancestor_paths(root.path))
    )


def launched_movements(user: User) -> QuerySet[Movement]:
    """Movements launched in the user's subtree (those a round may be opened for)."""
    return scoping.in_scope(user, Movement.objects.all())


def scored_units(user: User) -> list[Unit]:
    """The grassroots units of the user's scope, the rows of a score sheet."""
    return list(scoping.units(user).filter(kind__is_grassroots=True).order_by("path"))


def unit_ratings(movement: Movement, year: int, units: list[Unit]) -> dict[int, UnitRating]:
    """The year's ratings of the units, by unit id."""
    return {r.unit_id: r for r in UnitRating.objects.filter(movement=movement, year=year, unit__in=units)}


def units_with_members(user: User) -> QuerySet[Unit]:
    """The units of the user's scope that hold members (whose members are rated)."""
    return scoping.units(user).filter(kind__holds_members=True).order_by("path")


def active_members(unit: Unit) -> list[Member]:
    return list(unit.members.filter(status=MemberStatus.ACTIVE).order_by("sort_key", "id"))


def exemplary_ids(movement: Movement, year: int, people: list[Member]) -> set[int]:
    """Which of `people` were rated CCB gương mẫu in the year."""
    return set(
        MemberRating.objects.filter(movement=movement, year=year, member__in=people, exemplary=True).values_list(
            "member_id", flat=True
        )
    )

"""Reads of the yearly registration: each unit's registration and members for a year, a member's
years, and the scoped rows the pages start from (see hoiccb/accounts/scoping.py)."""

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.movements.models import Movement
from hoiccb.awards.registration.models import Registration, RegistrationException
from hoiccb.awards.rounds.selectors import member_counts
from hoiccb.members import access as members_access
from hoiccb.members.models import Member, MemberStatus
from hoiccb.members.selectors import search_condition, search_terms
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import ancestor_paths, subtree_filter

SEARCH_LIMIT = 30


def registrable_units(user: User, movement: Movement) -> QuerySet[Unit]:
    """The active grassroots units of the user's scope within the movement's."""
    return scoping.units(user).filter(
        kind__is_grassroots=True, status=UnitStatus.ACTIVE, **subtree_filter("path", movement.unit_path)
    )


def registrations(user: User) -> QuerySet[Registration]:
    """Registrations of the units in the user's subtree."""
    return scoping.in_scope(user, Registration.objects.select_related("movement", "unit", "registered_by"))


def unit_members(user: User, registration: Registration) -> QuerySet[Member]:
    """The members of the user's scope in the registered unit (any status)."""
    return members_access.members(user).filter(**subtree_filter("unit_path", registration.unit_path))


def people(user: User, registration: Registration, query: str) -> list[Member]:
    """The unit's active members matching the query (all of them, up to the limit + 1, when it is empty)."""
    found = unit_members(user, registration).filter(status=MemberStatus.ACTIVE)
    terms = search_terms(query)
    if terms:
        found = found.filter(search_condition(terms))
    return list(found.select_related("unit").order_by("sort_key", "id")[: SEARCH_LIMIT + 1])


def exceptions_by_member(registration: Registration) -> dict[int, RegistrationException]:
    return {e.member_id: e for e in registration.exceptions.select_related("member__unit")}


@dataclass
class UnitRow:
    unit: Unit
    registration: Registration | None
    members: int
    excepted: int

    @property
    def registered_members(self) -> int:
        return self.members - self.excepted if self.registration else 0


@dataclass
class Totals:
    units: int
    units_registered: int
    members: int
    members_registered: int


def excepted_counts(registrations) -> dict[int, int]:
    """Exceptions of each registration that still count: active members still in the unit."""
    rows = (
        RegistrationException.objects.filter(
            registration__in=registrations,
            member__status=MemberStatus.ACTIVE,
            member__unit_path__startswith=F("registration__unit_path"),
        )
        .values("registration")
        .annotate(n=Count("id"))
    )
    return {r["registration"]: r["n"] for r in rows}


def unit_rows(movement: Movement, year: int, units: list[Unit]) -> tuple[list[UnitRow], Totals]:
    """Each unit with its registration and members for the year, and the totals (four queries)."""
    registrations = {
        r.unit_id: r
        for r in Registration.objects.filter(movement=movement, year=year, unit__in=units).select_related(
            "registered_by"
        )
    }
    members = member_counts(units) if units else {}
    excepted = excepted_counts(list(registrations.values())) if registrations else {}
    rows = [
        UnitRow(
            unit=u,
            registration=registrations.get(u.pk),
            members=members.get(u.pk, 0),
            excepted=excepted.get(registrations[u.pk].pk, 0) if u.pk in registrations else 0,
        )
        for u in units
    ]
    totals = Totals(
        units=len(rows),
        units_registered=sum(1 for r in rows if r.registration),
        members=sum(r.members for r in rows),
        members_registered=sum(r.registered_members for r in rows),
    )
    return rows, totals


@dataclass
class MemberYear:
    movement: Movement
    year: int
    state: str  # "registered", "excepted", "unit_absent"
    reason: str = ""


def member_years(member: Member) -> list[MemberYear]:
    """Whether the member was registered each year of the movements over their unit (newest first).

    Years before the member joined are left out. The unit is the member's present one: a
    member who moved is shown with the new unit's record.
    """
    paths = [*ancestor_paths(member.unit_path), member.unit_path]
    movements = list(Movement.objects.filter(unit_path__in=paths))
    if not movements:
        return []
    registered = {
        (r.movement_id, r.year): r.pk
        for r in Registration.objects.filter(movement__in=movements, unit_path__in=paths).only(
            "pk", "movement_id", "year"
        )
    }
    reasons = dict(
        RegistrationException.objects.filter(member=member, registration__in=registered.values()).values_list(
            "registration_id", "reason"
        )
    )
    joined_on = member.joined_on
    joined = joined_on.year if joined_on else 0
    years = []
    for movement in movements:
        for year in reversed(movement.years):
            if year < joined:
                continue  # not yet a member
            pk = registered.get((movement.pk, year))
            if pk is None:
                years.append(MemberYear(movement, year, "unit_absent"))
            elif pk in reasons:
                years.append(MemberYear(movement, year, "excepted", reasons[pk]))
            else:
                years.append(MemberYear(movement, year, "registered"))
    return years

"""Yearly registration for a movement (đăng ký thi đua).

Each year a grassroots unit registers all its members for the movement at once, then
names the exceptions (members who do not register: too old, ill…) with a reason. The
members registered are the unit's active members (its branches included) less the
exceptions, counted when asked, so a member admitted later follows the unit.

Writes are keyword-only, atomic and audited (AwardEvent); reads are plain functions
over units the caller has already scoped.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F

from hoiccb.accounts.models import User
from hoiccb.awards.models import Movement, Registration, RegistrationException
from hoiccb.awards.services import _check, _log, member_counts
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import ancestor_paths

REASON_MAX = 255


@transaction.atomic
def register(*, actor: User, movement: Movement, unit: Unit, year: int) -> Registration:
    """Register every member of `unit` for `movement` in `year`; returns the registration."""
    _check(actor, unit)
    if year not in movement.years:
        raise ValidationError(f"Năm {year} nằm ngoài kỳ của phong trào ({movement.start_year}–{movement.end_year}).")
    if not unit.kind.is_grassroots:
        raise ValidationError("Chỉ Hội CCB cơ sở đăng ký thi đua (chi hội đăng ký cùng Hội cơ sở của mình).")
    if not unit.is_within(movement.unit):
        raise ValidationError(f"{unit} không thuộc phạm vi phát động của phong trào.")
    if unit.status != UnitStatus.ACTIVE:
        raise ValidationError(f"{unit} không còn hoạt động.")
    # Lock the unit's row so two clicks at once make one registration, not an integrity error.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    earlier = Registration.objects.filter(movement=movement, unit=unit, year=year).first()
    if earlier is not None:
        raise ValidationError(f"{unit} đã đăng ký thi đua năm {year}.")
    registration = Registration(movement=movement, unit=unit, year=year, registered_by=actor)
    registration.full_clean()
    registration.save()
    members = member_counts([unit])[unit.pk]
    _log(
        actor,
        unit,
        "registration",
        f"{unit} đăng ký thi đua «{movement.name}» năm {year} ({members} hội viên)",
        {"movement": movement.pk, "year": year, "members": members},
    )
    return registration


@transaction.atomic
def withdraw(*, actor: User, registration: Registration) -> None:
    """Cancel a unit's registration for the year (its exceptions go with it)."""
    _check(actor, registration.unit)
    _log(
        actor,
        registration.unit,
        "registration_withdraw",
        f"{registration.unit} hủy đăng ký thi đua năm {registration.year}",
        {"movement": registration.movement_id, "year": registration.year},
    )
    registration.delete()


def _member_of(registration: Registration, member: Member) -> None:
    if not member.unit_path.startswith(registration.unit_path):
        raise ValidationError("Hội viên không thuộc đơn vị đăng ký.")


@transaction.atomic
def except_member(
    *, actor: User, registration: Registration, member: Member, reason: str = ""
) -> RegistrationException:
    """Leave one member out of the unit's registration (or change the reason); returns the exception."""
    _check(actor, registration.unit)
    _member_of(registration, member)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(f"{member.full_name} không còn sinh hoạt, không cần ghi ngoại lệ.")
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Lý do dài quá {REASON_MAX} ký tự.")
    exception, created = RegistrationException.objects.update_or_create(
        registration=registration, member=member, defaults={"reason": reason}
    )
    _log(
        actor,
        registration.unit,
        "registration_except",
        f"{member.full_name} không đăng ký thi đua năm {registration.year}" + (f": {reason}" if reason else ""),
        {"registration": registration.pk, "member": member.pk, "reason": reason, "new": created},
    )
    return exception


@transaction.atomic
def include_member(*, actor: User, registration: Registration, member: Member) -> None:
    """Take a member back into the unit's registration."""
    _check(actor, registration.unit)
    _member_of(registration, member)
    deleted, _ = RegistrationException.objects.filter(registration=registration, member=member).delete()
    if deleted:
        _log(
            actor,
            registration.unit,
            "registration_include",
            f"{member.full_name} đăng ký thi đua năm {registration.year} cùng đơn vị",
            {"registration": registration.pk, "member": member.pk},
        )


# --- Reads -----------------------------------------------------------------------------


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
    joined = member.joined_on.year if member.joined_on else 0
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

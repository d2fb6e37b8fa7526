"""Writes of the yearly registration for a movement (đăng ký thi đua).

Each year a grassroots unit registers all its members for the movement at once, then
names the exceptions (members who do not register: too old, ill…) with a reason. The
members registered are the unit's active members (its branches included) less the
exceptions, counted when asked (`registration.selectors`), so a member admitted later
follows the unit.

Writes are keyword-only, atomic and audited (AwardEvent).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.movements.models import Movement
from hoiccb.awards.registration.models import Registration, RegistrationException
from hoiccb.awards.rounds.selectors import member_counts
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.audit import record
from hoiccb.org.models import Unit, UnitStatus

REASON_MAX = 255


@transaction.atomic
def register(*, actor: User, movement: Movement, unit: Unit, year: int) -> Registration:
    """Register every member of `unit` for `movement` in `year`; returns the registration."""
    require_manage_awards(actor, unit)
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
    record(
        AwardEvent,
        actor=actor,
        unit=unit,
        action="registration",
        summary=f"{unit} đăng ký thi đua «{movement.name}» năm {year} ({members} hội viên)",
        changes={"movement": movement.pk, "year": year, "members": members},
    )
    return registration


@transaction.atomic
def withdraw(*, actor: User, registration: Registration) -> None:
    """Cancel a unit's registration for the year.

    Its exceptions go with it, but the audit entry keeps each excepted member and the reason,
    so a withdrawal made by mistake can be registered again from what the history shows.
    """
    require_manage_awards(actor, registration.unit)
    exceptions = [
        {"member_id": e.member_id, "member": e.member.full_name, "reason": e.reason}
        for e in registration.exceptions.select_related("member").order_by("member__sort_key", "member_id")
    ]
    summary = f"{registration.unit} hủy đăng ký thi đua năm {registration.year}"
    if exceptions:
        summary += f" (kèm {len(exceptions)} ngoại lệ, lý do lưu trong lịch sử)"
    record(
        AwardEvent,
        actor=actor,
        unit=registration.unit,
        action="registration_withdraw",
        summary=summary,
        changes={"movement": registration.movement_id, "year": registration.year, "exceptions": exceptions},
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
    require_manage_awards(actor, registration.unit)
    _member_of(registration, member)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(f"{member.full_name} không còn sinh hoạt, không cần ghi ngoại lệ.")
    reason = " ".join(reason.split())
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Lý do dài quá {REASON_MAX} ký tự.")
    exception, created = RegistrationException.objects.update_or_create(
        registration=registration, member=member, defaults={"reason": reason}
    )
    record(
        AwardEvent,
        actor=actor,
        unit=registration.unit,
        action="registration_except",
        summary=f"{member.full_name} không đăng ký thi đua năm {registration.year}" + (f": {reason}" if reason else ""),
        changes={"registration": registration.pk, "member": member.pk, "reason": reason, "new": created},
    )
    return exception


@transaction.atomic
def include_member(*, actor: User, registration: Registration, member: Member) -> None:
    """Take a member back into the unit's registration."""
    require_manage_awards(actor, registration.unit)
    _member_of(registration, member)
    deleted, _ = RegistrationException.objects.filter(registration=registration, member=member).delete()
    if deleted:
        record(
            AwardEvent,
            actor=actor,
            unit=registration.unit,
            action="registration_include",
            summary=f"{member.full_name} đăng ký thi đua năm {registration.year} cùng đơn vị",
            changes={"registration": registration.pk, "member": member.pk},
        )

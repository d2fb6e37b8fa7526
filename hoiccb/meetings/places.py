"""Places at a meeting: seats allotted to units, delegates named to them, guests, check-in."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.models import Allotment, Delegate, Guest, Meeting, MeetingEvent, Reply
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.audit import record
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import subtree_filter


def proportional_places(members: dict, total: int, minimum: int) -> dict:
    """Give each unit `minimum` places, then the rest in proportion to members (largest remainder).

    The places always add up to `total`; ties go to the larger unit, then to the first given.
    """
    if minimum < 0 or total < 0:
        raise ValidationError("Số đại biểu không âm.")
    if not members:
        return {}
    if minimum * len(members) > total:
        raise ValidationError(
            f"Tổng {total} đại biểu không đủ cho mức tối thiểu {minimum} đại biểu × {len(members)} đơn vị."
        )
    rest = total - minimum * len(members)
    weight = sum(members.values())
    if weight == 0:
        shares = {key: rest / len(members) for key in members}
    else:
        shares = {key: rest * count / weight for key, count in members.items()}
    places = {key: minimum + int(share) for key, share in shares.items()}
    left = total - sum(places.values())
    order = sorted(members, key=lambda key: (-(shares[key] - int(shares[key])), -members[key]))
    for key in order[:left]:
        places[key] += 1
    return places


def member_counts(units) -> dict:
    """Active members in each unit's subtree."""
    counts = {}
    for unit in units:
        counts[unit] = Member.objects.filter(
            status=MemberStatus.ACTIVE, **subtree_filter("unit_path", unit.path)
        ).count()
    return counts


@transaction.atomic
def allot(*, actor: User, meeting: Meeting, places: dict, members: dict | None = None) -> list[Allotment]:
    """Set the places of each unit (a unit of the organiser's subtree); units left out keep theirs."""
    meetings_access.require_manage(actor, meeting)
    members = members if members is not None else member_counts(places)
    saved = []
    for unit, count in places.items():
        if not unit.is_within(meeting.unit) or unit == meeting.unit:
            raise ValidationError(f"{unit.name} không thuộc đơn vị tổ chức.")
        if count is None or count < 0:
            raise ValidationError(f"Số đại biểu của {unit.name} không hợp lệ.")
        allotment, _ = Allotment.objects.get_or_create(
            meeting=meeting, unit=unit, defaults={"places": count, "members": members.get(unit, 0)}
        )
        named = allotment.delegates.count()
        if count < named:
            raise ValidationError(f"{unit.name} đã cử {named} đại biểu, không thể giảm còn {count} chỗ.")
        allotment.places = count
        allotment.members = members.get(unit, 0)
        allotment.full_clean()
        allotment.save()
        saved.append(allotment)
    record(
        MeetingEvent,
        actor=actor,
        action="allot",
        summary=f"Phân bổ {sum(places.values())} đại biểu cho {len(places)} đơn vị",
        meeting=meeting,
    )
    return saved


@transaction.atomic
def allot_proportional(*, actor: User, meeting: Meeting, total: int, minimum: int) -> list[Allotment]:
    meetings_access.require_manage(actor, meeting)
    units = list(Unit.objects.filter(parent=meeting.unit, status=UnitStatus.ACTIVE).order_by("name"))
    if not units:
        raise ValidationError("Đơn vị tổ chức không có đơn vị trực thuộc để phân bổ.")
    counts = member_counts(units)
    return allot(actor=actor, meeting=meeting, places=proportional_places(counts, total, minimum), members=counts)


def may_name_delegates(actor: User, allotment: Allotment) -> bool:
    return scoping.can(actor, "manage_meetings") and scoping.unit_in_scope(actor, allotment.unit)


@transaction.atomic
def delegate_add(*, actor: User, allotment: Allotment, member: Member) -> Delegate:
    allotment = Allotment.objects.select_for_update().select_related("unit", "meeting").get(pk=allotment.pk)
    if not may_name_delegates(actor, allotment):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    if member.status != MemberStatus.ACTIVE or not member.unit_path.startswith(allotment.unit.path):
        raise ValidationError(f"{member.full_name} không phải hội viên của {allotment.unit.name}.")
    if allotment.delegates.count() >= allotment.places:
        raise ValidationError(f"{allotment.unit.name} đã cử đủ {allotment.places} đại biểu được phân bổ.")
    if Delegate.objects.filter(meeting=allotment.meeting, member=member).exists():
        raise ValidationError(f"{member.full_name} đã có trong danh sách đại biểu.")
    delegate = Delegate(allotment=allotment, meeting=allotment.meeting, member=member)
    delegate.save()
    record(
        MeetingEvent,
        actor=actor,
        action="delegate",
        summary=f"{allotment.unit.name} cử đại biểu {member.full_name}",
        meeting=allotment.meeting,
    )
    return delegate


@transaction.atomic
def delegate_remove(*, actor: User, delegate: Delegate) -> None:
    if not may_name_delegates(actor, delegate.allotment):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    record(
        MeetingEvent,
        actor=actor,
        action="delegate",
        summary=f"Bỏ đại biểu {delegate.full_name}",
        meeting=delegate.meeting,
    )
    delegate.delete()


@transaction.atomic
def guest_add(*, actor: User, meeting: Meeting, name: str, title: str = "", organisation: str = "") -> Guest:
    meetings_access.require_manage(actor, meeting)
    guest = Guest(meeting=meeting, name=name, title=title, organisation=organisation)
    guest.full_clean()
    guest.save()
    record(MeetingEvent, actor=actor, action="guest", summary=f"Mời {name}", meeting=meeting)
    return guest


@transaction.atomic
def guest_reply(*, actor: User, guest: Guest, reply: str) -> Guest:
    meetings_access.require_manage(actor, guest.meeting)
    if reply not in Reply.values:
        raise ValidationError("Trả lời không hợp lệ.")
    guest.reply = reply
    guest.save(update_fields=["reply"])
    record(
        MeetingEvent,
        actor=actor,
        action="reply",
        summary=f"{guest.name}: {guest.get_reply_display()}",
        meeting=guest.meeting,
    )
    return guest


@transaction.atomic
def check_in(*, actor: User, attendee: Delegate | Guest, present: bool = True) -> Delegate | Guest:
    meetings_access.require_manage(actor, attendee.meeting)
    attendee.checked_in_at = timezone.now() if present else None
    attendee.save(update_fields=["checked_in_at"])
    name = attendee.full_name if isinstance(attendee, Delegate) else attendee.name
    record(
        MeetingEvent,
        actor=actor,
        action="check_in",
        summary=f"{'Điểm danh' if present else 'Bỏ điểm danh'}: {name}",
        meeting=attendee.meeting,
    )
    return attendee


def attendance(meeting: Meeting) -> dict:
    delegates = meeting.delegates.aggregate(total=Count("id"), present=Count("checked_in_at"))
    guests = meeting.guests.aggregate(total=Count("id"), present=Count("checked_in_at"))
    places = sum(meeting.allotments.values_list("places", flat=True))
    return {"places": places, "delegates": delegates, "guests": guests}

"""Writes of meetings: each checks the actor, validates, saves and leaves a MeetingEvent."""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.models import (
    AgendaItem,
    Allotment,
    Conclusion,
    Delegate,
    Guest,
    Meeting,
    MeetingDocument,
    MeetingEvent,
    Reply,
    Task,
    TaskAttachment,
    TaskGroup,
    TaskStatus,
)
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.audit import record
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import subtree_filter

OUT_OF_SCOPE = "Hội nghị nằm ngoài phạm vi của bạn."
MAX_ATTACHMENT = 10 * 1024 * 1024

# What a summary conference needs, days before the meeting: the chair applies it, then edits each task.
SUMMARY_CHECKLIST = [
    (TaskGroup.CONTENT, "Dự thảo báo cáo tổng kết phong trào", 21),
    (TaskGroup.CONTENT, "Xây dựng chương trình, kịch bản điều hành hội nghị", 10),
    (TaskGroup.CONTENT, "Chuẩn bị tham luận của các cơ sở Hội", 10),
    (TaskGroup.AWARDS, "Hoàn thiện hồ sơ, quyết định khen thưởng tập thể, cá nhân", 14),
    (TaskGroup.PROTOCOL, "Gửi giấy mời đại biểu, khách mời", 7),
    (TaskGroup.PROTOCOL, "Khánh tiết: phông, khẩu hiệu, cờ, hoa", 3),
    (TaskGroup.VENUE, "Hội trường, âm thanh, ánh sáng, máy chiếu", 3),
    (TaskGroup.LOGISTICS, "Nước uống, đón tiếp đại biểu, ăn trưa", 2),
]


def repath_copies(old_prefix: str, new_prefix: str) -> None:
    cut = len(old_prefix) + 1
    for model in (Meeting, Allotment, Task):
        model.objects.filter(**subtree_filter("unit_path", old_prefix)).update(
            unit_path=Concat(Value(new_prefix), Substr("unit_path", cut))
        )


def _manage(actor: User, meeting: Meeting) -> None:
    if not meetings_access.can_manage_meeting(actor, meeting):
        raise PermissionDenied(OUT_OF_SCOPE)


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


# --- Meeting ------------------------------------------------------------------------------------

MEETING_FIELDS = ("kind", "title", "starts_at", "venue", "sums_up", "status")


@transaction.atomic
def meeting_create(*, actor: User, unit: Unit, **fields) -> Meeting:
    if not (scoping.can(actor, "manage_meetings") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    meeting = _saved(Meeting(unit=unit, created_by=actor, **{k: v for k, v in fields.items() if k in MEETING_FIELDS}))
    record(
        MeetingEvent,
        actor=actor,
        action="create",
        summary=f"Tạo {meeting.get_kind_display().lower()}: {meeting.title}",
        meeting=meeting,
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    _manage(actor, meeting)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    _saved(meeting)
    record(MeetingEvent, actor=actor, action="update", summary="Sửa thông tin hội nghị", meeting=meeting)
    return meeting


@transaction.atomic
def agenda_add(*, actor: User, meeting: Meeting, content: str, time=None, presenter: str = "") -> AgendaItem:
    _manage(actor, meeting)
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0
    item = _saved(AgendaItem(meeting=meeting, order=last + 1, time=time, content=content, presenter=presenter))
    record(MeetingEvent, actor=actor, action="agenda", summary=f"Thêm mục chương trình: {content}", meeting=meeting)
    return item


@transaction.atomic
def agenda_remove(*, actor: User, item: AgendaItem) -> None:
    _manage(actor, item.meeting)
    record(
        MeetingEvent, actor=actor, action="agenda", summary=f"Bỏ mục chương trình: {item.content}", meeting=item.meeting
    )
    item.delete()


# --- Places and delegates -----------------------------------------------------------------------


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
    _manage(actor, meeting)
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
        saved.append(_saved(allotment))
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
    _manage(actor, meeting)
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
    _manage(actor, meeting)
    guest = _saved(Guest(meeting=meeting, name=name, title=title, organisation=organisation))
    record(MeetingEvent, actor=actor, action="guest", summary=f"Mời {name}", meeting=meeting)
    return guest


@transaction.atomic
def guest_reply(*, actor: User, guest: Guest, reply: str) -> Guest:
    _manage(actor, guest.meeting)
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
    _manage(actor, attendee.meeting)
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


# --- Tasks --------------------------------------------------------------------------------------


def assignable_users(meeting: Meeting):
    """Logins of the organising unit and below: the committee members who can be given a task."""
    return User.objects.filter(is_active=True, **subtree_filter("unit__path", meeting.unit.path)).order_by(
        "full_name", "username"
    )


def _check_assignee(meeting: Meeting, user: User, field: str = "assignee") -> None:
    if not assignable_users(meeting).filter(pk=user.pk).exists():
        raise ValidationError({field: f"{user} không thuộc đơn vị tổ chức hội nghị."})


def notify_assignee(task: Task, *, reminder: bool = False) -> bool:
    """Email the assignee (console backend by default); False when they have no address."""
    if not task.assignee.email:
        return False
    when = f"{task.deadline:%d/%m/%Y}"
    subject = f"[Nhắc việc] {task.title} – hạn {when}" if reminder else f"[Phân công] {task.title} – hạn {when}"
    body = (
        f"Kính gửi đồng chí {task.assignee},\n\n"
        f"{'Nhiệm vụ sắp đến hạn' if reminder else 'Đồng chí được phân công nhiệm vụ'}: {task.title}\n"
        f"Hội nghị: {task.meeting.title} ({timezone.localtime(task.meeting.starts_at):%d/%m/%Y})\n"
        f"Nhóm việc: {task.get_group_display()}\nHạn hoàn thành: {when}\n"
        f"Tình trạng: {task.get_status_display()}\n\n"
        f'Xem và cập nhật tại mục "Việc của tôi": {getattr(settings, "SITE_URL", "")}/hoi-nghi/viec-cua-toi/\n'
    )
    return send_mail(subject, body, None, [task.assignee.email], fail_silently=True) == 1


TASK_FIELDS = ("title", "group", "deadline", "status", "notes")


@transaction.atomic
def task_create(*, actor: User, meeting: Meeting, assignee: User, helpers=(), conclusion=None, **fields) -> Task:
    _manage(actor, meeting)
    _check_assignee(meeting, assignee)
    for helper in helpers:
        _check_assignee(meeting, helper, "helpers")
    task = Task(
        meeting=meeting,
        assignee=assignee,
        conclusion=conclusion,
        **{k: v for k, v in fields.items() if k in TASK_FIELDS},
    )
    _stamp_done(task)
    _saved(task)
    task.helpers.set(helpers)
    record(MeetingEvent, actor=actor, action="task", summary=f"Giao {assignee}: {task.title}", meeting=meeting)
    notify_assignee(task)
    return task


@transaction.atomic
def task_update(*, actor: User, task: Task, assignee: User, helpers=(), **fields) -> Task:
    _manage(actor, task.meeting)
    _check_assignee(task.meeting, assignee)
    for helper in helpers:
        _check_assignee(task.meeting, helper, "helpers")
    reassigned = assignee.pk != task.assignee_id
    task.assignee = assignee
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    _stamp_done(task)
    _saved(task)
    task.helpers.set(helpers)
    record(MeetingEvent, actor=actor, action="task", summary=f"Sửa nhiệm vụ: {task.title}", meeting=task.meeting)
    if reassigned:
        task.reminded_on = None
        task.save(update_fields=["reminded_on"])
        notify_assignee(task)
    return task


def _stamp_done(task: Task) -> None:
    if task.status == TaskStatus.DONE and task.done_on is None:
        task.done_on = timezone.localdate()
    elif task.status != TaskStatus.DONE:
        task.done_on = None


def may_progress(actor: User, task: Task) -> bool:
    return (
        task.assignee_id == actor.pk
        or task.helpers.filter(pk=actor.pk).exists()
        or meetings_access.can_manage_meeting(actor, task.meeting)
    )


@transaction.atomic
def task_progress(*, actor: User, task: Task, status: str, notes: str) -> Task:
    """The assignee, a helper or the chair marks progress."""
    if not may_progress(actor, task):
        raise PermissionDenied("Nhiệm vụ này không giao cho bạn.")
    if status not in TaskStatus.values:
        raise ValidationError({"status": "Tình trạng không hợp lệ."})
    if status == TaskStatus.BLOCKED and not notes.strip():
        raise ValidationError({"notes": "Ghi rõ vướng mắc để người chủ trì xử lý."})
    before = task.get_status_display()
    task.status, task.notes = status, notes
    _stamp_done(task)
    _saved(task)
    record(
        MeetingEvent,
        actor=actor,
        action="progress",
        summary=f"{task.title}: {before} → {task.get_status_display()}",
        meeting=task.meeting,
    )
    return task


ALLOWED_ATTACHMENTS = {".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png", ".txt"}


@transaction.atomic
def attachment_add(*, actor: User, task: Task, upload) -> TaskAttachment:
    if not may_progress(actor, task):
        raise PermissionDenied("Nhiệm vụ này không giao cho bạn.")
    name = PurePath(upload.name or "tep").name
    if PurePath(name).suffix.lower() not in ALLOWED_ATTACHMENTS:
        raise ValidationError("Chỉ nhận tệp PDF, Word, Excel, ảnh hoặc văn bản.")
    if upload.size > MAX_ATTACHMENT:
        raise ValidationError("Tệp quá 10 MB.")
    if upload.size == 0:
        raise ValidationError("Tệp rỗng.")
    attachment = TaskAttachment(task=task, name=name[:255])
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record(
        MeetingEvent,
        actor=actor,
        action="attachment",
        summary=f"Đính kèm {name} vào: {task.title}",
        meeting=task.meeting,
    )
    return attachment


@transaction.atomic
def apply_checklist(*, actor: User, meeting: Meeting, assignee: User) -> list[Task]:
    """Create the summary conference's usual tasks (those not there yet), each due some days before."""
    _manage(actor, meeting)
    existing = set(meeting.tasks.values_list("title", flat=True))
    day = timezone.localtime(meeting.starts_at).date()
    created = []
    for group, title, days in SUMMARY_CHECKLIST:
        if title in existing:
            continue
        created.append(
            task_create(
                actor=actor,
                meeting=meeting,
                assignee=assignee,
                title=title,
                group=group,
                deadline=day - datetime.timedelta(days=days),
            )
        )
    return created


def send_reminders(*, on: datetime.date, days_before: int = 2) -> int:
    """Email the assignee of each unfinished task due within `days_before` days, once per task."""
    sent = 0
    due = Task.objects.filter(
        reminded_on__isnull=True, deadline__lte=on + datetime.timedelta(days=days_before), deadline__gte=on
    ).exclude(status=TaskStatus.DONE)
    for task in due.select_related("assignee", "meeting"):
        if notify_assignee(task, reminder=True):
            sent += 1
        Task.objects.filter(pk=task.pk).update(reminded_on=on)
    return sent


# --- Minutes, conclusions, documents -----------------------------------------------------------


@transaction.atomic
def minutes_save(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    _manage(actor, meeting)
    meeting.minutes = minutes
    if meeting.status in ("planned", "ready") and minutes.strip():
        meeting.status = "held"
    _saved(meeting)
    record(MeetingEvent, actor=actor, action="minutes", summary="Ghi biên bản", meeting=meeting)
    return meeting


@transaction.atomic
def conclusion_add(*, actor: User, meeting: Meeting, text: str, action: str, owner: User, due_date) -> Conclusion:
    """Record a conclusion; its action item becomes a task followed until done."""
    _manage(actor, meeting)
    _check_assignee(meeting, owner, "owner")
    conclusion = _saved(Conclusion(meeting=meeting, text=text, action=action, owner=owner, due_date=due_date))
    task_create(
        actor=actor,
        meeting=meeting,
        assignee=owner,
        title=action,
        group=TaskGroup.FOLLOW_UP,
        deadline=due_date,
        notes=f"Theo kết luận: {text}",
        conclusion=conclusion,
    )
    record(MeetingEvent, actor=actor, action="conclusion", summary=f"Kết luận: {action}", meeting=meeting)
    return conclusion


@transaction.atomic
def document_add(
    *, actor: User, meeting: Meeting, kind: str, title: str, upload=None, link: str = ""
) -> MeetingDocument:
    _manage(actor, meeting)
    document = MeetingDocument(meeting=meeting, kind=kind, title=title, link=link)
    if upload is not None:
        from hoiccb.lib.files import check_document

        content, _shown, _mime, _size = check_document(upload)
        document.file.save(content.name or "tai-lieu", content, save=False)
    _saved(document)
    record(MeetingEvent, actor=actor, action="document", summary=f"Thêm tài liệu: {title}", meeting=meeting)
    return document

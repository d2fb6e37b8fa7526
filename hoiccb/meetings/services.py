"""Writes of meetings: each checks the actor, validates, saves and leaves a MeetingEvent."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.files import DOCUMENT_MAX_BYTES, DOCUMENTS, DOCUMENTS_WHAT, guard_upload
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.models import (
    AgendaItem,
    Conclusion,
    Meeting,
    MeetingDocument,
    MeetingEvent,
    Task,
    TaskAttachment,
    TaskGroup,
    TaskStatus,
)
from hoiccb.org.audit import record
from hoiccb.org.models import Unit
from hoiccb.org.paths import subtree_filter

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
    meetings_access.require_manage(actor, meeting)
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    _saved(meeting)
    record(MeetingEvent, actor=actor, action="update", summary="Sửa thông tin hội nghị", meeting=meeting)
    return meeting


@transaction.atomic
def agenda_add(*, actor: User, meeting: Meeting, content: str, time=None, presenter: str = "") -> AgendaItem:
    meetings_access.require_manage(actor, meeting)
    last = meeting.agenda.order_by("-order").values_list("order", flat=True).first() or 0
    item = _saved(AgendaItem(meeting=meeting, order=last + 1, time=time, content=content, presenter=presenter))
    record(MeetingEvent, actor=actor, action="agenda", summary=f"Thêm mục chương trình: {content}", meeting=meeting)
    return item


@transaction.atomic
def agenda_remove(*, actor: User, item: AgendaItem) -> None:
    meetings_access.require_manage(actor, item.meeting)
    record(
        MeetingEvent, actor=actor, action="agenda", summary=f"Bỏ mục chương trình: {item.content}", meeting=item.meeting
    )
    item.delete()


@transaction.atomic
def invitation_number_give(*, actor: User, meeting: Meeting) -> Meeting:
    """Give the meeting's invitations their number, the next of the unit's count for the year, and
    their date (today); returns the meeting, unchanged when it has its number already or no guest."""
    if not meetings_access.can_manage_meeting(actor, meeting):
        raise PermissionDenied("Bạn không có quyền quản lý hội nghị này.")
    # The unit's row is locked so that two clerks printing at once take two numbers, not one.
    Unit.objects.select_for_update().filter(pk=meeting.unit_id).first()
    fresh = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if fresh.invitation_number is not None or not fresh.guests.exists():
        return fresh
    today = timezone.localdate()
    same_year = Meeting.objects.filter(unit_id=fresh.unit_id, invitation_year=today.year)
    taken = same_year.aggregate(n=Max("invitation_number"))
    fresh.invitation_number, fresh.invitation_year, fresh.invitation_dated = (taken["n"] or 0) + 1, today.year, today
    fresh.full_clean()
    fresh.save(update_fields=["invitation_number", "invitation_year", "invitation_dated"])
    record(
        MeetingEvent,
        actor=actor,
        action="update",
        summary=f"Cấp số giấy mời {fresh.invitation_number:02d}/GM-CCB năm {today.year}",
        meeting=fresh,
    )
    return fresh


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
    meetings_access.require_manage(actor, meeting)
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
    meetings_access.require_manage(actor, task.meeting)
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


# Task files: reports, lists and photos people send back; checked by content (lib.files).
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "doc", "xlsx", "xls", "jpeg", "png", "webp", "txt"})
ATTACHMENT_WHAT = "tệp PDF, Word, Excel, ảnh (JPEG, PNG, WebP) hoặc văn bản .txt"


@transaction.atomic
def attachment_add(*, actor: User, task: Task, upload) -> TaskAttachment:
    if not may_progress(actor, task):
        raise PermissionDenied("Nhiệm vụ này không giao cho bạn.")
    checked = guard_upload(
        upload, accept=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT, image_max_side=2560, what=ATTACHMENT_WHAT
    )
    name = checked.name
    attachment = TaskAttachment(task=task, name=name[:255])
    attachment.file.save(checked.file.name or "tep", checked.file, save=False)
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
    meetings_access.require_manage(actor, meeting)
    existing = set(meeting.tasks.values_list("title", flat=True))
    day = timezone.localtime(meeting.starts_at).date()
    # Counted back from the conference, but never already overdue when it is made (a late start
    # squeezes the early tasks to today rather than creating them in the red).
    soonest = timezone.localdate()
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
                deadline=max(day - datetime.timedelta(days=days), soonest),
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
    meetings_access.require_manage(actor, meeting)
    meeting.minutes = minutes
    if meeting.status in ("planned", "ready") and minutes.strip():
        meeting.status = "held"
    _saved(meeting)
    record(MeetingEvent, actor=actor, action="minutes", summary="Ghi biên bản", meeting=meeting)
    return meeting


@transaction.atomic
def conclusion_add(*, actor: User, meeting: Meeting, text: str, action: str, owner: User, due_date) -> Conclusion:
    """Record a conclusion; its action item becomes a task followed until done."""
    meetings_access.require_manage(actor, meeting)
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
    meetings_access.require_manage(actor, meeting)
    document = MeetingDocument(meeting=meeting, kind=kind, title=title, link=link)
    if upload is not None:
        try:
            checked = guard_upload(upload, accept=DOCUMENTS, max_bytes=DOCUMENT_MAX_BYTES, what=DOCUMENTS_WHAT)
        except ValidationError as exc:
            raise ValidationError({"upload": exc.messages}) from None
        document.file.save(checked.file.name or "tai-lieu", checked.file, save=False)
    _saved(document)
    record(MeetingEvent, actor=actor, action="document", summary=f"Thêm tài liệu: {title}", meeting=meeting)
    return document

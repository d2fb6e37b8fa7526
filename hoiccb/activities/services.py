"""Writes of activities, gifts and inspections.

Each service checks the actor's scope (again: a forged POST is refused even when a
view forgot), validates with full_clean(), saves, and writes one ActivityEvent in
the same transaction.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.activities import uploads
from hoiccb.activities.models import (
    Activity,
    ActivityEvent,
    ActivityKind,
    Attachment,
    AttachmentKind,
    Delegate,
    FollowUp,
    Gift,
    InspectionPlan,
    InspectionRecord,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
)
from hoiccb.lib.audit import diff, snapshot
from hoiccb.lib.forms import today
from hoiccb.lib.vietnamese import format_money
from hoiccb.members.models import Member
from hoiccb.org import audit
from hoiccb.org.models import Unit

ACTIVITY_FIELDS = (
    "kind",
    "title",
    "start_date",
    "end_date",
    "place",
    "content",
    "head_count",
    "cost",
    "funding_source",
    "occasion",
    "occasion_year",
)


def _check(actor: User, unit: Unit, message: str = "Đơn vị nằm ngoài phạm vi của bạn.") -> None:
    if not (scoping.can(actor, "record_activities") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied(message)


def _validate_activity(activity: Activity) -> None:
    errors: dict[str, str] = {}
    if activity.kind.has_gifts and not activity.occasion:
        errors["occasion"] = "Đợt thăm, tặng quà cần ghi dịp (Tết Nguyên đán, 27/7…)."
    if activity.occasion and not activity.occasion_year:
        activity.occasion_year = activity.start_date.year
    if activity.start_date and activity.start_date > today() + datetime.timedelta(days=366):
        errors["start_date"] = "Ngày bắt đầu quá xa trong tương lai."
    if activity.cost and not activity.funding_source:
        errors["funding_source"] = "Ghi nguồn của kinh phí."
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["co_organisers", "participants"])


@transaction.atomic
def activity_create(
    *, actor: User, unit: Unit, kind: ActivityKind, co_organisers: Iterable[Unit] = (), **fields
) -> Activity:
    """Record an activity organised by `unit`; returns it."""
    _check(actor, unit)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    activity = Activity(unit=unit, kind=kind, created_by=actor, **fields)
    _validate_activity(activity)
    activity.save()
    _set_co_organisers(actor, activity, co_organisers)
    audit.record(
        ActivityEvent, actor=actor, action="activity_created", summary=activity.title, unit=unit, activity=activity
    )
    return activity


def _set_co_organisers(actor: User, activity: Activity, co_organisers: Iterable[Unit]) -> None:
    co_organisers = [u for u in co_organisers if u.pk != activity.unit_id]
    for unit in co_organisers:
        if not scoping.unit_in_scope(actor, unit):
            raise PermissionDenied("Đơn vị phối hợp nằm ngoài phạm vi của bạn.")
    activity.co_organisers.set(co_organisers)


@transaction.atomic
def activity_update(
    *, actor: User, activity: Activity, co_organisers: Iterable[Unit] | None = None, **changes
) -> Activity:
    """Change an activity's fields (not its unit); returns it."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    _check(actor, activity.unit, "Bạn không có quyền sửa hoạt động này.")
    unknown = set(changes) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(activity, ACTIVITY_FIELDS)
    for name, value in changes.items():
        setattr(activity, name, value)
    _validate_activity(activity)
    activity.save()
    if co_organisers is not None:
        _set_co_organisers(actor, activity, co_organisers)
    # Gifts copy the round's occasion and year; keep them in step.
    activity.gifts.update(occasion=activity.occasion, occasion_year=activity.occasion_year or activity.start_date.year)
    changed = diff(before, snapshot(activity, ACTIVITY_FIELDS), Activity)
    audit.record(
        ActivityEvent,
        actor=actor,
        action="activity_updated",
        summary=activity.title,
        changes=changed,
        unit=activity.unit,
        activity=activity,
    )
    return activity


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    """Delete a mistaken entry with its gifts and files; the audit entry stays, naming it."""
    _check(actor, activity.unit, "Bạn không có quyền xóa hoạt động này.")
    files = [a.file for a in activity.attachments.all()]
    summary = f"{activity.title} ({activity.start_date:%d/%m/%Y}, {activity.gifts.count()} suất quà)"
    unit = activity.unit
    activity.delete()
    audit.record(ActivityEvent, actor=actor, action="activity_deleted", summary=summary, unit=unit)
    transaction.on_commit(lambda: uploads.delete_stored(*files))


@transaction.atomic
def participants_add(*, actor: User, activity: Activity, members: Iterable[Member]) -> int:
    """Add members as participants; returns how many were new. Head-count grows to at least the list's length."""
    _check(actor, activity.unit, "Bạn không có quyền sửa hoạt động này.")
    members = list(members)
    for member in members:
        if not scoping.unit_in_scope(actor, member.unit):
            raise PermissionDenied("Hội viên nằm ngoài phạm vi của bạn.")
    existing = set(activity.participants.values_list("pk", flat=True))
    new = [m for m in members if m.pk not in existing]
    activity.participants.add(*new)
    total = len(existing) + len(new)
    if activity.head_count < total:
        Activity.objects.filter(pk=activity.pk).update(head_count=total)
    if new:
        audit.record(
            ActivityEvent,
            actor=actor,
            action="participants_added",
            summary=", ".join(m.full_name for m in new),
            unit=activity.unit,
            activity=activity,
        )
    return len(new)


@transaction.atomic
def attachment_add(*, actor: User, activity: Activity, upload: UploadedFile, caption: str = "") -> Attachment:
    """Store a checked photo or document of an activity; returns the attachment."""
    _check(actor, activity.unit, "Bạn không có quyền đính kèm tệp vào hoạt động này.")
    checked = uploads.check_upload(upload)
    original = checked.name[-255:]
    attachment = Attachment(
        activity=activity,
        file=checked.file,
        original_name=original,
        content_type=checked.content_type,
        size=checked.size,
        kind=AttachmentKind.PHOTO if checked.is_image else AttachmentKind.DOCUMENT,
        caption=caption,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["file"])
    attachment.save()
    audit.record(
        ActivityEvent, actor=actor, action="attachment_added", summary=original, unit=activity.unit, activity=activity
    )
    return attachment


@transaction.atomic
def attachment_delete(*, actor: User, attachment: Attachment) -> None:
    activity = attachment.activity
    _check(actor, activity.unit, "Bạn không có quyền xóa tệp này.")
    name = attachment.original_name
    stored = attachment.file
    attachment.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: uploads.delete_stored(stored))
    audit.record(
        ActivityEvent, actor=actor, action="attachment_deleted", summary=name, unit=activity.unit, activity=activity
    )


@transaction.atomic
def gift_add(
    *,
    actor: User,
    activity: Activity,
    beneficiary_name: str = "",
    address: str = "",
    circumstance: str,
    value: int,
    form: str,
    funding_source: str,
    description: str = "",
    member: Member | None = None,
    given_on: datetime.date | None = None,
) -> Gift:
    """Record one gift of a gift round; returns it.

    A gift to a family another unit already gave to for the same occasion is saved
    (both units did give) and shows up in `selectors.duplicate_gifts`.
    """
    _check(actor, activity.unit, "Bạn không có quyền ghi quà tặng cho hoạt động này.")
    if not activity.kind.has_gifts:
        raise ValidationError("Loại hoạt động này không ghi quà tặng.")
    if member is not None:
        if not scoping.unit_in_scope(actor, member.unit):
            raise PermissionDenied("Hội viên nằm ngoài phạm vi của bạn.")
        beneficiary_name = beneficiary_name or member.full_name
        address = address or member.residence
    gift = Gift(
        activity=activity,
        unit=activity.unit,
        occasion=activity.occasion,
        occasion_year=activity.occasion_year or activity.start_date.year,
        given_on=given_on or activity.start_date,
        member=member,
        beneficiary_name=" ".join(beneficiary_name.split()),
        address=" ".join(address.split()),
        circumstance=circumstance,
        value=value,
        form=form,
        description=description,
        funding_source=funding_source,
        created_by=actor,
    )
    gift.full_clean()
    gift.save()
    audit.record(
        ActivityEvent,
        actor=actor,
        action="gift_added",
        summary=f"{gift.beneficiary_name}: {format_money(gift.value)}",
        unit=activity.unit,
        activity=activity,
    )
    return gift


@transaction.atomic
def gift_delete(*, actor: User, gift: Gift) -> None:
    _check(actor, gift.unit, "Bạn không có quyền xóa quà tặng này.")
    activity = gift.activity
    summary = f"Xóa quà {gift.beneficiary_name}: {format_money(gift.value)}"
    gift.delete()
    audit.record(
        ActivityEvent, actor=actor, action="gift_deleted", summary=summary, unit=activity.unit, activity=activity
    )


# --- Inspection and supervision ------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: User,
    unit: Unit,
    year: int,
    title: str,
    content: str,
    start_date: datetime.date,
    end_date: datetime.date,
    inspected_units: Iterable[Unit],
) -> InspectionPlan:
    """Plan an inspection by `unit` of units in its subtree; one record per inspected unit. Returns the plan."""
    _check(actor, unit)
    inspected_units = list(inspected_units)
    if not inspected_units:
        raise ValidationError({"inspected_units": "Chọn ít nhất một đơn vị được kiểm tra."})
    for target in inspected_units:
        if not scoping.unit_in_scope(actor, target) or not target.is_within(unit) or target.pk == unit.pk:
            raise ValidationError({"inspected_units": f"{target} không thuộc đơn vị kiểm tra."})
    plan = InspectionPlan(
        unit=unit,
        year=year,
        title=title,
        content=content,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    plan.full_clean()
    if not start_date.year <= year <= end_date.year:
        raise ValidationError({"year": "Năm của kế hoạch phải khớp với thời gian kiểm tra."})
    plan.save()
    for target in inspected_units:
        InspectionRecord.objects.create(plan=plan, unit=target)
    audit.record(ActivityEvent, actor=actor, action="plan_created", summary=title, unit=unit, plan=plan)
    return plan


def _check_plan(actor: User, plan: InspectionPlan) -> None:
    _check(actor, plan.unit, "Bạn không có quyền sửa kế hoạch kiểm tra này.")


@transaction.atomic
def plan_set_status(*, actor: User, plan: InspectionPlan, status: str) -> InspectionPlan:
    _check_plan(actor, plan)
    before = plan.get_status_display()
    plan.status = status
    plan.full_clean()
    plan.save(update_fields=["status"])
    audit.record(
        ActivityEvent,
        actor=actor,
        action="plan_status",
        summary=plan.title,
        changes={"Tình trạng": [before, plan.get_status_display()]},
        unit=plan.unit,
        plan=plan,
    )
    return plan


@transaction.atomic
def delegate_add(
    *, actor: User, plan: InspectionPlan, member: Member | None = None, guest_name: str = "", role: str = ""
) -> Delegate:
    """Add a member of the association (in scope) or a named guest to the delegation; returns the entry."""
    _check_plan(actor, plan)
    if member is not None and not scoping.unit_in_scope(actor, member.unit):
        raise PermissionDenied("Hội viên nằm ngoài phạm vi của bạn.")
    if member is not None and plan.delegates.filter(member=member).exists():
        raise ValidationError({"member": "Hội viên này đã có trong đoàn."})
    delegate = Delegate(plan=plan, member=member, guest_name=guest_name.strip(), role=role.strip())
    delegate.full_clean()
    delegate.save()
    audit.record(ActivityEvent, actor=actor, action="delegate_added", summary=str(delegate), unit=plan.unit, plan=plan)
    return delegate


RECORD_FIELDS = ("inspected_on", "strengths", "shortcomings", "conclusion")


@transaction.atomic
def record_update(*, actor: User, record: InspectionRecord, **changes) -> InspectionRecord:
    """Write what the delegation found at one unit (only the inspecting side may); returns the record."""
    _check_plan(actor, record.plan)
    before = snapshot(record, RECORD_FIELDS)
    for name, value in changes.items():
        if name not in RECORD_FIELDS:
            raise TypeError(name)
        setattr(record, name, value)
    plan = record.plan
    if record.inspected_on and not plan.start_date <= record.inspected_on <= plan.end_date:
        raise ValidationError(
            {
                "inspected_on": f"Ngày kiểm tra phải trong thời gian của kế hoạch "
                f"({plan.start_date:%d/%m/%Y} – {plan.end_date:%d/%m/%Y})."
            }
        )
    record.full_clean()
    record.save()
    if plan.status == PlanStatus.PLANNED:
        plan.status = PlanStatus.IN_PROGRESS
        plan.save(update_fields=["status"])
    audit.record(
        ActivityEvent,
        actor=actor,
        action="record_updated",
        summary=str(record.unit),
        changes=diff(before, snapshot(record, RECORD_FIELDS), InspectionRecord),
        unit=plan.unit,
        plan=plan,
    )
    return record


@transaction.atomic
def recommendation_add(
    *, actor: User, record: InspectionRecord, text: str, owner: str, due_date: datetime.date
) -> Recommendation:
    """Add a recommendation to an inspected unit (the inspecting side only); returns it."""
    _check_plan(actor, record.plan)
    rec = Recommendation(record=record, text=text.strip(), owner=owner.strip(), due_date=due_date)
    rec.full_clean()
    rec.save()
    audit.record(
        ActivityEvent,
        actor=actor,
        action="recommendation_added",
        summary=rec.text,
        unit=record.plan.unit,
        plan=record.plan,
    )
    return rec


# Which status may follow which. Closing needs evidence; a closed item can be reopened
# by the inspecting side when the evidence does not hold.
TRANSITIONS = {
    RecommendationStatus.OPEN: {RecommendationStatus.IN_PROGRESS, RecommendationStatus.CLOSED},
    RecommendationStatus.IN_PROGRESS: {RecommendationStatus.IN_PROGRESS, RecommendationStatus.CLOSED},
    RecommendationStatus.CLOSED: {RecommendationStatus.IN_PROGRESS},
}


def can_follow_up(actor: User, rec: Recommendation) -> bool:
    """The inspected unit reports progress; the inspecting unit does too, and alone may close or reopen."""
    return scoping.can(actor, "record_activities") and (
        scoping.unit_in_scope(actor, rec.record.unit) or scoping.unit_in_scope(actor, rec.record.plan.unit)
    )


def can_close(actor: User, rec: Recommendation) -> bool:
    return scoping.can(actor, "record_activities") and scoping.unit_in_scope(actor, rec.record.plan.unit)


@transaction.atomic
def follow_up(
    *, actor: User, recommendation: Recommendation, status: str, note: str = "", on: datetime.date | None = None
) -> FollowUp:
    """Record a step of a recommendation's follow-up and move it to `status`; returns the step."""
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("record__plan__unit", "record__unit")
        .get(pk=recommendation.pk)
    )
    if not can_follow_up(actor, rec):
        raise PermissionDenied("Bạn không có quyền theo dõi kiến nghị này.")
    on = on or today()
    if status not in TRANSITIONS[RecommendationStatus(rec.status)]:
        raise ValidationError(
            {
                "status": f"Kiến nghị đang “{rec.get_status_display()}”, không chuyển sang "
                f"“{RecommendationStatus(status).label}” được."
            }
        )
    closing = status == RecommendationStatus.CLOSED
    reopening = rec.status == RecommendationStatus.CLOSED
    if (closing or reopening) and not can_close(actor, rec):
        raise PermissionDenied("Chỉ đơn vị kiểm tra mới đóng hoặc mở lại kiến nghị.")
    if closing and not note.strip():
        raise ValidationError({"note": "Ghi kết quả, minh chứng trước khi đóng kiến nghị."})
    if on > today():
        raise ValidationError({"on": "Ngày không được ở tương lai."})
    before = rec.get_status_display()
    rec.status = status
    if note.strip():
        rec.evidence = (rec.evidence + "\n" if rec.evidence else "") + f"{on:%d/%m/%Y}: {note.strip()}"
    rec.closed_on = on if closing else None
    rec.full_clean()
    rec.save(update_fields=["status", "evidence", "closed_on"])
    step = FollowUp.objects.create(recommendation=rec, status=status, note=note.strip(), on=on, actor=actor)
    audit.record(
        ActivityEvent,
        actor=actor,
        action="recommendation_follow_up",
        summary=rec.text,
        changes={"Tình trạng": [before, rec.get_status_display()]},
        unit=rec.record.plan.unit,
        plan=rec.record.plan,
    )
    return step

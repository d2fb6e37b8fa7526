"""Writes of periods and reports: keyword-only, one transaction, checked scope, an audit row."""

import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.org.audit import record
from hoiccb.org.models import Unit, UnitKind
from hoiccb.reports import figures, rollup
from hoiccb.reports.models import (
    TEXT_SECTIONS,
    Period,
    PeriodDeadline,
    ReportEvent,
    ReportReminder,
    ReportState,
    UnitReport,
)

HEADER_FIELDS = ("number", "place", "dated_on", "signer")
TEXT_FIELDS = (*(code for code, _ in TEXT_SECTIONS), "shortcomings", "plan")
MAX_FIGURE = 10**13


@transaction.atomic
def period_create(
    *,
    actor: User,
    kind: str,
    name: str,
    start: datetime.date,
    end: datetime.date,
    title: str,
    deadline: datetime.date,
    level_deadlines: dict[UnitKind, datetime.date] | None = None,
) -> Period:
    if not scoping.can(actor, "manage_periods"):
        raise PermissionDenied("Bạn không có quyền mở kỳ báo cáo.")
    period = Period(kind=kind, name=name, start=start, end=end, title=title, deadline=deadline)
    period.full_clean()
    period.save()
    for unit_kind, due_on in (level_deadlines or {}).items():
        if due_on is None:
            continue
        if due_on < end:
            raise ValidationError("Hạn nộp của từng cấp phải từ ngày kết thúc kỳ trở đi.")
        PeriodDeadline.objects.create(period=period, unit_kind=unit_kind, due_on=due_on)
    return period


def is_rollup_unit(unit: Unit) -> bool:
    """Units above the grassroots sum their children's reports; grassroots units count their data."""
    return not unit.kind.holds_members


def _may_write(actor: User, unit: Unit) -> bool:
    return scoping.can(actor, "submit_reports") and scoping.unit_in_scope(actor, unit)


def may_review(actor: User, report: UnitReport) -> bool:
    """The level above reviews: a unit strictly below the actor's, with the capability."""
    return (
        scoping.can(actor, "review_reports")
        and scoping.unit_in_scope(actor, report.unit)
        and report.unit_id != actor.unit_id
    )


def _suggest_number(unit: Unit, period: Period) -> str:
    n = UnitReport.objects.filter(unit=unit, period__end__year=period.end.year).count() + 1
    return f"{n}/BC-CCB"


def _fill(report: UnitReport) -> None:
    if report.is_rollup:
        result = rollup.sum_accepted(report.period, report.unit)
        report.computed = result.totals
        report.missing_units = result.missing_names
    else:
        report.computed = figures.compute([report.unit], report.period.start, report.period.end)[report.unit.pk]
        report.missing_units = []
    report.computed_at = timezone.now()


@transaction.atomic
def report_open(*, actor: User, period: Period, unit: Unit) -> UnitReport:
    """Return the unit's report for the period, creating it filled in from the data."""
    if not _may_write(actor, unit):
        raise PermissionDenied("Bạn không có quyền lập báo cáo của đơn vị này.")
    existing = UnitReport.objects.filter(period=period, unit=unit).first()
    if existing is not None:
        return existing
    report = UnitReport(
        period=period,
        unit=unit,
        is_rollup=is_rollup_unit(unit),
        number=_suggest_number(unit, period),
        place="",
        dated_on=None,
    )
    _fill(report)
    report.full_clean()
    report.save()
    record(ReportEvent, actor=actor, action="created", summary=f"Lập báo cáo {period} của {unit}", report=report)
    return report


def _lock(report: UnitReport, actor: User, *, editable: bool = True) -> UnitReport:
    current = UnitReport.objects.select_for_update().select_related("period", "unit", "unit__kind").get(pk=report.pk)
    if editable:
        if not _may_write(actor, current.unit):
            raise PermissionDenied("Bạn không có quyền sửa báo cáo này.")
        if current.is_frozen:
            raise ValidationError("Báo cáo đã nộp, không sửa được nữa.")
    return current


@transaction.atomic
def report_refresh(*, actor: User, report: UnitReport) -> UnitReport:
    """Recompute the figures from the data (corrections are kept)."""
    report = _lock(report, actor)
    _fill(report)
    report.version += 1
    report.save()
    record(ReportEvent, actor=actor, action="refreshed", summary="Tính lại số liệu từ dữ liệu", report=report)
    return report


@transaction.atomic
def report_update(
    *, actor: User, report: UnitReport, expected_version: int, header: dict, texts: dict, edited: dict[str, int | None]
) -> UnitReport:
    """Save the header, the text sections and the corrections (None: back to the computed value)."""
    report = _lock(report, actor)
    if report.version != expected_version:
        raise ValidationError("Báo cáo vừa được người khác sửa. Hãy mở lại trang để xem bản mới nhất.")
    known = {f.code for f in figures.catalogue()}
    corrections = dict(report.edited)
    for code, value in edited.items():
        if code not in known:
            continue
        if value is None:
            corrections.pop(code, None)
            continue
        if value < 0 or value > MAX_FIGURE:
            raise ValidationError({code: "Số liệu phải là số không âm."})
        if value == report.computed.get(code, 0) and code in report.computed:
            corrections.pop(code, None)  # the same as computed is no correction
        else:
            corrections[code] = value
    changes: dict[str, object] = {}
    for name in (*HEADER_FIELDS, *TEXT_FIELDS):
        source = header if name in HEADER_FIELDS else texts
        if name in source and getattr(report, name) != source[name]:
            changes[name] = True
            setattr(report, name, source[name])
    if corrections != report.edited:
        changes["figures"] = {
            k: [report.edited.get(k), corrections.get(k)] for k in set(report.edited) | set(corrections)
        }
    report.edited = corrections
    report.version += 1
    report.full_clean()
    report.save()
    record(
        ReportEvent,
        actor=actor,
        action="updated",
        summary="Sửa báo cáo",
        changes={k: v for k, v in changes.items() if k == "figures"},
        report=report,
    )
    return report


@transaction.atomic
def report_submit(*, actor: User, report: UnitReport) -> UnitReport:
    report = _lock(report, actor)
    if not report.plan.strip():
        raise ValidationError({"plan": "Hãy ghi phương hướng, nhiệm vụ kỳ tới trước khi nộp."})
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.version += 1
    report.save()
    record(ReportEvent, actor=actor, action="submitted", summary="Nộp báo cáo", report=report)
    return report


@transaction.atomic
def report_return(*, actor: User, report: UnitReport, comment: str) -> UnitReport:
    report = _lock(report, actor, editable=False)
    if not may_review(actor, report):
        raise PermissionDenied("Bạn không có quyền duyệt báo cáo này.")
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("Chỉ trả lại báo cáo đã nộp.")
    if not comment.strip():
        raise ValidationError({"comment": "Hãy ghi lý do trả lại."})
    report.state = ReportState.RETURNED
    report.return_comment = comment.strip()
    report.reviewed_at = timezone.now()
    report.version += 1
    report.full_clean()
    report.save()
    record(ReportEvent, actor=actor, action="returned", summary=f"Trả lại: {comment.strip()}", report=report)
    return report


@transaction.atomic
def report_accept(*, actor: User, report: UnitReport) -> UnitReport:
    report = _lock(report, actor, editable=False)
    if not may_review(actor, report):
        raise PermissionDenied("Bạn không có quyền duyệt báo cáo này.")
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("Chỉ duyệt báo cáo đã nộp.")
    report.state = ReportState.ACCEPTED
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save()
    record(ReportEvent, actor=actor, action="accepted", summary="Duyệt báo cáo", report=report)
    return report


@transaction.atomic
def remind_late_units(*, actor: User, period: Period) -> int:
    """Mail the logins of the units below the actor's whose report is overdue; returns how many units.

    Each reminded unit gets a `ReportReminder` row (the audit), even one without an e-mail address.
    """
    root = scoping.root_unit(actor)
    if root is None or not scoping.can(actor, "review_reports"):
        raise PermissionDenied("Bạn không có quyền nhắc đơn vị nộp báo cáo.")
    late = [row for row in rollup.completeness(period, root).rows if row.standing == rollup.Standing.OVERDUE]
    if not late:
        raise ValidationError("Không có đơn vị nào quá hạn mà chưa nộp báo cáo.")
    now = timezone.now()
    for row in late:
        record(
            ReportReminder,
            actor=actor,
            action="reminded",
            summary=f"Nhắc nộp báo cáo {period.name} (hạn {row.deadline:%d/%m/%Y})",
            period=period,
            unit=row.unit,
            at=now,
        )
    deadlines = {row.unit.pk: row.deadline for row in late}
    emails: dict[int, list[str]] = {}
    for unit_id, email in (
        User.objects.filter(unit__in=list(deadlines), is_active=True).exclude(email="").values_list("unit_id", "email")
    ):
        emails.setdefault(unit_id, []).append(email)
    for unit_id, addresses in emails.items():
        subject = f"Nhắc nộp báo cáo {period.name}"
        body = (
            f"{root} đề nghị đơn vị nộp báo cáo {period.name}: hạn nộp ngày {deadlines[unit_id]:%d/%m/%Y} đã qua.\n"
            "Đăng nhập, vào mục Báo cáo để lập và nộp báo cáo."
        )
        transaction.on_commit(partial(send_mail, subject, body, None, addresses, fail_silently=True))
    return len(late)

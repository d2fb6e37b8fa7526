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
from hoiccb.reports import figures, rollup, selectors
from hoiccb.reports.models import (
    FROZEN_STATES,
    TEXT_SECTIONS,
    Period,
    PeriodDeadline,
    PeriodException,
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
    locks_on: datetime.date | None = None,
) -> Period:
    if not scoping.can(actor, "manage_periods"):
        raise PermissionDenied("Bạn không có quyền mở kỳ báo cáo.")
    period = Period(kind=kind, name=name, start=start, end=end, title=title, deadline=deadline, locks_on=locks_on)
    period.full_clean()
    period.save()
    for unit_kind, due_on in (level_deadlines or {}).items():
        if due_on is None:
            continue
        if due_on < end:
            raise ValidationError("Hạn nộp của từng cấp phải từ ngày kết thúc kỳ trở đi.")
        if locks_on is not None and due_on > locks_on:
            raise ValidationError("Hạn nộp của từng cấp phải trước ngày khóa sổ.")
        PeriodDeadline.objects.create(period=period, unit_kind=unit_kind, due_on=due_on)
    return period


def is_rollup_unit(unit: Unit) -> bool:
    """Units above the grassroots sum their children's reports; grassroots units count their data."""
    return not unit.kind.holds_members


def _may_write(actor: User, unit: Unit) -> bool:
    return scoping.can(actor, "submit_reports") and scoping.unit_in_scope(actor, unit)


def is_level_above(actor: User, unit: Unit) -> bool:
    """The level directly above a unit (its parent's users) reviews its reports and grants it exceptions.

    Not any ancestor: the province reviews the bloc's report, not the bloc's associations'.
    """
    return scoping.can(actor, "review_reports") and unit.parent_id is not None and actor.unit_id == unit.parent_id


def may_review(actor: User, report: UnitReport) -> bool:
    return is_level_above(actor, report.unit)


def exception_for(period: Period, unit: Unit) -> PeriodException | None:
    """The latest exception granted to the unit for the period (earlier ones stay as the record)."""
    return PeriodException.objects.filter(period=period, unit=unit).order_by("-granted_at", "-id").first()


def locked_for(period: Period, unit: Unit, today: datetime.date | None = None) -> str:
    """Return why the unit may no longer write its report for the period ("" while it may)."""
    today = today or timezone.localdate()
    if period.locks_on is None or today <= period.locks_on:
        return ""
    exception = exception_for(period, unit)
    if exception is not None and today <= exception.until:
        return ""
    above = unit.parent.name if unit.parent is not None else "cấp trên"
    return (
        f"Kỳ {period.name} đã khóa sổ sau ngày {period.locks_on:%d/%m/%Y}: không lập, sửa, nộp báo cáo được nữa. "
        f"Đề nghị {above} cho phép nộp muộn."
    )


def _require_open(period: Period, unit: Unit) -> None:
    reason = locked_for(period, unit)
    if reason:
        raise ValidationError(reason)


def _suggest_number(unit: Unit, period: Period) -> str:
    n = UnitReport.objects.filter(unit=unit, period__end__year=period.end.year).count() + 1
    return f"{n}/BC-CCB"


def _fill(report: UnitReport) -> None:
    if report.is_rollup:
        result = rollup.sum_accepted(report.period, report.unit)
        report.computed = result.totals
        report.missing_units = result.missing_names
        # A stale report below passes its old figures on: this one is no better until it is mended.
        report.stale = any(r.stale for r in result.accepted)
    else:
        report.computed = figures.compute([report.unit], report.period.start, report.period.end)[report.unit.pk]
        report.missing_units = []
        report.stale = False
    report.computed_at = timezone.now()


def _sync_above(actor: User, report: UnitReport, why: str) -> None:
    """After a report's state changed, bring the roll-up above it up to date.

    An open roll-up (draft, returned) is recomputed at once; a submitted or accepted one
    cannot change and is marked stale instead, as is every accepted roll-up above it.
    """
    parent_id = report.unit.parent_id
    if parent_id is None:
        return
    above = (
        UnitReport.objects.select_for_update()
        .select_related("period", "unit", "unit__kind")
        .filter(period_id=report.period_id, unit_id=parent_id, is_rollup=True)
        .first()
    )
    if above is None:
        return
    if above.is_frozen:
        if above.stale:
            return
        above.stale = True
        above.version += 1
        above.save(update_fields=["stale", "version", "updated_at"])
        summary = f"Số liệu tổng hợp đã cũ: {why}. Cần trả lại để tính lại trước khi in."
        record(ReportEvent, actor=actor, action="stale", summary=summary, report=above)
        if above.state == ReportState.ACCEPTED:
            _sync_above(actor, above, f"báo cáo {above.unit} đã cũ")
        return
    _fill(above)
    above.version += 1
    above.save()
    record(ReportEvent, actor=actor, action="refreshed", summary=f"Tự động tính lại: {why}", report=above)


@transaction.atomic
def report_open(*, actor: User, period: Period, unit: Unit) -> UnitReport:
    """Return the unit's report for the period, creating it filled in from the data."""
    if not _may_write(actor, unit):
        raise PermissionDenied("Bạn không có quyền lập báo cáo của đơn vị này.")
    existing = UnitReport.objects.filter(period=period, unit=unit).first()
    if existing is not None:
        return existing
    _require_open(period, unit)
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
        _require_open(current.period, current.unit)
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
    if report.stale:
        raise ValidationError(
            "Số liệu tổng hợp đã cũ (một báo cáo cấp dưới vừa thay đổi). Hãy tính lại số liệu rồi nộp."
        )
    broken = selectors.violations(report)
    if broken:
        raise ValidationError(["Số liệu chưa khớp, chưa nộp được:", *(str(v) for v in broken)])
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
    if report.state not in FROZEN_STATES:
        raise ValidationError("Chỉ trả lại báo cáo đã nộp hoặc đã duyệt.")
    was_accepted = report.state == ReportState.ACCEPTED
    if not comment.strip():
        raise ValidationError({"comment": "Hãy ghi lý do trả lại."})
    report.state = ReportState.RETURNED
    report.return_comment = comment.strip()
    report.reviewed_at = timezone.now()
    if report.stale:
        _fill(report)  # open again: its roll-up catches up with the reports below at once
    report.version += 1
    report.full_clean()
    report.save()
    record(ReportEvent, actor=actor, action="returned", summary=f"Trả lại: {comment.strip()}", report=report)
    if was_accepted:
        _sync_above(actor, report, f"báo cáo {report.unit} đã duyệt bị trả lại để sửa")
    return report


@transaction.atomic
def report_accept(*, actor: User, report: UnitReport) -> UnitReport:
    report = _lock(report, actor, editable=False)
    if not may_review(actor, report):
        raise PermissionDenied("Bạn không có quyền duyệt báo cáo này.")
    if report.state != ReportState.SUBMITTED:
        raise ValidationError("Chỉ duyệt báo cáo đã nộp.")
    if report.stale:
        raise ValidationError("Số liệu tổng hợp của báo cáo này đã cũ: hãy trả lại để đơn vị tính lại rồi nộp lại.")
    report.state = ReportState.ACCEPTED
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save()
    record(ReportEvent, actor=actor, action="accepted", summary="Duyệt báo cáo", report=report)
    _sync_above(actor, report, f"báo cáo {report.unit} được duyệt")
    return report


@transaction.atomic
def exception_grant(*, actor: User, period: Period, unit: Unit, until: datetime.date, reason: str) -> PeriodException:
    """Let a unit directly below the actor's write and submit its report after the period locks."""
    if not is_level_above(actor, unit):
        raise PermissionDenied("Chỉ cấp trên trực tiếp của đơn vị được cho phép nộp muộn.")
    if period.locks_on is None:
        raise ValidationError("Kỳ báo cáo này không có ngày khóa sổ, đơn vị vẫn nộp được.")
    if until <= period.locks_on:
        raise ValidationError({"until": f"Ngày được nộp phải sau ngày khóa sổ {period.locks_on:%d/%m/%Y}."})
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do cho phép nộp muộn."})
    exception = PeriodException(period=period, unit=unit, until=until, reason=reason.strip(), granted_by=actor)
    exception.full_clean()
    exception.save()
    # The row itself is the record of who let whom and why; the report's history says it too.
    report = UnitReport.objects.filter(period=period, unit=unit).first()
    if report is not None:
        summary = f"Cấp trên cho phép nộp muộn đến ngày {until:%d/%m/%Y}: {exception.reason}"
        record(ReportEvent, actor=actor, action="exception", summary=summary, report=report)
    return exception


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

"""The level above: who has reported, and the sums of the accepted reports.

The units that report to a unit are its active children; each child's report
stands for its whole subtree, so the same code serves the bloc (over its grassroots
associations) and the province (over its blocs).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from hoiccb.org.models import Unit, UnitStatus
from hoiccb.reports.models import Period, PeriodException, ReportState, UnitReport


class Standing:
    ACCEPTED = "accepted"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    MISSING = "missing"
    OVERDUE = "overdue"

    LABELS = {
        ACCEPTED: "Đã duyệt",
        ON_TIME: "Đã nộp đúng hạn",
        LATE: "Nộp muộn",
        RETURNED: "Trả lại",
        MISSING: "Chưa nộp",
        OVERDUE: "Quá hạn, chưa nộp",
    }
    ORDER = (OVERDUE, RETURNED, MISSING, LATE, ON_TIME, ACCEPTED)


BADGES = {
    Standing.ACCEPTED: "text-bg-success",
    Standing.ON_TIME: "text-bg-primary",
    Standing.LATE: "text-bg-warning",
    Standing.RETURNED: "text-bg-danger",
    Standing.MISSING: "text-bg-secondary",
    Standing.OVERDUE: "text-bg-dark",
}


@dataclass
class ChildRow:
    unit: Unit
    report: UnitReport | None
    standing: str
    deadline: datetime.date
    exception: PeriodException | None = None

    @property
    def standing_label(self) -> str:
        return Standing.LABELS[self.standing]

    @property
    def badge(self) -> str:
        return BADGES[self.standing]


@dataclass
class Completeness:
    rows: list[ChildRow]
    counts: dict[str, int] = field(default_factory=dict)

    def labelled_counts(self) -> list[tuple[str, str, int]]:
        return [(BADGES[key], Standing.LABELS[key], self.counts.get(key, 0)) for key in Standing.ORDER]


def reporting_units(parent: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=parent, status=UnitStatus.ACTIVE).select_related("kind", "group"))


def _local_date(moment) -> datetime.date:
    return timezone.localtime(moment).date()


def standing_of(report: UnitReport | None, deadline: datetime.date, today: datetime.date) -> str:
    if report is None or report.state == ReportState.DRAFT:
        return Standing.OVERDUE if today > deadline else Standing.MISSING
    if report.state == ReportState.RETURNED:
        return Standing.RETURNED
    if report.state == ReportState.ACCEPTED:
        return Standing.ACCEPTED
    return Standing.LATE if _local_date(report.submitted_at) > deadline else Standing.ON_TIME


def overdue_count(period: Period, parent: Unit, today: datetime.date | None = None) -> int:
    """Return how many units completeness() marks OVERDUE, counted in one query (the inbox's line).

    The same rule as standing_of: no report, or a draft, past the deadline of the unit's
    level. The inbox needs the number only, not 300 units with their kind and group.
    """
    today = today or timezone.localdate()
    by_kind = {d.unit_kind_id: d.due_on for d in period.deadlines.all()}
    past_due = Q(kind_id__in=[kind for kind, due_on in by_kind.items() if today > due_on])
    if today > period.deadline:
        past_due |= ~Q(kind_id__in=list(by_kind))
    handed_in = UnitReport.objects.filter(period=period, unit=OuterRef("pk")).exclude(state=ReportState.DRAFT)
    return (
        Unit.objects.filter(parent=parent, status=UnitStatus.ACTIVE).filter(past_due).exclude(Exists(handed_in)).count()
    )


def completeness(period: Period, parent: Unit, today: datetime.date | None = None) -> Completeness:
    """Return each reporting unit under `parent` with its report, where it stands and its exception (four queries)."""
    today = today or timezone.localdate()
    children = reporting_units(parent)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit__in=[c.pk for c in children]).only(
            "id", "unit_id", "state", "submitted_at", "reviewed_at", "return_comment", "number", "stale"
        )
    }
    period_deadlines = list(period.deadlines.all())
    by_kind = {d.unit_kind_id: d.due_on for d in period_deadlines}
    exceptions: dict[int, PeriodException] = {}
    for exception in PeriodException.objects.filter(period=period, unit__in=[c.pk for c in children]).order_by(
        "granted_at", "id"
    ):
        exceptions[exception.unit_id] = exception  # the latest grant wins
    rows = []
    counts: dict[str, int] = {}
    for child in children:
        deadline = by_kind.get(child.kind_id, period.deadline)
        report = reports.get(child.pk)
        standing = standing_of(report, deadline, today)
        counts[standing] = counts.get(standing, 0) + 1
        rows.append(
            ChildRow(
                unit=child, report=report, standing=standing, deadline=deadline, exception=exceptions.get(child.pk)
            )
        )
    rows.sort(key=lambda r: (Standing.ORDER.index(r.standing), r.unit.path))
    return Completeness(rows=rows, counts=counts)


@dataclass
class RollupResult:
    totals: dict[str, int]
    accepted: list[UnitReport]
    missing_names: list[str]


def sum_accepted(period: Period, parent: Unit) -> RollupResult:
    """Return the sums of the children's accepted reports (as reported, corrections included)."""
    children = reporting_units(parent)
    accepted = list(
        UnitReport.objects.filter(period=period, unit__in=[c.pk for c in children], state=ReportState.ACCEPTED)
        .select_related("unit")
        .order_by("unit_path")
    )
    totals: dict[str, int] = {}
    for report in accepted:
        for code, value in report.values().items():
            totals[code] = totals.get(code, 0) + (value or 0)
    done = {r.unit_id for r in accepted}
    missing = [c.name for c in sorted(children, key=lambda c: c.path) if c.pk not in done]
    return RollupResult(totals=totals, accepted=accepted, missing_names=missing)

"""What waits in periodic reports, for the home page's "Việc cần làm" (registered in apps.py)."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.inbox import Action, Item
from hoiccb.reports import rollup
from hoiccb.reports.models import Period, ReportState, UnitReport

SECTION = "Báo cáo"


def current_period() -> Period | None:
    """The latest period that has begun (the one reports are being written for)."""
    # Its level deadlines come along: the inbox reads them for the own report and the late units.
    return (
        Period.objects.filter(start__lte=timezone.localdate())
        .prefetch_related("deadlines")
        .order_by("-end", "-id")
        .first()
    )


def items(user: User) -> list[Item]:
    """Own report to submit or correct, reports to review, late units (with one reminder button)."""
    root = scoping.root_unit(user)
    if root is None:
        return []
    out: list[Item] = []
    period = current_period() if scoping.can(user, "submit_reports") else None
    if period is not None:
        period_url = reverse("reports:period", args=[period.pk])
        own = UnitReport.objects.filter(period=period, unit=root).only("id", "state").first()
        deadline = period.deadline_for(root)
        if own is None or own.state == ReportState.DRAFT:
            out.append(
                Item(
                    SECTION,
                    f"Báo cáo {period.name} của đơn vị cần nộp",
                    1,
                    period_url,
                    urgent=timezone.localdate() > deadline,
                    detail=f"hạn {deadline:%d/%m/%Y}",
                )
            )
        elif own.state == ReportState.RETURNED:
            out.append(
                Item(
                    SECTION,
                    f"Báo cáo {period.name} bị trả lại, cần sửa và nộp lại",
                    1,
                    reverse("reports:detail", args=[own.pk]),
                    urgent=True,
                )
            )
    if scoping.can(user, "review_reports"):
        waiting = (
            # Only the level directly above reviews (see services.is_level_above).
            scoping.in_scope(user, UnitReport.objects.filter(state=ReportState.SUBMITTED, unit__parent=root))
            .values("period_id", "period__name")
            .annotate(n=Count("*"))  # not Count("id"): the waiting-report index answers without the table
            .order_by("-period__end", "-period_id")
        )
        for row in waiting:
            out.append(
                Item(
                    SECTION,
                    f"Báo cáo {row['period__name']} chờ duyệt",
                    row["n"],
                    reverse("reports:period", args=[row["period_id"]]),
                )
            )
        if period is not None:
            late = rollup.overdue_count(period, root)
            out.append(
                Item(
                    SECTION,
                    f"Đơn vị quá hạn chưa nộp báo cáo {period.name}",
                    late,
                    reverse("reports:period", args=[period.pk]),
                    urgent=True,
                    actions=(
                        Action(
                            "Nhắc tất cả",
                            reverse("reports:remind_late"),
                            f"Gửi thư nhắc nộp báo cáo tới tài khoản của {late} đơn vị quá hạn?",
                            {"ky": str(period.pk)},
                        ),
                    ),
                )
            )
    return out

"""The standing committee's dashboard: a few grouped reads, each a chart with its table.

Every chart is a `Chart`: labels, series and the same numbers as table rows, so the page
shows the table under the chart (and without JavaScript), and `chart_xlsx` writes it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.activities.models import Activity, ActivityKind, Gift, Occasion
from hoiccb.lib.excel import Column, write_list
from hoiccb.members.models import Gender, Member, MemberKind, MemberStatus
from hoiccb.org.models import Unit
from hoiccb.org.paths import STEP_LENGTH, subtree_filter
from hoiccb.reports import rollup
from hoiccb.reports.figures import AGE_BANDS
from hoiccb.reports.models import Period


@dataclass
class Chart:
    key: str
    title: str
    type: str
    labels: list[str]
    series: list[tuple[str, list[int]]]
    money: bool = False
    options: dict = field(default_factory=dict)

    def rows(self) -> list[list]:
        return [[label, *(values[i] for _, values in self.series)] for i, label in enumerate(self.labels)]

    def as_js(self) -> dict:
        return {
            "type": self.type,
            "labels": self.labels,
            "series": [{"label": name, "data": values} for name, values in self.series],
            "options": self.options,
        }


def build(user: User, unit: Unit, today: datetime.date | None = None) -> dict[str, Chart]:
    today = today or timezone.localdate()
    if not scoping.unit_in_scope(user, unit):
        return {}
    members = Member.objects.filter(**subtree_filter("unit_path", unit.path), status=MemberStatus.ACTIVE)
    charts = [
        _members_by_unit(unit, members),
        _age_pyramid(members, today),
        _policy(members),
        _activities_by_month(unit, today),
        _gifts_by_occasion(unit, today),
    ]
    period = Period.objects.filter(start__lte=today).order_by("-end").first()
    if period is not None:
        charts.append(_completeness(period, unit, today))
    return {c.key: c for c in charts}


def _members_by_unit(unit: Unit, members) -> Chart:
    width = len(unit.path) + STEP_LENGTH
    rows = (
        members.annotate(branch=Substr("unit_path", 1, width))
        .values("branch")
        .annotate(
            ccb=Count("id", filter=Q(kind=MemberKind.VETERAN)),
            cqn=Count("id", filter=Q(kind=MemberKind.FORMER_SOLDIER)),
        )
        .order_by()
    )
    units = {u.path: u for u in Unit.objects.filter(parent=unit).select_related("group")}
    by_unit = {r["branch"]: r for r in rows}
    ordered = sorted(units.values(), key=lambda u: ((u.group.name if u.group else "~"), u.name))
    labels = [u.name.removeprefix("Hội CCB ") for u in ordered]
    return Chart(
        "members_by_unit",
        "Hội viên theo đơn vị (xếp theo khối)",
        "bar",
        labels,
        [
            ("Cựu chiến binh", [by_unit.get(u.path, {}).get("ccb", 0) for u in ordered]),
            ("Cựu quân nhân", [by_unit.get(u.path, {}).get("cqn", 0) for u in ordered]),
        ],
        options={"stacked": True, "horizontal": True},
    )


def _age_pyramid(members, today: datetime.date) -> Chart:
    rows = members.values("gender", "birth_year").annotate(n=Count("id")).order_by()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        if row["birth_year"] is None:
            continue
        age = today.year - row["birth_year"]
        for _code, label, low, high in AGE_BANDS:
            if low <= age <= high:
                counts[(label, row["gender"])] += row["n"]
    labels = [label for _, label, _, _ in reversed(AGE_BANDS)]
    return Chart(
        "age_pyramid",
        "Tháp tuổi hội viên",
        "bar",
        labels,
        [
            ("Nam", [counts[(label, Gender.MALE)] for label in labels]),
            ("Nữ", [counts[(label, Gender.FEMALE)] for label in labels]),
        ],
        options={"horizontal": True},
    )


def _policy(members) -> Chart:
    totals = members.aggregate(
        invalid=Count("id", filter=Q(war_invalid_rate__isnull=False)),
        sick=Count("id", filter=Q(sick_soldier=True)),
        orange=Count("id", filter=Q(agent_orange=True)),
        family=Count("id", filter=Q(policy_family=True)),
        poor=Count("id", filter=Q(family_circumstance__in=["ho_ngheo", "can_ngheo"])),
    )
    labels = ["Thương binh", "Bệnh binh", "Nhiễm chất độc da cam", "Gia đình chính sách", "Hộ nghèo, cận nghèo"]
    values = [totals["invalid"], totals["sick"], totals["orange"], totals["family"], totals["poor"]]
    return Chart("policy", "Diện chính sách", "bar", labels, [("Số hội viên", values)])


def _activities_by_month(unit: Unit, today: datetime.date) -> Chart:
    first = datetime.date(today.year - 1, today.month, 1)
    rows = (
        Activity.objects.filter(**subtree_filter("unit_path", unit.path), start_date__gte=first, start_date__lte=today)
        .annotate(month=TruncMonth("start_date"))
        .values("month", "kind_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    months = []
    day = first
    while day <= today:
        months.append(day)
        day = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    counts: defaultdict[tuple[datetime.date, int], int] = defaultdict(int)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        counts[(month, row["kind_id"])] += row["n"]
    kinds = list(ActivityKind.objects.order_by("order", "name"))
    series = [(k.name, [counts[(m, k.pk)] for m in months]) for k in kinds]
    series = [s for s in series if any(s[1])] or series[:1]
    return Chart(
        "activities_by_month",
        "Hoạt động theo tháng và loại (12 tháng gần nhất)",
        "bar",
        [f"{m:%m/%Y}" for m in months],
        series,
        options={"stacked": True},
    )


def _gifts_by_occasion(unit: Unit, today: datetime.date) -> Chart:
    rows = (
        Gift.objects.filter(**subtree_filter("unit_path", unit.path), given_on__year=today.year)
        .values("occasion")
        .annotate(value=Sum("value"))
        .order_by()
    )
    values = {r["occasion"]: r["value"] or 0 for r in rows}
    labels = [label for code, label in Occasion.choices if values.get(code)]
    data = [values[code] for code, _ in Occasion.choices if values.get(code)]
    return Chart(
        "gifts_by_occasion",
        f"Giá trị quà tặng theo dịp, năm {today.year} (đồng)",
        "doughnut",
        labels,
        [("Giá trị (đồng)", data)],
        money=True,
    )


def _completeness(period: Period, unit: Unit, today: datetime.date) -> Chart:
    state = rollup.completeness(period, unit, today)
    items = state.labelled_counts()
    return Chart(
        "completeness",
        f"Tình hình nộp báo cáo: {period.name}",
        "doughnut",
        [label for _, label, _ in items],
        [("Số đơn vị", [n for _, _, n in items])],
    )


def chart_xlsx(chart: Chart, unit: Unit):
    columns = [Column("Nhóm", 36)] + [Column(name, 16, "money" if chart.money else "int") for name, _ in chart.series]
    file, _ = write_list(
        heading=[unit.name],
        title=chart.title,
        subtitle=f"Số liệu đến ngày {timezone.localdate():%d/%m/%Y}",
        columns=columns,
        rows=chart.rows(),
        sheet_name="Số liệu",
    )
    return file

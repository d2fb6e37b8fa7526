"""The figures of a periodic report, computed from the registry and the activities.

One catalogue (`catalogue()`) names every figure in report order; `compute()` returns,
for a set of sibling units, {unit id: {figure code: value}} at the period's end, each
unit standing for its whole subtree. Members are grouped in SQL by the few columns the
figures read (branch, kind, gender, party, invalid, birth year, dates that matter), and
the groups are classified here, so a province's subtree is one grouped range scan.

Where a member is at a day: their current unit, unless a transfer (or a merge) after
that day moved them, in which case the unit they left. Each change is counted in the unit
where it happened: a death, leaving or move out of the system where the member was at the
period's end; each move during the period out of the old unit and into the new one; a join
in the unit of admission (the unit left by the first move of the period, if any), so that
every unit's balance holds for one who joins and moves, moves twice, moves and dies...
Ratings and awards come from the awards module (`hoiccb.awards.selectors`).
Members at the period's start are those present on the day before it, counted the same way.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Q, Sum, Value, When
from django.db.models.functions import Substr

from hoiccb.activities.models import ActivityKind, FundingSource, Gift, Recommendation, RecommendationStatus
from hoiccb.activities.selectors import activity_counts
from hoiccb.awards.selectors import period_figures
from hoiccb.finance import dues
from hoiccb.finance.models import DuesPayment
from hoiccb.members.models import EventKind, Gender, Member, MemberEvent, MemberKind, MemberStatus
from hoiccb.org.models import Unit
from hoiccb.org.paths import subtree_filter


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    section: str
    money: bool = False
    computed: bool = True  # False: the system does not know it, the unit types it in


MEMBERS = "Hội viên"
CHANGES = "Biến động trong kỳ"
ACTIVITIES = "Hoạt động"
GIFTS = "Thăm hỏi, tặng quà"
INSPECTIONS = "Kiểm tra, giám sát"
RATINGS = "Thi đua, khen thưởng"
DUES = "Hội phí"

AGE_BANDS = (
    ("age_lt60", "Dưới 60 tuổi", 0, 59),
    ("age_60", "Từ 60 đến 69 tuổi", 60, 69),
    ("age_70", "Từ 70 đến 79 tuổi", 70, 79),
    ("age_80", "Từ 80 tuổi trở lên", 80, 200),
)

BASE_FIGURES = [
    Figure("members_start", "Tổng số hội viên đầu kỳ", MEMBERS),
    Figure("members", "Tổng số hội viên cuối kỳ", MEMBERS),
    Figure("ccb", "Cựu chiến binh", MEMBERS),
    Figure("cqn", "Cựu quân nhân", MEMBERS),
    Figure("party", "Đảng viên", MEMBERS),
    Figure("women", "Hội viên nữ", MEMBERS),
    Figure("invalids", "Thương binh", MEMBERS),
    *(Figure(code, label, MEMBERS) for code, label, _, _ in AGE_BANDS),
    Figure("age_unknown", "Chưa rõ năm sinh", MEMBERS),
    Figure("joined", "Kết nạp, tiếp nhận mới", CHANGES),
    Figure("died", "Từ trần", CHANGES),
    Figure("moved_in", "Chuyển đến", CHANGES),
    Figure("moved_out", "Chuyển đi", CHANGES),
    Figure("left", "Thôi sinh hoạt", CHANGES),
]
DUES_FIGURES = [
    Figure("dues_collected", "Hội phí đã thu trong kỳ (đồng)", DUES, money=True),
    Figure("dues_paid", "Hội viên đã nộp hội phí của năm (đến cuối kỳ)", DUES),
    Figure("dues_arrears", "Hội viên còn nợ hội phí của năm (cuối kỳ)", DUES),
]
TAIL_FIGURES = [
    Figure("inspections_made", "Cuộc kiểm tra, giám sát đã tiến hành", INSPECTIONS),
    Figure("inspections_received", "Lần được kiểm tra, giám sát", INSPECTIONS),
    Figure("open_recommendations", "Kiến nghị chưa thực hiện xong cuối kỳ", INSPECTIONS),
    # From the awards module: ratings of the year of the period's end, awards dated in the period.
    Figure("rated_units", "Đơn vị được xếp loại thi đua trong năm", RATINGS),
    Figure("rated_excellent", "Đơn vị xếp loại cao nhất (Trong sạch vững mạnh xuất sắc)", RATINGS),
    Figure("exemplary_members", "Hội viên CCB gương mẫu", RATINGS),
    Figure("awards", "Số khen thưởng trong kỳ", RATINGS),
    Figure("awards_individual", "trong đó: khen thưởng cá nhân", RATINGS),
    Figure("awards_collective", "trong đó: khen thưởng tập thể", RATINGS),
]


def catalogue() -> list[Figure]:
    """Return every figure in report order (activity kinds and funding sources are data)."""
    kinds = ActivityKind.objects.order_by("order", "name").values_list("code", "name")
    return [
        *BASE_FIGURES,
        Figure("activities", "Tổng số hoạt động", ACTIVITIES),
        *(Figure(f"act_{code}", name, ACTIVITIES) for code, name in kinds),
        Figure("head_count", "Lượt người tham gia", ACTIVITIES),
        Figure("gifts", "Suất quà đã tặng", GIFTS),
        Figure("gift_value", "Giá trị quà (đồng)", GIFTS, money=True),
        *(
            Figure(f"gift_{code}", f"Giá trị quà từ nguồn: {label} (đồng)", GIFTS, money=True)
            for code, label in FundingSource.choices
        ),
        *DUES_FIGURES,
        *TAIL_FIGURES,
    ]


def _partial_in(field: str, start: datetime.date, end: datetime.date) -> Q:
    """A partial date whose earliest day falls in [start, end] ("2024-06" from 1/6, "2024" from 1/1)."""
    q = Q(**{f"{field}__gte": start.isoformat(), f"{field}__lte": end.isoformat()})
    if start.day == 1:
        q |= Q(**{field: f"{start:%Y-%m}"})
        if start.month == 1:
            q |= Q(**{field: f"{start.year}"})
    return q


def _partial_by(field: str, end: datetime.date) -> Q:
    """A partial date known and whose earliest day is on or before `end`."""
    return ~Q(**{field: ""}) & Q(**{f"{field}__lte": end.isoformat()})


def _scope(units: Sequence[Unit]) -> tuple[dict, int, dict[str, int]]:
    """Return (path filter, branch width, {branch path: unit id}) for sibling units."""
    paths = {u.path: u.pk for u in units}
    width = len(units[0].path)
    if len(units) == 1:
        return subtree_filter("unit_path", units[0].path), width, paths
    parent = units[0].path[: width - 4]
    return subtree_filter("unit_path", parent), width, paths


def compute(units: Sequence[Unit], start: datetime.date, end: datetime.date) -> dict[int, dict[str, int]]:
    """Return {unit id: {code: value}} for sibling units (same parent), each over its subtree."""
    units = list(units)
    if not units:
        return {}
    if len({len(u.path) for u in units}) != 1:
        raise ValueError("compute() takes units of one level")
    path_filter, width, branches = _scope(units)
    codes = [f.code for f in catalogue() if f.computed]
    out: dict[int, dict[str, int]] = {pk: dict.fromkeys(codes, 0) for pk in branches.values()}

    def add(branch: str, code: str, n: int) -> None:
        pk = branches.get(branch[:width])
        if pk is not None:
            out[pk][code] = out[pk].get(code, 0) + n

    _member_figures(path_filter, width, start, end, add)

    def add_start(branch: str, code: str, n: int) -> None:
        if code == "members":
            add(branch, "members_start", n)

    day_before = start - datetime.timedelta(days=1)
    _member_figures(path_filter, width, day_before, day_before, add_start)
    _transfer_figures(branches, width, start, end, add)
    _activity_figures(units, path_filter, width, start, end, add)
    _dues_figures(path_filter, width, start, end, add)
    root_path = units[0].path if len(units) == 1 else units[0].path[: width - 4]
    for branch, counts in period_figures(root_path, width, start, end).items():
        for code, n in counts.items():
            add(branch, code, n)
    for row in (
        Gift.objects.filter(**path_filter, given_on__gte=start, given_on__lte=end)
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch", "funding_source")
        .annotate(value=Sum("value"))
        .order_by()
    ):
        add(row["branch"], f"gift_{row['funding_source'] or 'khac'}", row["value"] or 0)
    record_filter = {f"record__{k}": v for k, v in path_filter.items()}
    for open_row in (
        Recommendation.objects.filter(**record_filter, record__inspected_on__lte=end)
        .filter(~Q(status=RecommendationStatus.CLOSED) | Q(closed_on__gt=end))
        .annotate(branch=Substr("record__unit_path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(open_row["branch"], "open_recommendations", open_row["n"])
    return out


def _classify(row: dict, start: datetime.date, end: datetime.date, sign: int, add, branch: str) -> None:
    """Add one group of members (same attributes) to the figures of `branch`."""
    n = row["n"] * sign
    if row["joined_in"]:
        add(branch, "joined", n)
    if row["died_in"]:
        add(branch, "died", n)
    if row["left_in"]:
        add(branch, "left", n)
    if row["out_in"]:
        add(branch, "moved_out", n)
    if not row["present"]:
        return
    add(branch, "members", n)
    add(branch, "ccb" if row["kind"] == MemberKind.VETERAN else "cqn", n)
    if row["party_member"]:
        add(branch, "party", n)
    if row["gender"] == Gender.FEMALE:
        add(branch, "women", n)
    if row["invalid"]:
        add(branch, "invalids", n)
    year = row["birth_year"]
    if year is None:
        add(branch, "age_unknown", n)
        return
    age = end.year - year
    for code, _, low, high in AGE_BANDS:
        if low <= age <= high:
            add(branch, code, n)


def _member_groups(qs, start: datetime.date, end: datetime.date, width: int, *, per_member: bool = False):
    flag = lambda q: Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())  # noqa: E731
    gone_by_end = (
        Q(status=MemberStatus.DECEASED) & (_partial_by("died_on", end) | Q(died_on="", status_date__isnull=True))
    ) | (
        Q(status__in=[MemberStatus.LEFT, MemberStatus.TRANSFERRED_OUT])
        & (Q(status_date__isnull=True) | Q(status_date__lte=end))
    )
    joined_late = ~Q(joined_on="") & Q(joined_on__gt=end.isoformat())
    return (
        qs.annotate(
            branch=Substr("unit_path", 1, width),
            present=flag(~gone_by_end & ~joined_late),
            joined_in=flag(_partial_in("joined_on", start, end)),
            died_in=flag(Q(status=MemberStatus.DECEASED) & _partial_in("died_on", start, end)),
            left_in=flag(Q(status=MemberStatus.LEFT, status_date__gte=start, status_date__lte=end)),
            out_in=flag(Q(status=MemberStatus.TRANSFERRED_OUT, status_date__gte=start, status_date__lte=end)),
            invalid=flag(Q(war_invalid_rate__isnull=False)),
        )
        .values(
            "branch",
            "present",
            "joined_in",
            "died_in",
            "left_in",
            "out_in",
            "kind",
            "gender",
            "party_member",
            "invalid",
            "birth_year",
            *(["id"] if per_member else []),
        )
        .annotate(n=Count("id"))
        .order_by()
    )


MOVES = (EventKind.TRANSFERRED, EventKind.UNIT_MERGED)


def _member_figures(path_filter: dict, width: int, start, end, add) -> None:
    for row in _member_groups(Member.objects.filter(**path_filter), start, end, width):
        _classify(row, start, end, 1, add, row["branch"])
    # Members moved after the period's end are counted where they were: taken off their
    # current unit's figures, added to the unit they left (the first move after the end).
    was_in = _first_moves(path_filter, Q(happened_on__gt=end))
    if was_in:
        moved = Member.objects.filter(pk__in=list(was_in))
        # One row per moved member, with its whole current path (the branch is cut in `add`).
        for group in _member_groups(moved, start, end, 255, per_member=True):
            _classify(group, start, end, -1, add, group["branch"])
            _classify(group, start, end, 1, add, was_in[group["id"]])
    _joined_where_admitted(path_filter, start, end, was_in, add)


def _first_moves(path_filter: dict, when: Q) -> dict[int, str]:
    """Return {member id: path of the unit left} for the first move matching `when` of each
    member moved out of or into the scope."""
    moves = (
        MemberEvent.objects.filter(when, action__in=MOVES)
        .filter(
            Q(**{f"from_unit__{k.removeprefix('unit_')}": v for k, v in path_filter.items()})
            | Q(**{f"to_unit__{k.removeprefix('unit_')}": v for k, v in path_filter.items()})
        )
        .order_by("member_id", "happened_on", "id")
        .values_list("member_id", "from_unit__path")
    )
    first: dict[int, str] = {}
    for member_id, from_path in moves:
        first.setdefault(member_id, from_path)
    return first


def _joined_where_admitted(path_filter: dict, start, end, was_in: dict[int, str], add) -> None:
    """Move the join of one who joined and moved within the period to the unit of admission.

    `_classify` counted it where the member was at the period's end, but the moves of the
    period are counted out of the unit they left: the join belongs to the unit the first of
    them left, or both units' balances break.
    """
    admitted_in = _first_moves(path_filter, Q(happened_on__gte=start, happened_on__lte=end))
    if not admitted_in:
        return
    joined = Member.objects.filter(_partial_in("joined_on", start, end), pk__in=list(admitted_in))
    for pk, path in joined.values_list("pk", "unit_path"):
        add(was_in.get(pk, path), "joined", -1)
        add(admitted_in[pk], "joined", 1)


def _transfer_figures(branches: dict[str, int], width: int, start, end, add) -> None:
    """Moves during the period between a unit and anywhere outside it (inside the system)."""
    prefix_q = Q()
    for path in branches:
        prefix_q |= Q(
            **{k.replace("unit_path", "from_unit__path"): v for k, v in subtree_filter("unit_path", path).items()}
        )
        prefix_q |= Q(
            **{k.replace("unit_path", "to_unit__path"): v for k, v in subtree_filter("unit_path", path).items()}
        )
    events = (
        MemberEvent.objects.filter(action__in=MOVES, happened_on__gte=start, happened_on__lte=end)
        .filter(prefix_q)
        .values_list("from_unit__path", "to_unit__path")
    )
    for from_path, to_path in events:
        a, b = (from_path or "")[:width], (to_path or "")[:width]
        if a == b:
            continue
        add(a, "moved_out", 1)
        add(b, "moved_in", 1)


def _dues_figures(path_filter: dict, width: int, start: datetime.date, end: datetime.date, add) -> None:
    """Dues collected in the period, and for the year of the period's end: who has paid, who owes.

    Who owes is counted among the members active now (not at the period's end) who are not
    exempt under that year's rate, less those who paid: a report made long after its period
    may differ from one made on time.
    """
    payments = DuesPayment.objects.filter(**path_filter)
    for collected in (
        payments.filter(paid_on__gte=start, paid_on__lte=end)
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        add(collected["branch"], "dues_collected", collected["total"] or 0)
    paid: dict[str, int] = {}
    for counted in (
        payments.filter(year=end.year, paid_on__lte=end)
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    ):
        paid[counted["branch"]] = counted["n"]
        add(counted["branch"], "dues_paid", counted["n"])
    rate = dues.rate_for(end.year)
    if rate is None:
        return
    for due in (
        Member.objects.filter(**path_filter)
        .filter(dues.due_q(rate, end.year))
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(due["branch"], "dues_arrears", max(due["n"] - paid.get(due["branch"], 0), 0))


def _activity_figures(units, path_filter, width, start, end, add) -> None:
    if len(units) == 1:
        counts = activity_counts(units[0], start, end)
    else:
        counts = activity_counts(Unit(path=units[0].path[: width - 4]), start, end)
    paths = dict(Unit.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    for pk, c in counts.items():
        branch = paths[pk]
        add(branch, "activities", c.activities)
        for code, n in c.by_kind.items():
            add(branch, f"act_{code}", n)
        add(branch, "head_count", c.head_count)
        add(branch, "gifts", c.gifts)
        add(branch, "gift_value", c.gift_value)
        add(branch, "inspections_made", c.inspections_made)
        add(branch, "inspections_received", c.inspections_received)

"""Reads of activities, gifts and inspections, always starting from the user's scope.

`activity_counts` is the one read the periodic reports use: per unit and period,
how many activities of each kind, gifts and their value, inspections.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.activities.models import (
    Activity,
    ActivityKind,
    Attachment,
    FundingSource,
    Gift,
    GiftForm,
    InspectionPlan,
    InspectionRecord,
    Occasion,
    Recommendation,
)
from hoiccb.members import access as members_access
from hoiccb.members.models import Member
from hoiccb.members.selectors import search_condition, search_terms
from hoiccb.org.models import Unit
from hoiccb.org.paths import STEP_LENGTH, subtree_filter

# Lists and calendars stop here; exports too (an Excel sheet of more is nobody's reading).
CALENDAR_CAP = 500
EXPORT_CAP = 50_000


# --- Scoped querysets ------------------------------------------------------------------


def activities(user: User) -> QuerySet[Activity]:
    return scoping.in_scope(user, Activity.objects.all())


def attachments(user: User) -> QuerySet[Attachment]:
    return scoping.in_scope(user, Attachment.objects.all(), "activity__unit_path")


def gifts(user: User) -> QuerySet[Gift]:
    return scoping.in_scope(user, Gift.objects.all())


def plans(user: User) -> QuerySet[InspectionPlan]:
    return scoping.in_scope(user, InspectionPlan.objects.all())


def records(user: User) -> QuerySet[InspectionRecord]:
    """Records the user may read: of their inspected units, or of plans their unit made."""
    base = InspectionRecord.objects.all()
    return scoping.in_scope(user, base) | scoping.in_scope(user, base, "plan__unit_path")


def recommendations(user: User) -> QuerySet[Recommendation]:
    base = Recommendation.objects.all()
    return scoping.in_scope(user, base, "record__unit_path") | scoping.in_scope(user, base, "record__plan__unit_path")


# --- Activity lists ----------------------------------------------------------------------


def participant_candidates(user: User, activity: Activity) -> QuerySet[Member]:
    """Return the active members of the organiser's subtree that the user may see."""
    return members_access.members(user).filter(unit_path__startswith=activity.unit_path, status="active")


def participant_search(user: User, activity: Activity, query: str) -> list[Member]:
    """Return the first candidates whose name holds every typed word (none for an empty query)."""
    terms = search_terms(query)
    if not terms:
        return []
    found = participant_candidates(user, activity).filter(search_condition(terms))
    return list(found.select_related("unit").order_by("sort_key", "id")[:30])


@dataclass
class ActivityFilters:
    kind: ActivityKind | None = None
    unit: Unit | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    funding_source: str = ""

    def describe(self) -> str:
        """Return the filters as a line of text (the export's subtitle)."""
        parts = []
        if self.kind:
            parts.append(f"Loại: {self.kind}")
        if self.unit:
            parts.append(f"Đơn vị: {self.unit}")
        if self.date_from or self.date_to:
            start = f"{self.date_from:%d/%m/%Y}" if self.date_from else "…"
            end = f"{self.date_to:%d/%m/%Y}" if self.date_to else "…"
            parts.append(f"Thời gian: {start} – {end}")
        if self.funding_source:
            parts.append(f"Nguồn kinh phí: {FundingSource(self.funding_source).label}")
        return "; ".join(parts)


def filtered_activities(user: User, filters: ActivityFilters) -> QuerySet[Activity]:
    """Return the user's activities matching the filters, newest first (the unit filter takes its subtree)."""
    qs = activities(user)
    if filters.unit is not None:
        if not scoping.unit_in_scope(user, filters.unit):
            return Activity.objects.none()
        qs = qs.filter(**subtree_filter("unit_path", filters.unit.path))
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind)
    if filters.date_from:
        qs = qs.filter(start_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(start_date__lte=filters.date_to)
    if filters.funding_source:
        qs = qs.filter(funding_source=filters.funding_source)
    return qs.order_by("-start_date", "-id")


@dataclass
class Page:
    rows: list[Activity]
    next_cursor: str | None
    is_first: bool


def encode_cursor(activity: Activity) -> str:
    return f"{activity.start_date:%Y-%m-%d}.{activity.pk}"


def decode_cursor(cursor: str) -> tuple[datetime.date, int] | None:
    try:
        day, pk = cursor.split(".", 1)
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def activity_page(user: User, filters: ActivityFilters, *, after: str = "", size: int = 50) -> Page:
    """Return one page of the activity list, newest first, after a cursor (keyset: no OFFSET, no COUNT)."""
    qs = filtered_activities(user, filters)
    cursor = decode_cursor(after) if after else None
    if cursor:
        day, pk = cursor
        qs = qs.filter(start_date__lte=day).filter(Q(start_date__lt=day) | Q(id__lt=pk))
    # Ids first (an index can answer), then one page of rows with what the list shows.
    keys = list(qs.values_list("id", flat=True)[: size + 1])
    has_more = len(keys) > size
    keys = keys[:size]
    by_id = Activity.objects.select_related("unit", "kind").in_bulk(keys)
    rows = [by_id[pk] for pk in keys]
    return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if has_more else None, is_first=cursor is None)


def export_activities(user: User, filters: ActivityFilters) -> list[Activity]:
    return list(filtered_activities(user, filters).select_related("unit", "kind")[:EXPORT_CAP])


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    activities: list[Activity] = field(default_factory=list)


def month_calendar(user: User, filters: ActivityFilters, year: int, month: int) -> tuple[list[list[CalendarDay]], bool]:
    """Return (weeks of 7 days Monday first, truncated): the activities on each day of the month.

    A multi-day activity shows on each of its days in the month. truncated is True
    when the month holds more than CALENDAR_CAP activities (only the first are placed).
    """
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    # Activities lasting more than 31 days are rare; starting up to 31 days earlier catches them.
    scoped = ActivityFilters(**{**filters.__dict__, "date_from": first - datetime.timedelta(days=31), "date_to": last})
    qs = filtered_activities(user, scoped).filter(Q(start_date__gte=first) | Q(end_date__gte=first))
    rows = list(qs.select_related("kind", "unit").order_by("start_date", "id")[: CALENDAR_CAP + 1])
    truncated = len(rows) > CALENDAR_CAP
    by_day: dict[datetime.date, list[Activity]] = defaultdict(list)
    for activity in rows[:CALENDAR_CAP]:
        day = max(activity.start_date, first)
        while day <= min(activity.last_date, last):
            by_day[day].append(activity)
            day += datetime.timedelta(days=1)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(date=d, in_month=d.month == month, activities=by_day.get(d, [])) for d in week])
    return weeks, truncated


# --- Counts for the periodic reports --------------------------------------------------------


@dataclass
class UnitActivityCounts:
    """What one unit did in a period (its own activities; a subtree's total is the sum over its units)."""

    activities: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    head_count: int = 0
    cost: int = 0
    gifts: int = 0
    gift_value: int = 0
    inspections_made: int = 0
    inspections_received: int = 0


def activity_counts(
    units_or_subtree: Unit | Iterable[Unit], period_start: datetime.date, period_end: datetime.date
) -> dict[int, UnitActivityCounts]:
    """Return {unit id: UnitActivityCounts} for the period [period_start, period_end] (both included).

    `units_or_subtree` is a Unit (every unit of its subtree that did anything has an
    entry) or an iterable of units (exactly those, each alone, not their subtrees).
    An activity counts in the period it starts in; gifts by the day they were given;
    inspections made by the plan's start, received by the day of the visit.
    The caller scopes: reports pass the units the user may see.

    Each table is read once, grouped by the unit-path copy, through the (unit_path,
    date) indexes: a province's subtree is one index range per table.
    """
    path_filter: Mapping[str, object]
    if isinstance(units_or_subtree, Unit):
        path_filter = subtree_filter("unit_path", units_or_subtree.path)
        unit_ids = None
    else:
        units = list(units_or_subtree)
        path_filter = {"unit_path__in": [u.path for u in units]}
        unit_ids = {u.path: u.pk for u in units}
    counts: dict[str, UnitActivityCounts] = defaultdict(UnitActivityCounts)
    kinds = dict(ActivityKind.objects.values_list("pk", "code"))

    activity_rows = (
        Activity.objects.filter(**path_filter, start_date__gte=period_start, start_date__lte=period_end)
        .values("unit_path", "kind_id")
        .annotate(n=Count("id"), people=Sum("head_count"), cost=Sum("cost"))
        .order_by()
    )
    for row in activity_rows:
        c = counts[row["unit_path"]]
        c.activities += row["n"]
        c.by_kind[kinds[row["kind_id"]]] = c.by_kind.get(kinds[row["kind_id"]], 0) + row["n"]
        c.head_count += row["people"] or 0
        c.cost += row["cost"] or 0
    gift_rows = (
        Gift.objects.filter(**path_filter, given_on__gte=period_start, given_on__lte=period_end)
        .values("unit_path")
        .annotate(n=Count("id"), value=Sum("value"))
        .order_by()
    )
    for gift_row in gift_rows:
        counts[gift_row["unit_path"]].gifts = gift_row["n"]
        counts[gift_row["unit_path"]].gift_value = gift_row["value"] or 0
    plan_rows = (
        InspectionPlan.objects.filter(**path_filter, start_date__gte=period_start, start_date__lte=period_end)
        .values("unit_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for plan_row in plan_rows:
        counts[plan_row["unit_path"]].inspections_made = plan_row["n"]
    record_rows = (
        InspectionRecord.objects.filter(**path_filter, inspected_on__gte=period_start, inspected_on__lte=period_end)
        .values("unit_path")
        .annotate(n=Count("id"))
        .order_by()
    )
    for record_row in record_rows:
        counts[record_row["unit_path"]].inspections_received = record_row["n"]

    if unit_ids is None:
        unit_ids = dict(Unit.objects.filter(path__in=list(counts)).values_list("path", "pk"))
    return {unit_ids[path]: c for path, c in counts.items() if path in unit_ids}


# --- Gifts -------------------------------------------------------------------------------


@dataclass
class GiftFilters:
    occasion: str = ""
    year: int | None = None
    unit: Unit | None = None
    funding_source: str = ""


def filtered_gifts(user: User, filters: GiftFilters) -> QuerySet[Gift]:
    qs = gifts(user)
    if filters.unit is not None:
        if not scoping.unit_in_scope(user, filters.unit):
            return Gift.objects.none()
        qs = qs.filter(**subtree_filter("unit_path", filters.unit.path))
    if filters.occasion:
        qs = qs.filter(occasion=filters.occasion)
    if filters.year:
        qs = qs.filter(occasion_year=filters.year)
    if filters.funding_source:
        qs = qs.filter(funding_source=filters.funding_source)
    return qs


def gift_list(user: User, filters: GiftFilters, limit: int = 200) -> QuerySet[Gift]:
    """Return the latest gifts matching the filters, with their unit and activity."""
    return filtered_gifts(user, filters).select_related("unit", "activity").order_by("-given_on", "-id")[:limit]


@dataclass
class TotalRow:
    label: str
    gifts: int
    value: int


@dataclass
class GiftTotals:
    gifts: int
    value: int
    beneficiaries: int  # distinct (name, address) per occasion: a family given to twice counts once
    by_occasion: list[TotalRow]
    by_unit: list[TotalRow]
    by_source: list[TotalRow]
    by_form: list[TotalRow]


def gift_totals(user: User, filters: GiftFilters) -> GiftTotals:
    """Return the totals of the user's gifts matching the filters, by occasion, unit, source and form.

    One grouped query (occasion, year, branch, source, form) gives every total; "by unit"
    is one level below the top of what is shown, each branch rolled up: the bloc sees its
    associations, the province its blocs, a chair their branches.
    """
    qs = filtered_gifts(user, filters).order_by()
    top = filters.unit or scoping.root_unit(user)
    width = len(top.path) + STEP_LENGTH if top else 0
    groups = list(
        qs.annotate(branch=Substr("unit_path", 1, width))
        .values("occasion", "occasion_year", "branch", "funding_source", "form")
        .annotate(n=Count("id"), value=Sum("value"))
    )
    beneficiaries = qs.values("occasion", "occasion_year", "match_key").distinct().count()
    names = dict(Unit.objects.filter(path__in={g["branch"] for g in groups}).values_list("path", "name"))
    occasion_labels = dict(Occasion.choices)
    source_labels = dict(FundingSource.choices)
    form_labels = dict(GiftForm.choices)

    def rows(key, label, by_key: bool = False) -> list[TotalRow]:
        """Sum the groups by key; largest value first, or in key order."""
        sums: dict = defaultdict(lambda: [0, 0])
        for g in groups:
            sums[key(g)][0] += g["n"]
            sums[key(g)][1] += g["value"] or 0
        items = sorted(sums.items()) if by_key else sorted(sums.items(), key=lambda item: -item[1][1])
        return [TotalRow(label(k), n, v) for k, (n, v) in items]

    return GiftTotals(
        gifts=sum(g["n"] for g in groups),
        value=sum(g["value"] or 0 for g in groups),
        beneficiaries=beneficiaries,
        by_occasion=rows(
            lambda g: (-g["occasion_year"], g["occasion"]),
            lambda k: f"{occasion_labels.get(k[1], k[1])} {-k[0]}",
            by_key=True,
        ),
        by_unit=rows(lambda g: g["branch"], lambda k: names.get(k, k)),
        by_source=rows(lambda g: g["funding_source"], lambda k: source_labels.get(k, k)),
        by_form=rows(lambda g: g["form"], lambda k: form_labels.get(k, k)),
    )


@dataclass
class DuplicateGroup:
    """One beneficiary given to more than once for one occasion, with the gifts that clash."""

    name: str
    address: str
    occasion_label: str
    gifts: list[Gift]

    @property
    def unit_names(self) -> list[str]:
        return sorted({g.unit.name for g in self.gifts})


def duplicate_gifts(user: User, filters: GiftFilters) -> list[DuplicateGroup]:
    """Return the beneficiaries given to more than once for one occasion (same normalised name and address).

    Two units giving to one family is the case the bloc must see; one unit entering
    a family twice is shown too. Only gifts in the user's scope are compared.
    """
    qs = filtered_gifts(user, filters).order_by()
    # No LIMIT in SQL: with one, PostgreSQL walks the key index in order through the whole
    # country instead of reading the subtree's range and grouping it (0.5 s against 30 ms).
    clashes = list(qs.values("occasion", "occasion_year", "match_key").annotate(n=Count("id")).filter(n__gt=1))[:200]
    if not clashes:
        return []
    # One IN list on the key (an OR of hundreds of triples costs more to plan than to run);
    # the few rows of the same key at another occasion are dropped here.
    wanted = {(c["occasion"], c["occasion_year"], c["match_key"]) for c in clashes}
    groups: dict[tuple, list[Gift]] = defaultdict(list)
    rows = qs.filter(match_key__in={key for _, _, key in wanted}).select_related("unit").order_by("given_on", "id")
    for gift in rows:
        triple = (gift.occasion, gift.occasion_year, gift.match_key)
        if triple in wanted:
            groups[triple].append(gift)
    return [
        DuplicateGroup(
            name=items[0].beneficiary_name,
            address=items[0].address,
            occasion_label=f"{items[0].get_occasion_display()} {items[0].occasion_year}",
            gifts=items,
        )
        for items in groups.values()
    ]


def duplicate_keys_in(gift_list: Iterable[Gift], user: User) -> set[int]:
    """Return the ids of the listed gifts whose beneficiary also got a gift for that occasion elsewhere in scope."""
    gift_list = list(gift_list)
    if not gift_list:
        return set()
    keys = {(g.occasion, g.occasion_year, g.match_key) for g in gift_list}
    condition = Q()
    for occasion, year, key in keys:
        condition |= Q(occasion=occasion, occasion_year=year, match_key=key)
    seen = (
        gifts(user)
        .filter(condition)
        .values("occasion", "occasion_year", "match_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    clashing = {(r["occasion"], r["occasion_year"], r["match_key"]) for r in seen}
    return {g.pk for g in gift_list if (g.occasion, g.occasion_year, g.match_key) in clashing}


def export_gifts(user: User, filters: GiftFilters) -> list[Gift]:
    return list(
        filtered_gifts(user, filters)
        .select_related("unit", "activity")
        .order_by("unit__path", "given_on", "id")[:EXPORT_CAP]
    )

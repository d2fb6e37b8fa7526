"""Reads of the awards module for other apps (periodic reports): counts by branch of a subtree.

Reports sit on the same floor as awards and read them only through this module.
"""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.db.models.functions import Substr

from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.movements.models import MemberRating, RatingBand, UnitRating
from hoiccb.org.paths import subtree_filter

PERIOD_FIGURES = (
    "rated_units",
    "rated_excellent",
    "exemplary_members",
    "awards",
    "awards_individual",
    "awards_collective",
)


def _year_ends_in(start: datetime.date, end: datetime.date) -> list[int]:
    return [y for y in range(start.year, end.year + 1) if start <= datetime.date(y, 12, 31) <= end]


def period_figures(root_path: str, width: int, start: datetime.date, end: datetime.date) -> dict[str, dict[str, int]]:
    """Return {branch path: {figure: n}} for the subtree of `root_path`, a branch being a path cut to `width`.

    - rated_units / rated_excellent: units rated for the year of the period's end, and those
      in the top band of their movement (e.g. "Trong sạch vững mạnh xuất sắc");
    - exemplary_members: members rated CCB gương mẫu that year;
    - awards (individual / collective): awards whose decision is dated in the period; an award
      known only by its year (entered from before, or from above) counts in the period that
      holds 31 December of that year.
    """
    path_q = subtree_filter("unit_path", root_path)
    out: dict[str, dict[str, int]] = {}

    def add(branch: str, code: str, n: int) -> None:
        counts = out.setdefault(branch[:width], dict.fromkeys(PERIOD_FIGURES, 0))
        counts[code] += n

    top: dict[int, str] = {}
    for band in RatingBand.objects.order_by("movement_id", "-min_score").values("movement_id", "name"):
        top.setdefault(band["movement_id"], band["name"])
    for rating in (
        UnitRating.objects.filter(**path_q, year=end.year)
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch", "movement_id", "band_name")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(rating["branch"], "rated_units", rating["n"])
        if rating["band_name"] and rating["band_name"] == top.get(rating["movement_id"]):
            add(rating["branch"], "rated_excellent", rating["n"])
    for exemplary in (
        MemberRating.objects.filter(**path_q, year=end.year, exemplary=True)
        .annotate(branch=Substr("unit_path", 1, width))
        .values("branch")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
    ):
        add(exemplary["branch"], "exemplary_members", exemplary["n"])
    in_period = Q(decision__issued_on__gte=start, decision__issued_on__lte=end) | Q(
        decision__isnull=True, year__in=_year_ends_in(start, end)
    )
    for award in (
        AwardRecord.objects.filter(**path_q)
        .filter(in_period)
        .annotate(
            branch=Substr("unit_path", 1, width),
            individual=ExpressionWrapper(Q(member__isnull=False), output_field=BooleanField()),
        )
        .values("branch", "individual")
        .annotate(n=Count("id"))
        .order_by()
    ):
        add(award["branch"], "awards", award["n"])
        add(award["branch"], "awards_individual" if award["individual"] else "awards_collective", award["n"])
    return out

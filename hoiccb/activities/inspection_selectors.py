"""Reads of inspections and supervision: plans, records, recommendations and those overdue."""

import datetime

from django.db.models import Count, Q, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.activities.models import InspectionPlan, InspectionRecord, Recommendation, RecommendationStatus
from hoiccb.activities.selectors import EXPORT_CAP, plans, recommendations
from hoiccb.lib.forms import today
from hoiccb.org.paths import subtree_filter


def overdue_recommendations(user: User, on: datetime.date | None = None) -> QuerySet[Recommendation]:
    """Return the open recommendations past their due date that the user follows, oldest due first."""
    on = on or today()
    return (
        recommendations(user)
        .filter(due_date__lt=on)
        .exclude(status=RecommendationStatus.CLOSED)
        .select_related("record__unit", "record__plan")
        .order_by("due_date", "id")
    )


def plan_list(user: User, year: int | None = None) -> QuerySet[InspectionPlan]:
    qs = (
        plans(user)
        .select_related("unit")
        .annotate(
            n_records=Count("records", distinct=True),
            n_open=Count(
                "records__recommendations",
                filter=~Q(records__recommendations__status=RecommendationStatus.CLOSED),
                distinct=True,
            ),
        )
    )
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-start_date", "-id")


def inspected_records(user: User) -> QuerySet[InspectionRecord]:
    """Return the records of the user's subtree made by a higher level's plan (what the chair must act on)."""
    root = scoping.root_unit(user)
    if root is None:
        return InspectionRecord.objects.none()
    own_plans = {f"plan__{name}": value for name, value in subtree_filter("unit_path", root.path).items()}
    return (
        scoping.in_scope(user, InspectionRecord.objects.all())
        .exclude(**own_plans)
        .select_related("plan", "plan__unit", "unit")
        .order_by("-plan__start_date")
    )


def export_recommendations(user: User) -> list[Recommendation]:
    return list(
        recommendations(user)
        .select_related("record__unit", "record__plan")
        .order_by("record__plan__start_date", "record__unit__path", "due_date", "id")[:EXPORT_CAP]
    )

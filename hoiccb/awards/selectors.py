"""Scoped reads of the awards app shared by its views (see hoiccb/accounts/scoping.py)."""

from django.db.models import Q, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.models import Decision, Nomination
from hoiccb.org.paths import subtree_filter


def nominations(user: User) -> QuerySet[Nomination]:
    """Nominations seen by the nominating unit's subtree and by the round's organiser."""
    root = scoping.root_unit(user)
    if root is None:
        return Nomination.objects.none()
    below = subtree_filter("unit_path", root.path)
    return Nomination.objects.filter(Q(**below) | Q(**{f"round__{k}": v for k, v in below.items()}))


def decisions(user: User) -> QuerySet[Decision]:
    """Decisions issued in the user's subtree."""
    return scoping.in_scope(user, Decision.objects.select_related("round__movement", "unit__parent", "form"))

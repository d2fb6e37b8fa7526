"""Scoped reads of rounds, quotas, seats, nominations and decisions (see hoiccb/accounts/scoping.py)."""

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.movements.models import MemberRating, UnitRating
from hoiccb.awards.rounds.models import (
    HOLDING_STATES,
    AwardForm,
    Decision,
    Nomination,
    NominationState,
    Quota,
    Recipient,
    Round,
    Share,
)
from hoiccb.members import access as members_access
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import STEP_LENGTH, ancestor_paths, common_ancestor, subtree_filter


def rounds_for(user: User) -> QuerySet[Round]:
    """Rounds organised in the user's subtree, or by a unit above it (whose quotas it shares)."""
    root = scoping.root_unit(user)
    if root is None or not scoping.can(user, "view"):
        return Round.objects.none()
    return Round.objects.filter(
        Q(**subtree_filter("unit_path", root.path)) | Q(unit_path__in=ancestor_paths(root.path))
    )


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


def shares_to_adjust(user: User) -> QuerySet[Share]:
    """Shares of the rounds organised in the user's subtree."""
    shares = Share.objects.select_related("quota__round__unit", "unit", "quota__form")
    return scoping.in_scope(user, shares, "quota__round__unit_path")


# --- Nominating -------------------------------------------------------------------------------


def nominating_units(user: User, rnd: Round) -> QuerySet[Unit]:
    """The units of the user's scope that share the round's quotas (those directly below its organiser)."""
    return scoping.units(user).filter(parent=rnd.unit).order_by("path")


def nominable_members(user: User) -> QuerySet[Member]:
    return members_access.members(user).filter(status=MemberStatus.ACTIVE).select_related("unit")


def nominable_units(user: User) -> QuerySet[Unit]:
    """The units of the user's scope that may be nominated for a collective award."""
    return scoping.units(user).order_by("path")


def round_forms(rnd: Round) -> QuerySet[AwardForm]:
    """The forms the round has a quota for."""
    return AwardForm.objects.filter(quota__round=rnd)


# --- A round's page ----------------------------------------------------------------------


def round_quotas(rnd: Round) -> list[Quota]:
    """The round's quotas, each with `given` (seats given to units, hand adjustments included) and `free`."""
    quotas: list[Quota] = list(rnd.quotas.select_related("form").annotate(given=Coalesce(Sum("shares__amount"), 0)))
    for q in quotas:
        q.free = q.total - q.given  # type: ignore[attr-defined]
    return quotas


def round_shares(user: User, rnd: Round, *, whole: bool) -> QuerySet[Share]:
    """The round's shares: all of them for the organiser (`whole`), else those of the user's subtree."""
    shares = (
        Share.objects.filter(quota__round=rnd)
        .select_related("unit", "quota__form")
        .order_by("quota__form__order", "unit_path")
    )
    return shares if whole else scoping.in_scope(user, shares)


def round_nominations(user: User, rnd: Round, *, whole: bool) -> QuerySet[Nomination]:
    """The round's nominations: all of them for the organiser (`whole`), else those of the user's subtree."""
    rows = Nomination.objects.filter(round=rnd).select_related("form", "member", "nominee_unit", "unit", "decision")
    return rows if whole else scoping.in_scope(user, rows)


def seats_used(rnd: Round) -> dict[tuple[int, int], int]:
    """Seats held in the round, by (unit id, form id)."""
    rows = Nomination.objects.filter(round=rnd, state__in=HOLDING_STATES).values("unit", "form").annotate(n=Count("id"))
    return {(r["unit"], r["form"]): r["n"] for r in rows}


def review_nominations(rnd: Round) -> QuerySet[Nomination]:
    """The nominations before the council, in the order of the list it votes on."""
    return (
        Nomination.objects.filter(round=rnd, state=NominationState.REVIEW)
        .select_related("form", "member", "nominee_unit", "unit")
        .order_by("form__order", "unit_path", "id")
    )


def round_decisions(rnd: Round) -> QuerySet[Decision]:
    """The round's decisions, each with the later decisions that correct or revoke it."""
    return rnd.decisions.select_related("form", "amends").prefetch_related("amendments")


def seats_held(round: Round, form: AwardForm, unit: Unit) -> int:
    """Return how many seats of a form the unit's nominations hold in the round."""
    return Nomination.objects.filter(round=round, form=form, unit=unit, state__in=HOLDING_STATES).count()


def seats(round: Round, form: AwardForm, unit: Unit) -> tuple[int, int]:
    """Return (share, used) of a unit for a form in a round."""
    share = Share.objects.filter(quota__round=round, quota__form=form, unit=unit).first()
    return (share.amount if share else 0), seats_held(round, form, unit)


def held_by_unit(round: Round, form: AwardForm) -> dict[int, int]:
    """Seats of a form held in the round, by unit id."""
    return dict(
        Nomination.objects.filter(round=round, form=form, state__in=HOLDING_STATES)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )


# --- What the share-out is computed from -------------------------------------------------------


def claimant_units(round: Round) -> list[Unit]:
    """The units directly below the round's organiser (a bloc's grassroots associations) share its quotas."""
    return list(round.unit.children.filter(status=UnitStatus.ACTIVE).select_related("group").order_by("path"))


def _count_by_unit(units: list[Unit], rows: QuerySet[Member]) -> dict[int, int]:
    """How many of `rows` (members) sit in each unit's subtree, in one grouped query."""
    counts = {u.pk: 0 for u in units}
    by_path = {u.path: u.pk for u in units}
    if not units:
        return counts
    # The deepest unit above them all (units of several blocs: their province).
    common = common_ancestor([u.path[:-STEP_LENGTH] for u in units])
    rows = rows.filter(**subtree_filter("unit_path", common))
    for path, n in rows.values_list("unit_path").annotate(n=Count("id")).values_list("unit_path", "n"):
        for end in range(STEP_LENGTH, len(path) + 1, STEP_LENGTH):
            key = by_path.get(path[:end])
            if key is not None:
                counts[key] += n
                break
    return counts


def member_counts(units: list[Unit]) -> dict[int, int]:
    """Active members of each unit's subtree (its branches included)."""
    return _count_by_unit(units, Member.objects.filter(status=MemberStatus.ACTIVE))


def eligible_counts(round: Round, form: AwardForm, units: list[Unit]) -> dict[int, int]:
    """The most seats of `form` each unit can use: its people (or, for a collective form, its units
    and their branches) that the form's history and rating rules do not already rule out.

    Only the rules the data can decide: the ratings prerequisite once the movement's members are rated."""
    if form.recipient == Recipient.COLLECTIVE:
        counts = {u.pk: 0 for u in units}
        for u in units:  # a handful of units below one organiser: one query each is fine
            counts[u.pk] = Unit.objects.filter(status=UnitStatus.ACTIVE, **subtree_filter("path", u.path)).count()
        return counts
    rows = Member.objects.filter(status=MemberStatus.ACTIVE)
    history = AwardRecord.objects.filter(form=form, member__isnull=False)
    if form.once_in_lifetime:
        rows = rows.exclude(pk__in=history.values("member"))
    elif form.min_years_between:
        recent = history.filter(year__gt=round.year - form.min_years_between)
        rows = rows.exclude(pk__in=recent.values("member"))
    # Before any member is rated the prerequisite cannot be judged yet: members count as they are.
    rated = MemberRating.objects.filter(movement=round.movement).exists()
    if form.prerequisite_years and rated:
        exemplary = (
            MemberRating.objects.filter(movement=round.movement, exemplary=True)
            .values("member")
            .annotate(n=Count("id"))
            .filter(n__gte=form.prerequisite_years)
        )
        rows = rows.filter(pk__in=exemplary.values("member"))
    return _count_by_unit(units, rows)


def latest_scores(round: Round, units: list[Unit]) -> dict[int, int]:
    latest = UnitRating.objects.filter(movement=round.movement, unit__in=units).values("unit").annotate(y=Max("year"))
    last_year = {r["unit"]: r["y"] for r in latest}
    scores = {u.pk: 0 for u in units}
    for r in UnitRating.objects.filter(movement=round.movement, unit__in=units).values("unit", "year", "score"):
        if last_year.get(r["unit"]) == r["year"]:
            scores[r["unit"]] = int(r["score"] * 10)
    return scores

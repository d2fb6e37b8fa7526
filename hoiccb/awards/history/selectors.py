"""Reads of the award history: a member's or a unit's awards and ratings, the fairness table,
and the imports of past awards (see hoiccb/accounts/scoping.py)."""

from django.db.models import Count, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.history.models import AwardImport, AwardRecord
from hoiccb.awards.movements.models import MemberRating, UnitRating
from hoiccb.awards.rounds.models import AwardForm
from hoiccb.members import access as members_access
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit


def records_of(*, member: Member | None = None, unit: Unit | None = None) -> QuerySet[AwardRecord]:
    """The awards received by a member, or else by a unit (a collective award), with their forms."""
    records = AwardRecord.objects.select_related("form")
    return records.filter(member=member) if member is not None else records.filter(unit=unit)


def member_ratings(member: Member) -> QuerySet[MemberRating]:
    return MemberRating.objects.filter(member=member).select_related("movement").order_by("year")


def unit_ratings(unit: Unit) -> QuerySet[UnitRating]:
    return UnitRating.objects.filter(unit=unit).select_related("movement").order_by("year")


def statistics(user: User) -> tuple[list[tuple], QuerySet]:
    """Awards by group beside each group's share of members (the fairness table), and awards by form and year."""
    records = scoping.in_scope(user, AwardRecord.objects.all())
    units = {u.path: u for u in scoping.units(user).select_related("group")}
    by_group: dict[str, list[int]] = {}

    def group_of(path):
        for end in range(len(path), 0, -4):
            u = units.get(path[:end])
            if u is not None and u.group is not None:
                return u.group.name
        return "Chưa xếp khối"

    for path in records.values_list("unit_path", flat=True):
        by_group.setdefault(group_of(path), [0, 0])[0] += 1
    for path in members_access.members(user).filter(status=MemberStatus.ACTIVE).values_list("unit_path", flat=True):
        by_group.setdefault(group_of(path), [0, 0])[1] += 1
    total_awards = sum(v[0] for v in by_group.values()) or 1
    total_members = sum(v[1] for v in by_group.values()) or 1
    rows = [
        (g, a, m, round(100 * a / total_awards, 1), round(100 * m / total_members, 1))
        for g, (a, m) in sorted(by_group.items())
    ]
    by_form = records.values("form__name", "year").annotate(n=Count("id")).order_by("year", "form__name")
    return rows, by_form


def imports(user: User) -> QuerySet[AwardImport]:
    """Imports of past awards made by units of the user's subtree."""
    return scoping.in_scope(user, AwardImport.objects.select_related("created_by"))


def award_forms() -> QuerySet[AwardForm]:
    """The catalogue of forms of commendation (the names an import may use)."""
    return AwardForm.objects.all()

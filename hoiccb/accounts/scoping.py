"""The one place that decides what a user may read and do.

Every read of unit-owned data starts from a function here, which limits it to the
subtree of the user's unit; detail views fetch their object through `get_or_404`,
so an object outside the scope answers 404, exactly as one that does not exist.
"""

from django.db.models import QuerySet
from django.http import Http404

from hoiccb.accounts.models import Role, User
from hoiccb.org.models import Unit, UnitQuerySet
from hoiccb.org.paths import subtree_filter

# What each role may do, within its subtree. One table, read by every check below.
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({"view", "edit_members", "manage_units", "manage_users", "sensitive", "record_activities"}),
    Role.STANDING: frozenset({"view", "edit_members", "manage_units", "sensitive", "record_activities"}),
    Role.OFFICER: frozenset({"view", "edit_members", "manage_units", "sensitive", "record_activities"}),
    Role.COMMITTEE: frozenset({"view"}),
    Role.VIEWER: frozenset({"view"}),
}

# News and directives: write drafts, publish or withdraw them, send directives to the units
# below, confirm receipt of the directives sent to one's own unit. Committee members write drafts.
NEWS_OFFICE = frozenset({"write_news", "publish_news", "issue_directives", "receive_directives"})
for _role in (Role.ADMIN, Role.STANDING, Role.OFFICER):
    CAPABILITIES[_role] |= NEWS_OFFICE
del _role
CAPABILITIES[Role.COMMITTEE] |= {"write_news"}


def root_unit(user: User) -> Unit | None:
    """Return the top of the user's subtree, or None for a user without a unit."""
    if not user.is_authenticated or user.unit_id is None:
        return None
    return user.unit


def can(user: User, capability: str) -> bool:
    if not user.is_authenticated or not user.is_active or user.unit_id is None:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def units(user: User) -> UnitQuerySet:
    """Return the units the user may see: their unit and its descendants."""
    root = root_unit(user)
    if root is None:
        return Unit.objects.none()
    return Unit.objects.filter(**subtree_filter("path", root.path))


def member_path_prefix(user: User, unit: Unit | None = None) -> str | None:
    """Return the unit-path prefix of the members the user may see, narrowed to `unit` if given.

    None means nothing: no unit, or a `unit` outside the user's subtree.
    """
    root = root_unit(user)
    if root is None or (unit is not None and not unit.is_within(root)):
        return None
    return unit.path if unit is not None else root.path


def users(user: User) -> QuerySet[User]:
    """Return the logins the user may see: those attached to units in their subtree."""
    root = root_unit(user)
    if root is None:
        return User.objects.none()
    return User.objects.filter(**subtree_filter("unit__path", root.path))


# Roles from the highest to the lowest: an administrator manages only what lies strictly below.
ROLE_RANK: dict[str, int] = {
    role: rank for rank, role in enumerate((Role.ADMIN, Role.STANDING, Role.OFFICER, Role.COMMITTEE, Role.VIEWER))
}


def is_below(actor: User, unit: Unit | None, role: str) -> bool:
    """Whether a login of `role` at `unit` lies strictly below the actor: a unit under theirs, or a lower role."""
    root = root_unit(actor)
    if root is None or unit is None or not unit.is_within(root):
        return False
    if unit.pk != root.pk:
        return True
    return ROLE_RANK.get(role, 0) > ROLE_RANK.get(actor.role, len(ROLE_RANK))


def manageable_users(actor: User) -> QuerySet[User]:
    """Return the logins the actor may change: strictly below them, never a superuser or staff (Django's admin)."""
    if not can(actor, "manage_users"):
        return User.objects.none()
    root = root_unit(actor)
    if root is None:
        return User.objects.none()
    below = User.objects.filter(**subtree_filter("unit__path", root.path)).exclude(unit=root)
    lower = [role for role, rank in ROLE_RANK.items() if rank > ROLE_RANK.get(actor.role, len(ROLE_RANK))]
    same_unit = User.objects.filter(unit=root, role__in=lower)
    return (below | same_unit).exclude(is_superuser=True).exclude(is_staff=True).exclude(pk=actor.pk)


# --- News and directives -----------------------------------------------------------
# The public's view of articles is not unit-scoped: it is news.selectors.public_articles.


def unit_in_scope(user: User, unit: Unit | None) -> bool:
    root = root_unit(user)
    return root is not None and unit is not None and unit.is_within(root)


def in_scope(user: User, queryset: QuerySet, path_field: str = "unit_path") -> QuerySet:
    """Return the rows of a unit-owned queryset whose unit (by its path copy) is in the user's subtree."""
    root = root_unit(user)
    if root is None:
        return queryset.none()
    return queryset.filter(**subtree_filter(path_field, root.path))


def can_manage_unit(user: User, unit: Unit) -> bool:
    """Officers manage the units below their own; the bloc's own record is the bloc's higher level's."""
    if not can(user, "manage_units") or not unit_in_scope(user, unit):
        return False
    return user.role in (Role.ADMIN, Role.STANDING) or unit.pk != user.unit_id


def can_restructure_unit(user: User, unit: Unit) -> bool:
    """Moving or merging needs a place above the unit in the user's scope, so never the user's own unit."""
    return can_manage_unit(user, unit) and unit.pk != user.unit_id


def get_or_404(queryset: QuerySet, **lookup):
    """Return the one object of an already scoped queryset, or raise 404."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy.") from None


def require(user: User, capability: str) -> None:
    """Raise 404 (not 403: nothing is revealed) when the user lacks a capability."""
    if not can(user, capability):
        raise Http404("Không tìm thấy.")


# --- Emulation and commendation (awards) -------------------------------------------------
# Officers run movements and rounds of their unit and nominate from the units of their subtree.
AWARDS_OFFICE = frozenset({"manage_awards", "nominate"})
for _role in (Role.ADMIN, Role.STANDING, Role.OFFICER):
    CAPABILITIES[_role] |= AWARDS_OFFICE
del _role


# --- Periodic reports ------------------------------------------------------------------
# Officers write and submit their unit's report and review those of the units below;
# the standing committee (and admins) also open periods.
REPORTS_OFFICE = frozenset({"submit_reports", "review_reports"})
for _role in (Role.ADMIN, Role.STANDING, Role.OFFICER):
    CAPABILITIES[_role] |= REPORTS_OFFICE
del _role
CAPABILITIES[Role.ADMIN] |= {"manage_periods"}
CAPABILITIES[Role.STANDING] |= {"manage_periods"}


# --- Meetings --------------------------------------------------------------------------
# Prepare conferences and working sessions of one's unit or below: agenda, places, guests,
# tasks, check-in, minutes. Everyone with a login sees the tasks given to them.
MEETINGS_OFFICE = frozenset({"manage_meetings"})
for _role in (Role.ADMIN, Role.STANDING, Role.OFFICER):
    CAPABILITIES[_role] |= MEETINGS_OFFICE
del _role


# --- Personal data (Law 91/2025/QH15) ----------------------------------------------------
# Read the sensitive-data access log, keep members' requests and consents, anonymise a
# member (asked for by one holder, confirmed by another): admins and standing committees.
CAPABILITIES[Role.ADMIN] |= {"privacy"}
CAPABILITIES[Role.STANDING] |= {"privacy"}

# --- Dues, funds and member care (finance) -------------------------------------------------
# Officers collect dues, keep the funds' ledgers, print receipts and member cards.
FINANCE_OFFICE = frozenset({"manage_finance"})
for _role in (Role.ADMIN, Role.STANDING, Role.OFFICER):
    CAPABILITIES[_role] |= FINANCE_OFFICE
del _role

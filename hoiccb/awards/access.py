"""Who may run the awards of a unit: the one predicate every awards check is built on."""

from django.core.exceptions import PermissionDenied

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.org.models import Unit

OUT_OF_SCOPE = "Đơn vị nằm ngoài phạm vi của bạn."


def can_manage_awards(user: User, unit: Unit | None) -> bool:
    """Return whether the user holds the awards office and `unit` lies in their subtree.

    Rounds, quotas, votes and decisions are the organising unit's; printing a decision's
    certificates asks it of the decision's issuing unit, the upward dossier of the round's unit.
    """
    return scoping.can(user, "manage_awards") and scoping.unit_in_scope(user, unit)


def require_manage_awards(user: User, unit: Unit | None, message: str = OUT_OF_SCOPE) -> None:
    """Raise PermissionDenied(message) unless `can_manage_awards(user, unit)`."""
    if not can_manage_awards(user, unit):
        raise PermissionDenied(message)

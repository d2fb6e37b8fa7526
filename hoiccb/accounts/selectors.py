"""Reads of logins beyond the scoping module's lists."""

from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User, UserEvent


def user_history(user: User, limit: int = 10) -> list[UserEvent]:
    """Return the latest audit rows of a login, newest first, with who wrote them."""
    return list(user.events.select_related("actor")[:limit])


def user_list(actor: User) -> QuerySet[User]:
    """Return the logins the actor may manage, by unit (tree order) then user name."""
    return scoping.manageable_users(actor).select_related("unit").order_by("unit__path", "username")

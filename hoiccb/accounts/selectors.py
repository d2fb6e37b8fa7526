"""Reads of logins beyond the scoping module's lists."""

from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User, UserEvent
from hoiccb.lib.vietnamese import normalize_search


def user_history(user: User, limit: int = 10) -> list[UserEvent]:
    """Return the latest audit rows of a login, newest first, with who wrote them."""
    return list(user.events.select_related("actor")[:limit])


def user_list(actor: User) -> QuerySet[User]:
    """Return the logins the actor may manage, by unit (tree order) then user name."""
    return scoping.manageable_users(actor).select_related("unit").order_by("unit__path", "username")


def search_users(actor: User, query: str) -> list[User]:
    """Return the logins the actor may manage whose user name, name, e-mail or unit hold every word of query.

    Accents and case do not matter ("hung" finds "Hùng"). The logins one administrator
    manages number in the hundreds, so they are matched here rather than through a
    normalised column that every write would have to keep.
    """
    words = normalize_search(query).split()
    rows = list(user_list(actor))
    if not words:
        return rows

    def text(user: User) -> str:
        unit = user.unit
        parts = [user.username, user.full_name, user.email, unit.name if unit else "", unit.code if unit else ""]
        return normalize_search(" ".join(p or "" for p in parts))

    return [user for user in rows if all(word in text(user) for word in words)]

"""Reads of logins beyond the scoping module's lists."""

from hoiccb.accounts.models import User, UserEvent


def user_history(user: User, limit: int = 10) -> list[UserEvent]:
    """Return the latest audit rows of a login, newest first, with who wrote them."""
    return list(user.events.select_related("actor")[:limit])

"""The people of a unit, as the tree pages and services need them.

Members live a floor above org, so org cannot import them. The members app fills this
interface in its AppConfig.ready(); the tree counts heads, moves people on a merge and
lists them on a unit's page through it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django import forms

    from hoiccb.accounts.models import User
    from hoiccb.org.models import Unit


class UnitPeople(Protocol):
    def headcounts(self, root_path: str, depth: int) -> dict[str, int]:
        """Return {path: active people in that subtree} for `root_path` and `depth` levels below it."""
        ...

    def move_for_merge(self, *, actor: User, from_unit: Unit, to_unit: Unit, on: datetime.date) -> int:
        """Move the people of `from_unit` to `to_unit` inside the merge's transaction; returns how many."""
        ...

    def first_page(self, user: User, unit: Unit, size: int) -> Any:
        """Return the first page (`.rows`, `.next_cursor`) of the unit's subtree's people `user` may see."""
        ...

    def officer_field(self, user: User, unit: Unit, *, label: str) -> forms.ModelChoiceField[Any]:
        """Return a field choosing one person of the unit's subtree `user` may see, by typing a name
        (the search picker; a person outside that subtree is refused)."""
        ...


_registered: list[UnitPeople] = []


def register(provider: UnitPeople) -> None:
    """Called once by the app that keeps the people (members)."""
    _registered[:] = [provider]


def people() -> UnitPeople:
    """Return the registered provider; the members app is always installed with org."""
    if not _registered:
        raise RuntimeError("No app registered the people of units (is hoiccb.members installed?).")
    return _registered[0]

"""What higher apps hold about a member, for "everything we hold" and for anonymisation.

Members cannot import the apps above them, so each registers from its AppConfig.ready:

    from hoiccb.members.privacy import registry
    registry.register("Khen thưởng đã nhận", awards_of_member, forget=None)

`provider(member)` returns rows, each a {column: text} dict. `forget(member, label)`, when
given, runs inside the anonymisation's transaction and replaces the copies that app keeps
of that member's name or address with `label` (the anonymous name); it must touch only
rows of that member.
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], list[dict[str, str]]]
Forget = Callable[[Any, str], int]

_providers: dict[str, tuple[Provider, Forget | None]] = {}


def register(title: str, provider: Provider, *, forget: Forget | None = None) -> None:
    """Add (or replace) the section `title` of the member's data, filled by `provider(member)`."""
    _providers[title] = (provider, forget)


def sections(member: Any) -> list[tuple[str, list[dict[str, str]]]]:
    """Return [(title, rows)] of every registered provider, in registration order."""
    return [(title, provider(member)) for title, (provider, _forget) in _providers.items()]


def forget(member: Any, label: str) -> dict[str, int]:
    """Run every registered anonymiser on `member`; returns {title: rows changed}."""
    return {title: hook(member, label) for title, (_provider, hook) in _providers.items() if hook is not None}


def count_copies(member: Any) -> list[str]:
    """Return the titles of the sections whose copies an anonymisation would replace."""
    return [title for title, (_provider, hook) in _providers.items() if hook is not None]

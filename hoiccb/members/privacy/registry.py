"""What higher apps hold about a member, for "everything we hold" (members cannot import them).

An app of a higher floor registers a provider from its AppConfig.ready:

    from hoiccb.members.privacy import registry
    registry.register("Khen thưởng", awards_of_member)

A provider takes a member and returns rows, each a {column: text} dict.
"""

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any], list[dict[str, str]]]

_providers: dict[str, Provider] = {}


def register(title: str, provider: Provider) -> None:
    """Add (or replace) the section `title` of the member's data, filled by `provider(member)`."""
    _providers[title] = provider


def sections(member: Any) -> list[tuple[str, list[dict[str, str]]]]:
    """Return [(title, rows)] of every registered provider, in registration order."""
    return [(title, provider(member)) for title, provider in _providers.items()]

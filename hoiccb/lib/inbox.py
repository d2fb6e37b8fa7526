"""The home page's "Việc cần làm": what waits for a user, gathered from every app.

The home page lives on a low floor and the work lives in the feature apps above it, so the
feature apps register a provider here (in their `AppConfig.ready`) and the page asks them
all. A provider returns the lines it has for the user, each with a count and a link; it
runs a fixed, small number of queries whatever the size of the subtree (one per kind).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Action:
    """A button that posts (e.g. "Nhắc tất cả"): its label, its URL and a question to confirm."""

    label: str
    url: str
    confirm: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # hidden inputs posted with the button


@dataclass(frozen=True)
class Item:
    """One line of the inbox: "3 báo cáo chờ duyệt", linking to where the work is done."""

    section: str
    label: str
    count: int
    url: str
    urgent: bool = False
    detail: str = ""
    actions: tuple[Action, ...] = field(default=())


Provider = Callable[[Any], list[Item]]

# Sections in the order the page shows them.
SECTIONS = ("Báo cáo", "Thi đua, khen thưởng", "Văn bản", "Nhiệm vụ", "Nhập danh sách")

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (idempotent: ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)


def collect(user: Any) -> list[tuple[str, list[Item]]]:
    """Return the user's lines with a count above zero, grouped by section in `SECTIONS` order."""
    if not getattr(user, "is_authenticated", False):
        return []
    by_section: dict[str, list[Item]] = {}
    for provider in _providers:
        for item in provider(user):
            if item.count > 0:
                by_section.setdefault(item.section, []).append(item)
    order = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(by_section.items(), key=lambda pair: order.get(pair[0], len(order)))

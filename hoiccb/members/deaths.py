"""What other apps do when a member's death is recorded (the finance app opens a visit task).

`members` stands below the apps that react, so it owns the list and they register in their
`AppConfig.ready()`; `member_record_death` calls every hook inside its own transaction.
"""

from collections.abc import Callable
from typing import Any

DeathHook = Callable[..., Any]  # (*, actor, member, funeral: str) -> Any

_hooks: list[DeathHook] = []


def register(hook: DeathHook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def notify(*, actor: Any, member: Any, funeral: str) -> None:
    for hook in _hooks:
        hook(actor=actor, member=member, funeral=funeral)

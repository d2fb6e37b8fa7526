"""One shape for every audit row: who did what, when, to which object, under which unit, and what changed.

Each app keeps its own event table (so each row can point at its object with a real
foreign key, and each history page reads one small indexed table), and every table
subclasses `AuditEvent`, so the columns are named the same everywhere. Services write
them only through `record`, inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from hoiccb.org.unit_owned import UnitOwned


class AuditEvent(UnitOwned):
    """Abstract base of the event tables. `changes` is {field label: [before, after]} (lib.audit.diff)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("thời điểm", default=timezone.now, db_index=True)
    action = models.CharField("việc", max_length=40)
    summary = models.CharField("nội dung", max_length=255, blank=True)
    changes = models.JSONField("thay đổi", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


Event = TypeVar("Event", bound=AuditEvent)


def record(
    model: type[Event],
    *,
    actor: Any,
    action: str,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    **objects: Any,
) -> Event:
    """Write one audit row of `model` about `objects` (its foreign keys and extra fields); returns it."""
    event = model(actor=actor, action=action, summary=summary[:255], changes=changes or {}, **objects)
    event.save()
    return event


def record_many(model: type[Event], events: Iterable[Event], *, batch_size: int = 1000) -> list[Event]:
    """Insert many audit rows of `model` at once; returns them.

    `bulk_create` skips `save()`, so the unit path is filled here: from each row's
    `unit_path` when the caller set it (cheap when it already knows the unit), else
    from `owner_path()`.
    """
    rows = list(events)
    for event in rows:
        if not event.unit_path:
            event.unit_path = event.owner_path()
        event.summary = event.summary[:255]
    return model._default_manager.bulk_create(rows, batch_size=batch_size)

"""The audit trail of the awards app: one AwardEvent row per write, in the write's transaction.

Rows are written only through `hoiccb.org.audit.record`. NominationEvent (a nomination's
own steps) lives with the nominations in `rounds.models`.
"""

from django.db import models

from hoiccb.org.audit import AuditEvent


class AwardEvent(AuditEvent):
    """Audit trail of the awards app (rounds, quotas, shares, decisions, documents, templates)."""

    # Null for writes that belong to no unit (the system-wide decision template, by an admin without one).
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta(AuditEvent.Meta):
        pass

    def __str__(self) -> str:
        return self.summary

    def owner_path(self) -> str:
        return self.unit.path if self.unit is not None else ""

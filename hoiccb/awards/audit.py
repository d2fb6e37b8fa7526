"""The audit trail of the awards app: one AwardEvent row per write, in the write's transaction.

NominationEvent (a nomination's own steps) lives with the nominations in `rounds.models`.
"""

from django.db import models


class AwardEvent(models.Model):
    """Audit trail of the awards app (rounds, quotas, shares, decisions)."""

    actor = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=40)
    summary = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.summary


# Rows kept in modules of their own: the documents' (certificates jobs, upward dossiers) and


def log(actor, unit, action: str, summary: str, changes: dict | None = None) -> None:
    """Write one audit row (the summary cut to its column's length)."""
    AwardEvent.objects.create(actor=actor, unit=unit, action=action, summary=summary[:255], changes=changes or {})

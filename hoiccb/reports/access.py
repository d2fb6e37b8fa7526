"""Which unit reports a user may see (built on accounts.scoping)."""

from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.reports.models import UnitReport


def reports(user: User) -> QuerySet:
    """Return the reports of the units in the user's subtree (a chair: their own unit's)."""
    if not scoping.can(user, "view"):
        return UnitReport.objects.none()
    return scoping.in_scope(user, UnitReport.objects.all())

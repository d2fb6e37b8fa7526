"""What of dues, funds and visits a user may see: rows of their subtree (built on accounts.scoping)."""

from django.db.models import QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.finance.models import DuesPayment, Fund, FundEntry, Remittance, VisitTask
from hoiccb.org.models import Unit


def can_manage(user: User, unit: Unit | None = None) -> bool:
    """Whether the user keeps the dues and funds (of `unit`, if given)."""
    return scoping.can(user, "manage_finance") and (unit is None or scoping.unit_in_scope(user, unit))


def payments(user: User) -> QuerySet[DuesPayment]:
    return scoping.in_scope(user, DuesPayment.objects.all())


def remittances(user: User) -> QuerySet[Remittance]:
    return scoping.in_scope(user, Remittance.objects.all())


def funds(user: User) -> QuerySet[Fund]:
    return scoping.in_scope(user, Fund.objects.all())


def fund_entries(user: User) -> QuerySet[FundEntry]:
    return scoping.in_scope(user, FundEntry.objects.all())


def visit_tasks(user: User) -> QuerySet[VisitTask]:
    return scoping.in_scope(user, VisitTask.objects.all())

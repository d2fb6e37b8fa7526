"""What waits in meeting tasks, for the home page's "Việc cần làm" (registered in apps.py)."""

from django.db.models import Count, Q
from django.urls import reverse

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.forms import today
from hoiccb.lib.inbox import Item
from hoiccb.meetings import selectors
from hoiccb.meetings.models import TaskStatus

SECTION = "Nhiệm vụ"


def items(user: User) -> list[Item]:
    """My open tasks (and how many are late); for those who prepare meetings, the subtree's late tasks."""
    if scoping.root_unit(user) is None:
        return []
    on = today()
    mine = (
        selectors.my_tasks(user)
        .exclude(status=TaskStatus.DONE)
        .aggregate(open=Count("id"), late=Count("id", filter=Q(deadline__lt=on)))
    )
    out = [
        Item(
            SECTION,
            "nhiệm vụ của tôi chưa xong",
            mine["open"],
            reverse("meetings:my_tasks"),
            urgent=bool(mine["late"]),
            detail=f"{mine['late']} quá hạn" if mine["late"] else "",
        )
    ]
    if scoping.can(user, "manage_meetings"):
        out.append(
            Item(
                SECTION,
                "nhiệm vụ của đơn vị đã quá hạn",
                selectors.late_tasks(user, on).count(),
                reverse("meetings:board"),
                urgent=True,
            )
        )
    return out

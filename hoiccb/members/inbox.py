"""Member-list imports waiting for the user's confirmation, for the home page's "Việc cần làm"."""

from django.db.models import Count, Max
from django.urls import reverse

from hoiccb.accounts.models import User
from hoiccb.lib.inbox import Item
from hoiccb.members.models import ImportState, MemberImport


def items(user: User) -> list[Item]:
    """The user's uploads read and matched but not yet written to the registry (one line, newest linked)."""
    waiting = MemberImport.objects.filter(created_by=user, state=ImportState.READY).aggregate(
        newest=Max("id"), count=Count("id")
    )
    if not waiting["count"]:
        return []
    return [
        Item(
            "Nhập danh sách",
            "danh sách hội viên đã đọc xong, chờ xác nhận ghi vào sổ",
            waiting["count"],
            reverse("members:import_detail", args=[waiting["newest"]]),
        )
    ]

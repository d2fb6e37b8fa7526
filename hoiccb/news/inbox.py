"""What waits in directives, for the home page's "Việc cần làm" (registered in apps.py)."""

from django.db.models import Count
from django.urls import reverse

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.inbox import Item
from hoiccb.news.models import DirectiveReceipt, ReceiptState

SECTION = "Văn bản"


def items(user: User) -> list[Item]:
    """Directives the user's unit has not confirmed; for the sender, its directives not yet confirmed by all."""
    root = scoping.root_unit(user)
    if root is None:
        return []
    out = []
    url = reverse("directives:list")
    if scoping.can(user, "receive_directives"):
        unconfirmed = DirectiveReceipt.objects.filter(unit=root).exclude(state=ReceiptState.CONFIRMED).count()
        out.append(Item(SECTION, "văn bản gửi đến chưa xác nhận đã nhận", unconfirmed, url, urgent=True))
    if scoping.can(user, "issue_directives"):
        sent = (
            DirectiveReceipt.objects.filter(directive__issuing_unit=root)
            .exclude(state=ReceiptState.CONFIRMED)
            # Count("*"), not Count("id"): the index of unconfirmed receipts answers without the table.
            .aggregate(directives=Count("directive_id", distinct=True), units=Count("*"))
        )
        out.append(
            Item(
                SECTION,
                "văn bản đã gửi còn nơi nhận chưa xác nhận",
                sent["directives"],
                url,
                detail=f"{sent['units']} lượt đơn vị chưa xác nhận",
            )
        )
    return out

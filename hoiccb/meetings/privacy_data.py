"""What meetings hold about a member, for the personal-data area (registered in apps.py)."""

from typing import Any

from django.utils import timezone

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.meetings.models import Delegate


def member_rows(member: Any) -> list[dict[str, str]]:
    """Return the meetings the member was a delegate of, with their check-in."""
    return [
        {
            "Hội nghị": d.meeting.title,
            "Thời gian": timezone.localtime(d.meeting.starts_at).strftime("%H:%M %d/%m/%Y"),
            "Điểm danh": timezone.localtime(d.checked_in_at).strftime("%H:%M %d/%m/%Y") if d.checked_in_at else "",
        }
        for d in Delegate.objects.filter(member=member).select_related("meeting").order_by("meeting__starts_at")
    ]


def forget(member: Any, label: str) -> int:
    """Replace the name copied on the member's delegate rows; returns how many changed."""
    return Delegate.objects.filter(member=member).update(full_name=label, search_text=normalize_search(label))

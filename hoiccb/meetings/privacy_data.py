"""What meetings hold about a member, for the personal-data area (registered in apps.py)."""

from typing import Any

from django.utils import timezone

from hoiccb.lib.vietnamese import normalize_search
from hoiccb.meetings.models import Candidate, Delegate


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


def candidate_rows(member: Any) -> list[dict[str, str]]:
    """Return the elections the member stood in, with the profile copied onto the candidate list."""
    return [
        {
            "Hội nghị": c.election.meeting.title,
            "Ứng cử": c.election.get_body_display(),
            "Lý lịch trên danh sách": ", ".join(
                part
                for part in (
                    c.full_name,
                    f"sinh {c.birth_year}" if c.birth_year else "",
                    c.unit_name,
                    "đảng viên" if c.party_member else "",
                    c.position,
                )
                if part
            ),
        }
        for c in Candidate.objects.filter(member=member).select_related("election__meeting").order_by("id")
    ]


def forget_candidate(member: Any, label: str) -> int:
    """Replace the name copied on the member's candidate rows; returns how many changed."""
    return Candidate.objects.filter(member=member).update(full_name=label)

"""What awards hold about a member, for the personal-data area (registered in apps.py)."""

from typing import Any

from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds.models import Nomination


def member_rows(member: Any) -> list[dict[str, str]]:
    """Return the awards the member received and the nominations made for them."""
    rows = [
        {
            "Việc": "Khen thưởng",
            "Năm": str(record.year),
            "Hình thức": record.form.name,
            "Chi tiết": " ".join(p for p in (record.achievement, record.decision_text) if p),
        }
        for record in AwardRecord.objects.filter(member=member).select_related("form").order_by("year", "id")
    ]
    rows += [
        {
            "Việc": f"Đề nghị khen thưởng ({n.get_state_display()})",
            "Năm": str(n.round.year),
            "Hình thức": n.form.name,
            "Chi tiết": n.summary,
        }
        for n in Nomination.objects.filter(member=member).select_related("round", "form").order_by("id")
    ]
    return rows

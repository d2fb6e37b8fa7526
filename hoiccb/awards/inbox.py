"""What waits in emulation and commendation, for the home page's "Việc cần làm" (registered in apps.py)."""

from django.db.models import Count, Q
from django.urls import reverse

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.rounds.models import Nomination, NominationState, RoundState
from hoiccb.lib.inbox import Item

SECTION = "Thi đua, khen thưởng"

# Organiser's side: (state, decision still missing) → label.
ORGANISER_LABELS: dict[str, str] = {
    NominationState.SUBMITTED: "đề nghị chờ đưa ra hội đồng",
    NominationState.REVIEW: "đề nghị chờ hội đồng biểu quyết",
    NominationState.APPROVED: "đề nghị đã duyệt chờ ra quyết định",
}
# Nominating unit's side.
UNIT_LABELS: dict[str, str] = {
    NominationState.DRAFT: "đề nghị còn nháp, chưa gửi",
    NominationState.RETURNED: "đề nghị bị trả lại, cần sửa và gửi lại",
}


def items(user: User) -> list[Item]:
    """Per open round: nominations waiting for the council or a decision, and the unit's own to send."""
    root = scoping.root_unit(user)
    if root is None or not (scoping.can(user, "manage_awards") or scoping.can(user, "nominate")):
        return []
    rows = (
        Nomination.objects.filter(round__state=RoundState.OPEN)
        .filter(
            Q(round__unit=root, state__in=list(ORGANISER_LABELS), decision__isnull=True)
            | Q(unit=root, state__in=list(UNIT_LABELS))
        )
        .values("round_id", "round__name", "round__unit_id", "state")
        .annotate(n=Count("id"))
        .order_by("round_id", "state")
    )
    out = []
    for row in rows:
        state = row["state"]
        organiser = row["round__unit_id"] == root.pk and state in ORGANISER_LABELS
        label = ORGANISER_LABELS[state] if organiser else UNIT_LABELS.get(state)
        if label is None:
            continue
        out.append(
            Item(
                SECTION,
                f"{label} – {row['round__name']}",
                row["n"],
                reverse("awards:round", args=[row["round_id"]]),
                urgent=state == NominationState.RETURNED,
            )
        )
    return out

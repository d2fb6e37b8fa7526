"""Writes of the awards council's votes: one nomination's, or a meeting's votes on a list.

Each vote approves the nomination or rejects it by the round's threshold, with the step in the
nomination's history (nominations.record_step).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.rounds.models import Nomination, NominationAction, NominationState, Round
from hoiccb.awards.rounds.nominations import record_step
from hoiccb.org.audit import record

S = NominationState


def vote_passes(*, present: int, yes: int, threshold: int) -> bool:
    """Approved when the yes votes reach `threshold` % of the members present (strictly above 50 % by default)."""
    if present <= 0:
        return False
    if threshold == 50:
        return yes * 2 > present
    return yes * 100 >= threshold * present


def _apply_vote(*, actor: User, nomination: Nomination, present: int, yes: int, no: int, abstain: int) -> None:
    """Check the counts, store them and the result the threshold gives, with the step in the history."""
    who = nomination.nominee_name
    if nomination.state != S.REVIEW:
        raise ValidationError(f"{who}: chỉ biểu quyết đề nghị đang ở bước «Hội đồng xét».")
    if min(present, yes, no, abstain) < 0 or yes + no + abstain > present:
        raise ValidationError(
            f"{who}: tổng số phiếu đồng ý, không đồng ý và không biểu quyết ({yes + no + abstain}) "
            f"không được vượt số có mặt ({present})."
        )
    if present == 0:
        raise ValidationError("Ghi số thành viên hội đồng có mặt.")
    nomination.votes_present, nomination.votes_yes, nomination.votes_no, nomination.votes_abstain = (
        present,
        yes,
        no,
        abstain,
    )
    before = nomination.state
    nomination.state = (
        S.APPROVED
        if vote_passes(present=present, yes=yes, threshold=nomination.round.approval_threshold)
        else S.REJECTED
    )
    nomination.full_clean()
    nomination.save()
    record_step(
        nomination,
        actor,
        NominationAction.VOTED,
        before,
        f"Biểu quyết {yes}/{present} đồng ý, {no} không, {abstain} không biểu quyết",
    )


@transaction.atomic
def record_vote(*, actor: User, nomination: Nomination, present: int, yes: int, no: int, abstain: int) -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("round__unit").get(pk=nomination.pk)
    require_manage_awards(actor, nomination.round.unit)
    _apply_vote(actor=actor, nomination=nomination, present=present, yes=yes, no=no, abstain=abstain)
    return nomination


@transaction.atomic
def record_votes(
    *, actor: User, round: Round, present: int, votes: dict[int, tuple[int, int, int]]
) -> list[Nomination]:
    """Record a council meeting's votes on a list: `votes` maps a nomination id to (yes, no, abstain),
    all with the same members present; each is approved or not by the round's threshold.

    One bad row refuses the whole list (nothing is written), its message naming the nominee."""
    require_manage_awards(actor, round.unit)
    if not votes:
        raise ValidationError("Chưa ghi số phiếu cho đề nghị nào.")
    rows = {
        n.pk: n
        for n in Nomination.objects.select_for_update(of=("self",))
        .filter(round=round, pk__in=votes)
        .select_related("round__unit", "member", "nominee_unit")
    }
    if set(votes) - set(rows):
        raise ValidationError("Có đề nghị không thuộc đợt này.")
    done = []
    for pk in sorted(votes, key=lambda k: (rows[k].unit_path, k)):
        yes, no, abstain = votes[pk]
        _apply_vote(actor=actor, nomination=rows[pk], present=present, yes=yes, no=no, abstain=abstain)
        done.append(rows[pk])
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="votes_list",
        summary=f"Hội đồng biểu quyết {len(done)} đề nghị ({present} thành viên có mặt): "
        f"{sum(n.state == S.APPROVED for n in done)} được duyệt",
    )
    return done

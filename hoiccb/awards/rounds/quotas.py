"""Writes of a round's quotas: a form's quota shared out among the units (largest remainder), and
a unit's share set by hand.

Each service checks the actor's scope again and writes an AwardEvent in the same transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.rounds.models import AwardForm, Quota, QuotaBasis, Recipient, Round, Share
from hoiccb.awards.rounds.selectors import (
    claimant_units,
    eligible_counts,
    held_by_unit,
    latest_scores,
    member_counts,
    seats_held,
)
from hoiccb.awards.rounds.shareout import Claimant, ShareOutError, explain, round3
from hoiccb.org.audit import record
from hoiccb.org.models import Unit


def _previous_shares(quota: Quota | None) -> dict[int, Share]:
    return {s.unit_id: s for s in quota.shares.all()} if quota is not None else {}


def _total_for(basis: str, value: int, counts: dict[int, int], units: list[Unit], form: AwardForm) -> int:
    """The seats a quota gives: a number, or a percentage of members or units (never above 100 %)."""
    if basis == QuotaBasis.NUMBER:
        return value
    if value > 100:
        raise ValidationError("Tỷ lệ không vượt quá 100 %.")
    if basis == QuotaBasis.PERCENT_MEMBERS:
        return sum(counts.values()) * value // 100
    return len(units) * value // 100


@transaction.atomic
def quota_set(
    *, actor: User, round: Round, form: AwardForm, basis: str, value: int, keep_adjustments: bool | None = None
) -> Quota:
    """Record the higher level's quota for a form and share it out among the units (largest remainder).

    A quota above the people who may receive the form is refused. Sharing again a quota whose
    shares were adjusted by hand needs `keep_adjustments`: True keeps the adjusted amounts (if they
    still fit the quota), False drops them.
    """
    require_manage_awards(actor, round.unit)
    units = claimant_units(round)
    counts = member_counts(units)
    total = _total_for(basis, value, counts, units, form)
    weights = counts if basis != QuotaBasis.PERCENT_UNITS else {u.pk: 1 for u in units}
    caps = eligible_counts(round, form, units)
    if total > sum(caps.values()):
        who = "tập thể" if form.recipient == Recipient.COLLECTIVE else "hội viên"
        most = f"{sum(caps.values()):,}".replace(",", ".")
        raise ValidationError(
            f"Chỉ tiêu {total:,} suất {form.name} vượt số {who} đủ điều kiện nhận của các đơn vị ".replace(",", ".")
            + f"({most}, theo quy tắc của hình thức): nhập nhiều nhất {most}."
        )
    scores = latest_scores(round, units)
    claimants = [
        Claimant(
            key=u.pk, weight=weights[u.pk], rating=scores[u.pk], group=u.group.name if u.group else "", label=u.name
        )
        for u in units
    ]
    try:
        result = explain(total, claimants, minimum=round.unit_minimum, group_minimum=round.group_minimum, caps=caps)
    except ShareOutError as exc:
        raise ValidationError(str(exc)) from None
    shares = result.units
    old_quota = Quota.objects.select_for_update().filter(round=round, form=form).first()
    before = _previous_shares(old_quota)
    adjusted = {k: s for k, s in before.items() if s.amount != s.computed or s.adjusted_reason}
    if adjusted and keep_adjustments is None:
        names = ", ".join(f"{s.unit} ({s.computed} → {s.amount})" for s in list(adjusted.values())[:5])
        raise ValidationError(
            f"Có {len(adjusted)} đơn vị đã điều chỉnh tay: {names}. Chọn «Giữ điều chỉnh tay» hoặc "
            "«Bỏ điều chỉnh, tính lại tất cả» rồi bấm Phân bổ lại."
        )
    kept = {k: s for k, s in adjusted.items() if k in shares} if keep_adjustments else {}
    amounts = {u.pk: (kept[u.pk].amount if u.pk in kept else shares[u.pk].amount) for u in units}
    if sum(amounts.values()) > total:
        raise ValidationError(
            f"Giữ điều chỉnh tay thì tổng là {sum(amounts.values())} suất, vượt chỉ tiêu {total}: "
            "chọn «Bỏ điều chỉnh, tính lại tất cả» hoặc giảm điều chỉnh trước."
        )
    held = held_by_unit(round, form)
    short = [u for u in units if held.get(u.pk, 0) > amounts[u.pk]]
    if short:
        names = "; ".join(f"{u.name} đã dùng {held[u.pk]}, chỉ còn được {amounts[u.pk]}" for u in short[:5])
        raise ValidationError(
            f"Không phân bổ lại được: {names}. Trả lại hoặc không duyệt bớt đề nghị trước, rồi phân bổ lại."
        )
    old_total = old_quota.total if old_quota is not None else None
    quota, _ = Quota.objects.update_or_create(
        round=round,
        form=form,
        defaults={"basis": basis, "value": value, "total": total, "groups": [_group_row(g) for g in result.groups]},
    )
    quota.shares.all().delete()
    Share.objects.bulk_create(
        Share(
            quota=quota,
            unit=u,
            unit_path=u.path,
            weight=weights[u.pk],
            exact=round3(shares[u.pk].exact),
            whole=shares[u.pk].whole,
            remainder=round3(shares[u.pk].remainder),
            got_extra=shares[u.pk].extra,
            computed=shares[u.pk].amount,
            amount=amounts[u.pk],
            reason=shares[u.pk].reason,
            adjusted_reason=kept[u.pk].adjusted_reason if u.pk in kept else "",
            warning=_alabama(old_total, total, before.get(u.pk), shares[u.pk].amount),
        )
        for u in units
    )
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="quota_set",
        summary=f"Chỉ tiêu {form}: {total} suất cho {len(units)} đơn vị",
        changes={"basis": basis, "value": value, "giữ điều chỉnh tay": [str(s.unit) for s in kept.values()]},
    )
    return quota


def _group_row(g) -> dict:
    """A group of the share-out's first stage, as the explanation page reads it (JSON)."""
    return {
        "name": g.label,
        "weight": g.weight,
        "rating": g.rating,
        "exact": str(round3(g.exact)),
        "whole": g.whole,
        "remainder": str(round3(g.remainder)),
        "amount": g.amount,
        "extra": g.extra,
        "reason": g.reason,
    }


def _alabama(old_total: int | None, total: int, before: Share | None, computed: int) -> str:
    """The warning a unit reads when a larger quota gave it fewer seats (the Alabama paradox)."""
    if old_total is None or before is None or total <= old_total or computed >= before.computed:
        return ""
    return (
        f"Chỉ tiêu tăng từ {old_total} lên {total} suất nhưng đơn vị giảm từ {before.computed} xuống {computed} suất: "
        "đây là «nghịch lý Alabama» của phương pháp số dư lớn nhất (các đơn vị khác có phần dư tăng nhanh hơn)."
    )


@transaction.atomic
def share_adjust(*, actor: User, share: Share, amount: int, reason: str) -> Share:
    """Set a unit's seats by hand; the round's shares of the form never add up to more than the quota."""
    require_manage_awards(actor, share.quota.round.unit)
    if not reason.strip():
        raise ValidationError("Ghi lý do điều chỉnh.")
    # Lock the quota's shares so two adjustments at once cannot both pass the total check.
    others = list(Share.objects.select_for_update().filter(quota=share.quota).exclude(pk=share.pk))
    share = Share.objects.select_related("quota__round", "quota__form", "unit").get(pk=share.pk)
    used = seats_held(share.quota.round, share.quota.form, share.unit)
    if amount < used:
        raise ValidationError(f"Đơn vị đã dùng {used} suất, không thể giảm xuống {amount}.")
    given = sum(s.amount for s in others) + amount
    if given > share.quota.total:
        free = share.quota.total - sum(s.amount for s in others)
        raise ValidationError(
            f"Điều chỉnh thì tổng là {given} suất, vượt chỉ tiêu {share.quota.total}: đơn vị này được nhiều nhất "
            f"{free} suất; muốn thêm, hãy giảm suất của đơn vị khác trước."
        )
    before = share.amount
    share.amount = amount
    share.adjusted_reason = reason.strip()[:255]
    share.save(update_fields=["amount", "adjusted_reason"])
    record(
        AwardEvent,
        actor=actor,
        unit=share.unit,
        action="share_adjust",
        summary=f"Điều chỉnh suất {share.quota.form} của {share.unit}: {before} → {amount}",
        changes={"Lý do": reason},
    )
    return share

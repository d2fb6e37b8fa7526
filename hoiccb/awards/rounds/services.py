"""Writes of rounds: quotas and their share-out, nominations and their steps, council votes, decisions.

Each service checks the actor's scope again, validates with full_clean(), and writes an
audit row (AwardEvent or NominationEvent) in the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds import rules
from hoiccb.awards.rounds.models import (
    HOLDING_STATES,
    AwardForm,
    Decision,
    DecisionKind,
    Nomination,
    NominationAction,
    NominationEvent,
    NominationState,
    Quota,
    QuotaBasis,
    Recipient,
    Round,
    Share,
)
from hoiccb.awards.rounds.selectors import (
    claimant_units,
    eligible_counts,
    held_by_unit,
    latest_scores,
    member_counts,
    seats,
    seats_held,
)
from hoiccb.awards.rounds.shareout import Claimant, ShareOutError, explain, round3
from hoiccb.lib.files import DOCUMENT_MAX_BYTES, guard_upload
from hoiccb.lib.text import clean_text
from hoiccb.org.audit import record
from hoiccb.org.models import Unit

S = NominationState
# Who may move a nomination from one state to the next: "unit" (the nominating unit) or "round" (the organiser).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "unit",
    (S.RETURNED, S.SUBMITTED): "unit",
    (S.SUBMITTED, S.REVIEW): "round",
    (S.SUBMITTED, S.RETURNED): "round",
    (S.REVIEW, S.RETURNED): "round",
    (S.APPROVED, S.UPWARD): "round",
    (S.DRAFT, S.WITHDRAWN): "unit",
    (S.RETURNED, S.WITHDRAWN): "unit",
}


# --- Rounds, quotas and the share-out ---------------------------------------------------


@transaction.atomic
def round_create(*, actor: User, unit: Unit, **fields) -> Round:
    require_manage_awards(actor, unit)
    rnd = Round(unit=unit, **fields)
    rnd.full_clean()
    rnd.save()
    record(AwardEvent, actor=actor, unit=unit, action="round_create", summary=f"Mở đợt khen thưởng {rnd}")
    return rnd


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


# --- Nominations and votes ---------------------------------------------------------------


def _event(nomination: Nomination, actor: User, action: NominationAction, before: str, note: str = "") -> None:
    """Write the nomination's step from `before` to its current state, `note` saying why."""
    record(
        NominationEvent,
        actor=actor,
        action=action,
        summary=note,
        nomination=nomination,
        from_state=before,
        to_state=nomination.state,
    )


def _require_free_seat(round: Round, form: AwardForm, unit: Unit) -> None:
    """Refuse when the unit's nominations holding a seat already fill its share."""
    # Lock the unit's share so two nominations at once cannot both take the last seat.
    Share.objects.select_for_update().filter(quota__round=round, quota__form=form, unit=unit).first()
    share, used = seats(round, form, unit)
    if share == 0:
        raise ValidationError(f"Đơn vị chưa được giao suất {form.name} trong đợt này.")
    if used >= share:
        raise ValidationError(f"Vượt chỉ tiêu: đơn vị được {share} suất {form.name} và đã dùng {used}.")


NOMINATION_ATTACHMENT_KINDS = frozenset({"pdf", "docx"})


def _checked_attachment(upload):
    """The upload checked by content (lib.files), its refusal under the attachment field."""
    try:
        checked = guard_upload(
            upload, accept=NOMINATION_ATTACHMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES, what="tệp PDF hoặc Word (.docx)"
        )
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from None
    return checked.file


@transaction.atomic
def nominate(
    *,
    actor: User,
    round: Round,
    form: AwardForm,
    unit: Unit,
    summary: str,
    member=None,
    nominee_unit=None,
    attachment=None,
) -> Nomination:
    if not (scoping.can(actor, "nominate") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    if member is not None and not member.unit_path.startswith(unit.path):
        raise ValidationError("Hội viên không thuộc đơn vị đề nghị.")
    if nominee_unit is not None and not nominee_unit.is_within(unit):
        raise ValidationError("Tập thể không thuộc đơn vị đề nghị.")
    if round.state != "open":
        raise ValidationError("Đợt khen thưởng đã kết thúc.")
    _require_free_seat(round, form, unit)
    reasons = rules.problems(round=round, form=form, member=member, unit=nominee_unit)
    if reasons:
        raise ValidationError(reasons)
    nomination = Nomination(
        round=round, form=form, unit=unit, member=member, nominee_unit=nominee_unit, summary=summary, created_by=actor
    )
    if attachment is not None:
        nomination.attachment = _checked_attachment(attachment)
    nomination.full_clean()
    nomination.save()
    _event(nomination, actor, NominationAction.CREATED, "", "Lập đề nghị")
    return nomination


@transaction.atomic
def transition(*, actor: User, nomination: Nomination, to: str, note: str = "") -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("round__unit", "unit").get(pk=nomination.pk)
    who = TRANSITIONS.get((nomination.state, to))
    if who is None:
        raise ValidationError(f"Không thể chuyển từ «{S(nomination.state).label}» sang «{S(to).label}».")
    owner = nomination.unit if who == "unit" else nomination.round.unit
    capability = "nominate" if who == "unit" else "manage_awards"
    if not (scoping.can(actor, capability) and scoping.unit_in_scope(actor, owner)):
        raise PermissionDenied("Bạn không có quyền chuyển trạng thái này.")
    if to == S.RETURNED and not note.strip():
        raise ValidationError("Ghi lý do trả lại.")
    if to in HOLDING_STATES and nomination.state not in HOLDING_STATES:
        # A returned nomination gave its seat back; the unit may have used it since.
        _require_free_seat(nomination.round, nomination.form, nomination.unit)
    before = nomination.state
    nomination.state = to
    nomination.save(update_fields=["state"])
    _event(nomination, actor, NominationAction.MOVED, before, note)
    return nomination


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
    _event(
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


@transaction.atomic
def nomination_edit(
    *, actor: User, nomination: Nomination, summary: str, attachment=None, drop_attachment: bool = False
) -> Nomination:
    """Mend a draft or a returned nomination (its summary, its file) before sending it (again)."""
    nomination = Nomination.objects.select_for_update().select_related("unit").get(pk=nomination.pk)
    if not (scoping.can(actor, "nominate") and scoping.unit_in_scope(actor, nomination.unit)):
        raise PermissionDenied("Đề nghị nằm ngoài phạm vi của bạn.")
    if nomination.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            f"Chỉ sửa được đề nghị còn nháp hoặc bị trả lại (đề nghị này: «{nomination.get_state_display()}»)."
        )
    summary = clean_text(summary, multiline=True)
    if not summary:
        raise ValidationError({"summary": "Ghi tóm tắt thành tích."})
    changed = ["tóm tắt thành tích"] if summary != nomination.summary else []
    nomination.summary = summary
    if attachment is not None:
        nomination.attachment = _checked_attachment(attachment)
        changed.append("tệp đính kèm")
    elif drop_attachment and nomination.attachment:
        nomination.attachment = ""
        changed.append("bỏ tệp đính kèm")
    nomination.full_clean()
    nomination.save(update_fields=["summary", "attachment"])
    _event(nomination, actor, NominationAction.EDITED, nomination.state, "Sửa " + (", ".join(changed) or "(không đổi)"))
    return nomination


# --- Decisions -------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(
    *, actor: User, round: Round, form: AwardForm, issued_on: datetime.date, signer: str, place: str = "Yên Bái"
) -> Decision:
    """Number a decision for the approved nominations of a form, and write the award history."""
    require_manage_awards(actor, round.unit)
    approved = list(
        Nomination.objects.select_for_update().filter(round=round, form=form, state=S.APPROVED, decision__isnull=True)
    )
    if not approved:
        raise ValidationError(f"Chưa có đề nghị {form.name} nào được duyệt mà chưa có quyết định.")
    if form.level != "khoi" and round.unit.kind.code == "khoi":
        raise ValidationError(f"{form.name} do cấp trên khen thưởng: hãy lập hồ sơ đề nghị cấp trên.")
    if not signer.strip():
        raise ValidationError("Ghi người ký.")
    year = issued_on.year
    last = Decision.objects.select_for_update().filter(unit=round.unit, year=year).aggregate(m=Max("seq"))["m"] or 0
    decision = Decision(
        round=round,
        form=form,
        unit=round.unit,
        year=year,
        seq=last + 1,
        issued_on=issued_on,
        signer=signer.strip(),
        place=place,
        created_by=actor,
    )
    decision.full_clean()
    decision.save()
    Nomination.objects.filter(pk__in=[n.pk for n in approved]).update(decision=decision)
    AwardRecord.objects.bulk_create(
        AwardRecord(
            form=form,
            member=n.member,
            unit=n.nominee_unit,
            unit_path=n.nominee_path,
            year=year,
            achievement=round.name[:255],
            decision=decision,
            decision_text=decision.number,
        )
        for n in Nomination.objects.filter(decision=decision).select_related("member", "nominee_unit")
    )
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="decision_issue",
        summary=f"Ban hành {decision} ({len(approved)} người, tập thể)",
    )
    return decision


@transaction.atomic
def decision_amend(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    issued_on: datetime.date,
    signer: str,
    content: str,
    place: str = "Yên Bái",
) -> Decision:
    """Issue a new decision that corrects or revokes `decision` (which stays as it was); returns the new one.

    A revocation takes the awards the decision gave out of the award history (the audit entry
    lists them); a correction notes the correcting decision on each of them.
    """
    original = Decision.objects.select_for_update().select_related("unit", "form").get(pk=decision.pk)
    require_manage_awards(actor, original.unit)
    if kind not in (DecisionKind.CORRECT, DecisionKind.REVOKE):
        raise ValidationError("Chọn đính chính hoặc thu hồi.")
    if original.kind != DecisionKind.AWARD:
        raise ValidationError("Chỉ đính chính hoặc thu hồi một quyết định khen thưởng.")
    if original.amendments.filter(kind=DecisionKind.REVOKE).exists():
        raise ValidationError(f"{original} đã bị thu hồi.")
    content = clean_text(content, multiline=True)
    if not content:
        raise ValidationError({"content": "Ghi nội dung đính chính hoặc lý do thu hồi."})
    signer = clean_text(signer)
    if not signer:
        raise ValidationError({"signer": "Ghi người ký."})
    if issued_on < original.issued_on:
        raise ValidationError({"issued_on": f"Ngày ký phải từ ngày {original.issued_on:%d/%m/%Y} trở đi."})
    year = issued_on.year
    last = Decision.objects.select_for_update().filter(unit=original.unit, year=year).aggregate(m=Max("seq"))["m"] or 0
    amendment = Decision(
        round=original.round,
        form=original.form,
        unit=original.unit,
        kind=kind,
        amends=original,
        content=content,
        year=year,
        seq=last + 1,
        issued_on=issued_on,
        signer=signer,
        place=clean_text(place) or original.place,
        created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    records = AwardRecord.objects.filter(decision=original).select_related("member", "unit")
    names = [str(r.member.full_name if r.member is not None else r.unit) for r in records]
    if kind == DecisionKind.REVOKE:
        records.delete()
        verb = "Thu hồi"
    else:
        AwardRecord.objects.filter(decision=original).update(
            decision_text=f"{original.number}, đính chính theo {amendment.number}"[:100]
        )
        verb = "Đính chính"
    record(
        AwardEvent,
        actor=actor,
        unit=original.unit,
        action=f"decision_{kind}",
        summary=f"{verb} {original} bằng {amendment}",
        changes={"decision": original.pk, "amendment": amendment.pk, "content": content, "recipients": names},
    )
    return amendment

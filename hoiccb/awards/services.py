"""Writes of the awards app: movements, ratings, rounds and quotas, nominations, votes, decisions.

Each service checks the actor's scope again, validates with full_clean(), and writes an
audit row (AwardEvent or NominationEvent) in the same transaction.
"""

import datetime
import os
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Value
from django.db.models.functions import Concat, Substr

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards import rules
from hoiccb.awards.models import (
    HOLDING_STATES,
    AwardEvent,
    AwardForm,
    AwardImport,
    AwardRecord,
    Decision,
    MemberRating,
    Movement,
    Nomination,
    NominationEvent,
    NominationState,
    Quota,
    QuotaBasis,
    RatingBand,
    Registration,
    Round,
    Share,
    UnitRating,
)
from hoiccb.awards.shareout import Claimant, ShareOutError, share_out
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit, UnitStatus
from hoiccb.org.paths import STEP_LENGTH, subtree_filter

S = NominationState
# Who may move a nomination from one state to the next: "unit" (the nominating unit) or "round" (the organiser).
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): "unit",
    (S.RETURNED, S.SUBMITTED): "unit",
    (S.SUBMITTED, S.REVIEW): "round",
    (S.SUBMITTED, S.RETURNED): "round",
    (S.REVIEW, S.RETURNED): "round",
    (S.APPROVED, S.UPWARD): "round",
}


def repath_copies(old_prefix: str, new_prefix: str) -> None:
    cut = len(old_prefix) + 1
    copies = (Movement, UnitRating, MemberRating, AwardRecord, Round, Share, Nomination, Decision)
    for model in (*copies, Registration, AwardImport):
        model.objects.filter(**subtree_filter("unit_path", old_prefix)).update(
            unit_path=Concat(Value(new_prefix), Substr("unit_path", cut))
        )


def _check(actor: User, unit: Unit) -> None:
    if not (scoping.can(actor, "manage_awards") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")


def _log(actor, unit, action, summary, changes=None) -> None:
    AwardEvent.objects.create(actor=actor, unit=unit, action=action, summary=summary[:255], changes=changes or {})


# --- Movements and ratings ------------------------------------------------------------


@transaction.atomic
def movement_create(*, actor: User, unit: Unit, bands: list[tuple[str, Decimal]] = (), **fields) -> Movement:
    _check(actor, unit)
    movement = Movement(unit=unit, **fields)
    movement.full_clean()
    movement.save()
    for name, min_score in bands:
        RatingBand.objects.create(movement=movement, name=name, min_score=min_score)
    _log(actor, unit, "movement_create", f"Phát động phong trào {movement}")
    return movement


def parse_bands(text: str) -> list[tuple[str, Decimal]]:
    """Read bands typed one a line as "81: Trong sạch vững mạnh xuất sắc"."""
    bands = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        score, sep, name = line.partition(":")
        try:
            value = Decimal(score.strip().replace(",", "."))
        except ArithmeticError:
            value = None
        if not sep or not name.strip() or value is None:
            raise ValidationError(f"Dòng {number}: viết «điểm tối thiểu: tên xếp loại», ví dụ «81: Xuất sắc».")
        bands.append((name.strip(), value))
    return bands


@transaction.atomic
def unit_ratings_save(*, actor: User, movement: Movement, year: int, scores: dict[Unit, Decimal | None]) -> int:
    """Record a year's score sheet for units; the band is computed from the movement's cut-offs."""
    if year not in movement.years:
        raise ValidationError(f"Năm {year} nằm ngoài kỳ của phong trào.")
    saved = 0
    for unit, score in scores.items():
        _check(actor, unit)
        if score is None:
            UnitRating.objects.filter(movement=movement, unit=unit, year=year).delete()
            continue
        if score < 0 or score > movement.max_score:
            raise ValidationError(f"{unit}: điểm phải từ 0 đến {movement.max_score}.")
        band = movement.band_for(score)
        UnitRating.objects.update_or_create(
            movement=movement, unit=unit, year=year, defaults={"score": score, "band_name": band.name if band else ""}
        )
        saved += 1
    _log(actor, movement.unit, "unit_ratings", f"Chấm điểm {saved} đơn vị năm {year}")
    return saved


@transaction.atomic
def member_ratings_save(*, actor: User, movement: Movement, unit: Unit, year: int, exemplary_ids: set[int]) -> int:
    """Rate every active member of `unit` for a year: those ticked are CCB gương mẫu, the others not."""
    _check(actor, unit)
    if year not in movement.years:
        raise ValidationError(f"Năm {year} nằm ngoài kỳ của phong trào.")
    people = list(Member.objects.filter(unit=unit, status=MemberStatus.ACTIVE))
    MemberRating.objects.filter(movement=movement, year=year, member__in=people).delete()
    MemberRating.objects.bulk_create(
        MemberRating(movement=movement, member=m, year=year, unit_path=m.unit_path, exemplary=m.pk in exemplary_ids)
        for m in people
    )
    _log(actor, unit, "member_ratings", f"Bình xét {len(people)} hội viên năm {year}")
    return len(people)


@transaction.atomic
def award_record_add(*, actor: User, form: AwardForm, year: int, member=None, unit=None, **fields) -> AwardRecord:
    """Enter an award received before the system existed."""
    _check(actor, member.unit if member else unit)
    record = AwardRecord(form=form, year=year, member=member, unit=unit, **fields)
    record.unit_path = member.unit_path if member else unit.path
    record.full_clean()
    record.save()
    _log(
        actor,
        member.unit if member else unit,
        "record_add",
        f"Nhập khen thưởng {form} năm {year} cho {record.recipient_name}",
    )
    return record


# --- Rounds, quotas and the share-out ---------------------------------------------------


def claimant_units(round: Round) -> list[Unit]:
    """The units directly below the round's organiser (a bloc's grassroots associations) share its quotas."""
    return list(round.unit.children.filter(status=UnitStatus.ACTIVE).select_related("group").order_by("path"))


def member_counts(units: list[Unit]) -> dict[int, int]:
    """Active members of each unit's subtree (its branches included), in one grouped query."""
    counts = {u.pk: 0 for u in units}
    by_path = {u.path: u.pk for u in units}
    if not units:
        return counts
    # The deepest unit above them all (units of several blocs: their province).
    common = os.path.commonprefix([u.path[:-STEP_LENGTH] for u in units])
    common = common[: len(common) - len(common) % STEP_LENGTH]
    rows = Member.objects.filter(status=MemberStatus.ACTIVE, **subtree_filter("unit_path", common))
    for path, n in rows.values_list("unit_path").annotate(n=Count("id")).values_list("unit_path", "n"):
        for end in range(STEP_LENGTH, len(path) + 1, STEP_LENGTH):
            key = by_path.get(path[:end])
            if key is not None:
                counts[key] += n
                break
    return counts


def latest_scores(round: Round, units: list[Unit]) -> dict[int, int]:
    latest = UnitRating.objects.filter(movement=round.movement, unit__in=units).values("unit").annotate(y=Max("year"))
    last_year = {r["unit"]: r["y"] for r in latest}
    scores = {u.pk: 0 for u in units}
    for r in UnitRating.objects.filter(movement=round.movement, unit__in=units).values("unit", "year", "score"):
        if last_year.get(r["unit"]) == r["year"]:
            scores[r["unit"]] = int(r["score"] * 10)
    return scores


@transaction.atomic
def round_create(*, actor: User, unit: Unit, **fields) -> Round:
    _check(actor, unit)
    rnd = Round(unit=unit, **fields)
    rnd.full_clean()
    rnd.save()
    _log(actor, unit, "round_create", f"Mở đợt khen thưởng {rnd}")
    return rnd


def _dec(value) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@transaction.atomic
def quota_set(*, actor: User, round: Round, form: AwardForm, basis: str, value: int) -> Quota:
    """Record the higher level's quota for a form and share it out among the units (largest remainder)."""
    _check(actor, round.unit)
    units = claimant_units(round)
    counts = member_counts(units)
    if basis == QuotaBasis.NUMBER:
        total = value
    elif basis == QuotaBasis.PERCENT_MEMBERS:
        if value > 100:
            raise ValidationError("Tỷ lệ không vượt quá 100 %.")
        total = sum(counts.values()) * value // 100
    else:
        if value > 100:
            raise ValidationError("Tỷ lệ không vượt quá 100 %.")
        total = len(units) * value // 100
    weights = counts if basis != QuotaBasis.PERCENT_UNITS else {u.pk: 1 for u in units}
    scores = latest_scores(round, units)
    claimants = [
        Claimant(key=u.pk, weight=weights[u.pk], rating=scores[u.pk], group=u.group.name if u.group else "")
        for u in units
    ]
    try:
        shares = share_out(total, claimants, minimum=round.unit_minimum, group_minimum=round.group_minimum)
    except ShareOutError as exc:
        raise ValidationError(str(exc)) from None
    held = dict(
        Nomination.objects.filter(round=round, form=form, state__in=HOLDING_STATES)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    short = [u for u in units if held.get(u.pk, 0) > shares[u.pk].amount]
    if short:
        names = "; ".join(f"{u.name} đã dùng {held[u.pk]}, chỉ còn được {shares[u.pk].amount}" for u in short[:5])
        raise ValidationError(
            f"Không phân bổ lại được: {names}. Trả lại hoặc không duyệt bớt đề nghị trước, rồi phân bổ lại."
        )
    quota, _ = Quota.objects.update_or_create(
        round=round, form=form, defaults={"basis": basis, "value": value, "total": total}
    )
    quota.shares.all().delete()
    q4 = Decimal("0.0001")
    Share.objects.bulk_create(
        Share(
            quota=quota,
            unit=u,
            unit_path=u.path,
            weight=weights[u.pk],
            exact=_dec(shares[u.pk].exact).quantize(q4, ROUND_HALF_UP),
            whole=shares[u.pk].whole,
            remainder=_dec(shares[u.pk].remainder).quantize(q4, ROUND_HALF_UP),
            got_extra=shares[u.pk].extra,
            computed=shares[u.pk].amount,
            amount=shares[u.pk].amount,
            reason=shares[u.pk].reason,
        )
        for u in units
    )
    _log(
        actor,
        round.unit,
        "quota_set",
        f"Chỉ tiêu {form}: {total} suất cho {len(units)} đơn vị",
        {"basis": basis, "value": value},
    )
    return quota


@transaction.atomic
def share_adjust(*, actor: User, share: Share, amount: int, reason: str) -> Share:
    _check(actor, share.quota.round.unit)
    if not reason.strip():
        raise ValidationError("Ghi lý do điều chỉnh.")
    used = Nomination.objects.filter(
        round=share.quota.round, form=share.quota.form, unit=share.unit, state__in=HOLDING_STATES
    ).count()
    if amount < used:
        raise ValidationError(f"Đơn vị đã dùng {used} suất, không thể giảm xuống {amount}.")
    before = share.amount
    share.amount = amount
    share.adjusted_reason = reason.strip()[:255]
    share.save()
    _log(
        actor,
        share.unit,
        "share_adjust",
        f"Điều chỉnh suất {share.quota.form} của {share.unit}: {before} → {amount}",
        {"Lý do": reason},
    )
    return share


# --- Nominations and votes ---------------------------------------------------------------


def _event(nomination, actor, before, note=""):
    NominationEvent.objects.create(
        nomination=nomination, actor=actor, from_state=before, to_state=nomination.state, note=note[:255]
    )


def seats(round: Round, form: AwardForm, unit: Unit) -> tuple[int, int]:
    """Return (share, used) of a unit for a form in a round."""
    share = Share.objects.filter(quota__round=round, quota__form=form, unit=unit).first()
    used = Nomination.objects.filter(round=round, form=form, unit=unit, state__in=HOLDING_STATES).count()
    return (share.amount if share else 0), used


def _require_free_seat(round: Round, form: AwardForm, unit: Unit) -> None:
    """Refuse when the unit's nominations holding a seat already fill its share."""
    # Lock the unit's share so two nominations at once cannot both take the last seat.
    Share.objects.select_for_update().filter(quota__round=round, quota__form=form, unit=unit).first()
    share, used = seats(round, form, unit)
    if share == 0:
        raise ValidationError(f"Đơn vị chưa được giao suất {form.name} trong đợt này.")
    if used >= share:
        raise ValidationError(f"Vượt chỉ tiêu: đơn vị được {share} suất {form.name} và đã dùng {used}.")


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
        nomination.attachment = attachment
    nomination.full_clean()
    nomination.save()
    _event(nomination, actor, "", "Lập đề nghị")
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
    _event(nomination, actor, before, note)
    return nomination


def vote_passes(*, present: int, yes: int, threshold: int) -> bool:
    """Approved when the yes votes reach `threshold` % of the members present (strictly above 50 % by default)."""
    if present <= 0:
        return False
    if threshold == 50:
        return yes * 2 > present
    return yes * 100 >= threshold * present


@transaction.atomic
def record_vote(*, actor: User, nomination: Nomination, present: int, yes: int, no: int, abstain: int) -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("round__unit").get(pk=nomination.pk)
    _check(actor, nomination.round.unit)
    if nomination.state != S.REVIEW:
        raise ValidationError("Chỉ biểu quyết đề nghị đang ở bước «Hội đồng xét».")
    if min(present, yes, no, abstain) < 0 or yes + no + abstain > present:
        raise ValidationError("Tổng số phiếu đồng ý, không đồng ý và không biểu quyết không được vượt số có mặt.")
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
    _event(nomination, actor, before, f"Biểu quyết {yes}/{present} đồng ý, {no} không, {abstain} không biểu quyết")
    return nomination


# --- Decisions -------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(
    *, actor: User, round: Round, form: AwardForm, issued_on: datetime.date, signer: str, place: str = "Yên Bái"
) -> Decision:
    """Number a decision for the approved nominations of a form, and write the award history."""
    _check(actor, round.unit)
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
            unit_path=n.member.unit_path if n.member_id else n.nominee_unit.path,
            year=year,
            achievement=round.name[:255],
            decision=decision,
            decision_text=decision.number,
        )
        for n in Nomination.objects.filter(decision=decision).select_related("member", "nominee_unit")
    )
    _log(actor, round.unit, "decision_issue", f"Ban hành {decision} ({len(approved)} người, tập thể)")
    return decision

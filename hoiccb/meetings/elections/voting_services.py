"""Writes of the voting and counting of an election: closing the box, batches of ballots entered one
by one or as a counting team's totals (with double entry), counting a batch, the counting team's
sign-off, and a further round. Each write checks the actor, validates, and leaves a MeetingEvent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.elections import selectors
from hoiccb.meetings.elections.counting import Invalid, Tally, tally_problem
from hoiccb.meetings.elections.models import (
    BallotEntry,
    Batch,
    Election,
    ElectionStatus,
    Round,
    RoundStatus,
    TallyEntry,
)
from hoiccb.meetings.elections.services import log_event, require_status


@transaction.atomic
def voting_close(*, actor: User, round: Round) -> Round:
    """Close the ballot box: counting may start; the delegates checked in are those present."""
    meetings_access.require_manage(actor, round.election.meeting)
    if round.status != RoundStatus.VOTING:
        raise ValidationError("Lần bầu này đã kết thúc bỏ phiếu.")
    present = round.election.meeting.delegates.filter(checked_in_at__isnull=False).count()
    if present == 0:
        raise ValidationError("Chưa có đại biểu nào được điểm danh: chưa thể kết thúc bỏ phiếu.")
    round.status, round.present, round.closed_at = RoundStatus.COUNTING, present, timezone.now()
    round.save(update_fields=["status", "present", "closed_at"])
    log_event(
        actor, round.election, "voting_close", f"lần {round.number}: kết thúc bỏ phiếu, {present} đại biểu có mặt"
    )
    return round


def _require_counting(round: Round) -> None:
    if round.status == RoundStatus.VOTING:
        raise ValidationError("Chưa kết thúc bỏ phiếu: chưa được kiểm phiếu.")
    if round.status == RoundStatus.SIGNED:
        raise ValidationError("Tổ kiểm phiếu đã ký biên bản: kết quả không sửa được nữa.")


@transaction.atomic
def batch_open(*, actor: User, round: Round, tallied: bool = False) -> Batch:
    """Open the next batch: entered ballot by ballot, or (`tallied`) as the team's paper totals."""
    meetings_access.require_manage(actor, round.election.meeting)
    _require_counting(round)
    number = (round.batches.aggregate(n=Max("number"))["n"] or 0) + 1
    return Batch.objects.create(round=round, number=number, tallied=tallied)


def _require_entry(actor: User, batch: Batch, slot: int, *, tallied: bool) -> None:
    """What every entry into a batch needs: the counting open, the batch not counted and of this
    kind, a valid slot, and the two entries by two different counters."""
    round = batch.round
    meetings_access.require_manage(actor, round.election.meeting)
    _require_counting(round)
    if batch.counted_at is not None:
        raise ValidationError("Tập phiếu này đã được tính vào kết quả.")
    if batch.tallied != tallied:
        raise ValidationError(
            "Tập này nhập tổng hợp, không nhập từng phiếu." if batch.tallied else "Tập này nhập từng phiếu."
        )
    if slot not in (1, 2) or (slot == 2 and not round.election.double_entry):
        raise ValidationError("Lần nhập không hợp lệ.")
    entries = batch.tallies if tallied else batch.entries
    other = entries.exclude(slot=slot).values_list("entered_by_id", flat=True).first()
    if other == actor.pk:
        raise ValidationError("Hai lần nhập một tập phiếu phải do hai người kiểm phiếu khác nhau.")


def _require_uncounted(round: Round, ballots: int) -> None:
    """A batch cannot hold more ballots than are still uncounted (those handed out = present)."""
    left = round.present - selectors.round_result(round).cast
    if ballots > left:
        raise ValidationError(
            f"Tập có {ballots} phiếu, nhưng chỉ còn {left} phiếu chưa kiểm "
            f"({round.present} phiếu phát ra, đã tính {round.present - left})."
        )


@transaction.atomic
def ballot_enter(
    *,
    actor: User,
    batch: Batch,
    slot: int,
    serial: int,
    invalid: str = "",
    crossed=(),
) -> BallotEntry:
    """Enter (or correct) one ballot of a batch as one counter read it; returns the entry."""
    round = batch.round
    _require_entry(actor, batch, slot, tallied=False)
    if invalid and invalid not in Invalid.values:
        raise ValidationError("Lý do phiếu không hợp lệ không đúng.")
    names = set(round.candidates.values_list("pk", flat=True))
    crossed_ids = sorted({int(c) for c in crossed})
    if not set(crossed_ids) <= names:
        raise ValidationError("Có tên gạch không thuộc danh sách của lần bầu này.")
    printed = round.election.meeting.delegates.count()
    if invalid != Invalid.NOT_OURS and not 1 <= serial <= printed:
        raise ValidationError(
            f"Số phiếu {serial} không có: phiếu được in số 1 đến {printed}. "
            f"Phiếu lạ thì chọn “{Invalid.NOT_OURS.label}”."
        )
    entry, _ = BallotEntry.objects.update_or_create(
        batch=batch,
        slot=slot,
        serial=serial,
        defaults={"invalid": invalid, "crossed": crossed_ids, "entered_by": actor},
    )
    return entry


@transaction.atomic
def tally_enter(
    *,
    actor: User,
    batch: Batch,
    slot: int,
    ballots: int,
    valid: int,
    invalid: dict[str, int],
    votes: dict[int, int],
) -> TallyEntry:
    """Enter (or correct) a tallied batch's totals as one counter read the team's paper; returns the entry."""
    round = batch.round
    _require_entry(actor, batch, slot, tallied=True)
    tally = Tally(ballots, valid, {r: n for r, n in invalid.items() if n}, {int(c): n for c, n in votes.items()})
    problem = tally_problem(tally, dict(round.candidates.values_list("pk", "full_name")), round.seats)
    if problem:
        raise ValidationError(problem)
    _require_uncounted(round, ballots)
    entry, _ = TallyEntry.objects.update_or_create(
        batch=batch,
        slot=slot,
        defaults={
            "ballots": ballots,
            "valid": valid,
            "invalid": tally.invalid,
            "votes": {str(c): n for c, n in tally.votes.items()},
            "entered_by": actor,
        },
    )
    return entry


@transaction.atomic
def ballot_remove(*, actor: User, entry: BallotEntry) -> None:
    meetings_access.require_manage(actor, entry.batch.round.election.meeting)
    _require_counting(entry.batch.round)
    if entry.batch.counted_at is not None:
        raise ValidationError("Tập phiếu này đã được tính vào kết quả.")
    entry.delete()


@transaction.atomic
def batch_count(*, actor: User, batch: Batch) -> Batch:
    """Take a batch into the count: with double entry only when both entries agree ballot by ballot."""
    round = batch.round
    meetings_access.require_manage(actor, round.election.meeting)
    _require_counting(round)
    if batch.counted_at is not None:
        raise ValidationError("Tập phiếu này đã được tính.")
    if batch.tallied:
        return _tally_count(actor, batch)
    first = batch.entries.filter(slot=1)
    if not first.exists():
        raise ValidationError("Tập phiếu chưa có phiếu nào.")
    if round.election.double_entry:
        if not batch.entries.filter(slot=2).exists():
            raise ValidationError("Người kiểm phiếu thứ hai chưa nhập tập này.")
        differences = selectors.batch_differences(batch)
        if differences:
            serials = ", ".join(str(d.serial) for d in differences)
            raise ValidationError(f"Hai lần nhập khác nhau ở phiếu số {serials}: kiểm tra lại phiếu rồi sửa.")
    counted = BallotEntry.objects.filter(batch__round=round, batch__counted_at__isnull=False, slot=1)
    repeated = sorted(
        set(counted.exclude(invalid=Invalid.NOT_OURS).values_list("serial", flat=True))
        & set(first.exclude(invalid=Invalid.NOT_OURS).values_list("serial", flat=True))
    )
    if repeated:
        raise ValidationError(f"Phiếu số {', '.join(map(str, repeated))} đã được tính ở tập khác.")
    batch.counted_at = timezone.now()
    batch.save(update_fields=["counted_at"])
    log_event(actor, round.election, "batch_count", f"lần {round.number}, tập {batch.number}: {first.count()} phiếu")
    return batch


def _tally_count(actor: User, batch: Batch) -> Batch:
    """batch_count for a tallied batch: the same double-entry rule, line by line of the totals."""
    round = batch.round
    first = batch.tallies.filter(slot=1).first()
    if first is None:
        raise ValidationError("Tập phiếu chưa được nhập.")
    if round.election.double_entry:
        if not batch.tallies.filter(slot=2).exists():
            raise ValidationError("Người kiểm phiếu thứ hai chưa nhập tập này.")
        differences = selectors.tally_differences(batch)
        if differences:
            lines = ", ".join(d.label for d in differences)
            raise ValidationError(f"Hai lần nhập khác nhau ở: {lines}. Kiểm tra lại bảng tổng hợp rồi sửa.")
    _require_uncounted(round, first.ballots)  # another batch may have been counted since
    batch.counted_at = timezone.now()
    batch.save(update_fields=["counted_at"])
    log_event(
        actor,
        round.election,
        "batch_count",
        f"lần {round.number}, tập {batch.number}: {first.ballots} phiếu (tổng hợp)",
    )
    return batch


@transaction.atomic
def round_sign(*, actor: User, round: Round) -> Round:
    """The counting team signs the minutes: the count of the round is frozen."""
    meetings_access.require_manage(actor, round.election.meeting)
    _require_counting(round)
    pending = [
        b.number for b in round.batches.filter(counted_at__isnull=True) if b.entries.exists() or b.tallies.exists()
    ]
    if pending:
        raise ValidationError(f"Còn tập phiếu chưa được tính: {', '.join(map(str, pending))}.")
    result = selectors.round_result(round)
    if result.cast == 0:
        raise ValidationError("Chưa có phiếu nào được tính.")
    if result.cast > round.present:
        raise ValidationError(f"Số phiếu thu về ({result.cast}) nhiều hơn số đại biểu có mặt ({round.present}).")
    round.status, round.signed_at, round.signed_by = RoundStatus.SIGNED, timezone.now(), actor
    round.save(update_fields=["status", "signed_at", "signed_by"])
    log_event(
        actor,
        round.election,
        "round_sign",
        f"lần {round.number}: {result.cast} phiếu, {result.valid} hợp lệ, trúng cử {len(result.elected)}",
    )
    return round


@transaction.atomic
def further_round_open(*, actor: User, election: Election, candidates, seats: int) -> Round:
    """The congress decides to vote again among some of those not yet elected; returns the new round."""
    meetings_access.require_manage(actor, election.meeting)
    require_status(election, ElectionStatus.APPROVED, message="Cuộc bầu đã được xác nhận kết quả.")
    last = election.rounds.order_by("-number").first()
    if last is None or last.status != RoundStatus.SIGNED:
        raise ValidationError("Lần bầu trước chưa kiểm phiếu xong.")
    standing = selectors.election_standing(election)
    chosen = list(candidates)
    if not chosen:
        raise ValidationError("Chọn người để bầu lại.")
    if any(c.pk in standing.elected or c.election_id != election.pk for c in chosen):
        raise ValidationError("Chỉ bầu lại những người chưa trúng cử của cuộc bầu này.")
    if not 1 <= seats <= standing.seats_left:
        raise ValidationError(f"Số lượng bầu thêm phải từ 1 đến {standing.seats_left}.")
    if len(chosen) < seats:
        raise ValidationError("Số người bầu lại phải không ít hơn số lượng cần bầu thêm.")
    voting = Round.objects.create(election=election, number=last.number + 1, seats=seats)
    voting.candidates.set(chosen)
    log_event(actor, election, "round_open", f"bầu lần {voting.number}: {seats} trong {len(chosen)} người")
    return voting

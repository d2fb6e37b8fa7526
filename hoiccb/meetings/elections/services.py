"""Writes of an election, in the order a congress runs it: the list, its approval, the voting,
the counting in batches (double entry), the counting team's sign-off, further rounds, and the
confirmation that makes the elected the unit's officers (and its reversal). Each write checks
the actor, validates, and leaves a MeetingEvent."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import name_sort_key
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.elections import selectors
from hoiccb.meetings.elections.counting import Base, Invalid, Tally, margin_problem, tally_problem
from hoiccb.meetings.elections.models import (
    BallotEntry,
    Batch,
    Candidate,
    ElectedBody,
    Election,
    ElectionStatus,
    Round,
    RoundStatus,
    TallyEntry,
)
from hoiccb.meetings.models import Meeting, MeetingEvent, MeetingKind
from hoiccb.members.models import Member
from hoiccb.members.privacy.access_log import access_record
from hoiccb.org import services as org_services
from hoiccb.org.audit import record
from hoiccb.org.models import OfficerPosition, PositionRole, Term

# The margin of the candidate list over the seats, by default (each election may change it).
LIST_MARGIN_PCT = (10, 30)
# One person to elect (a chairman): the list may have as many names as seats.
SINGLE_MARGIN_PCT = (0, 100)
TERM_YEARS = 5

# Which bodies each kind of meeting elects: the congress its committee and delegates, the new
# committee's first session its standing committee, chairman, deputies and inspection committee.
BODIES_AT: dict[str, set[str]] = {
    MeetingKind.CONGRESS: set(ElectedBody.values),
    MeetingKind.COMMITTEE: {ElectedBody.STANDING, ElectedBody.CHAIR, ElectedBody.VICE_CHAIR, ElectedBody.INSPECTION},
}
ROLE_OF: dict[str, str] = {
    ElectedBody.EXECUTIVE: PositionRole.EXECUTIVE,
    ElectedBody.STANDING: PositionRole.STANDING,
    ElectedBody.CHAIR: PositionRole.CHAIR,
    ElectedBody.VICE_CHAIR: PositionRole.VICE_CHAIR,
    ElectedBody.INSPECTION: PositionRole.INSPECTION_MEMBER,
}


def _log(actor: User, election: Election, action: str, summary: str, **changes) -> None:
    record(
        MeetingEvent,
        actor=actor,
        action=action,
        summary=f"{election}: {summary}",
        changes=changes,
        meeting=election.meeting,
    )


def _require_status(election: Election, *allowed: str, message: str) -> None:
    if election.status not in allowed:
        raise ValidationError(message)


def default_margin(body: str) -> tuple[int, int]:
    return SINGLE_MARGIN_PCT if body in (ElectedBody.CHAIR,) else LIST_MARGIN_PCT


# --- The election and its list -------------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    actor: User,
    meeting: Meeting,
    body: str,
    seats: int,
    min_extra_pct: int | None = None,
    max_extra_pct: int | None = None,
    majority_base: str = Base.VALID,
    double_entry: bool = True,
) -> Election:
    meetings_access.require_manage(actor, meeting)
    if body not in BODIES_AT.get(meeting.kind, set()):
        what = ElectedBody(body).label if body in ElectedBody.values else body
        raise ValidationError({"body": f"{meeting.get_kind_display()} không bầu {what}."})
    low, high = default_margin(body)
    election = Election(
        meeting=meeting,
        unit=meeting.unit,
        body=body,
        seats=seats,
        min_extra_pct=low if min_extra_pct is None else min_extra_pct,
        max_extra_pct=high if max_extra_pct is None else max_extra_pct,
        majority_base=majority_base,
        double_entry=double_entry,
    )
    election.full_clean()
    election.save()
    _log(actor, election, "election_create", f"{seats} người")
    return election


def _profile_position(member: Member) -> str:
    held = OfficerPosition.objects.filter(member=member, end_date__isnull=True).select_related("unit")
    return "; ".join(f"{p.get_role_display()} {p.unit.name}" for p in held)


@transaction.atomic
def candidate_add(*, actor: User, election: Election, member: Member) -> Candidate:
    meetings_access.require_manage(actor, election.meeting)
    _require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua, không thêm được người.")
    if not member.is_active or not member.unit.is_within(election.unit):
        raise ValidationError("Người ứng cử phải là hội viên đang sinh hoạt trong đơn vị.")
    if election.candidates.filter(member=member).exists():
        raise ValidationError(f"{member.full_name} đã có trong danh sách.")
    candidate = Candidate(
        election=election,
        member=member,
        full_name=member.full_name,
        sort_key=name_sort_key(member.ho, member.chu_dem, member.ten),
        birth_year=member.birth_year,
        unit_name=member.unit.name,
        party_member=member.party_member,
        position=_profile_position(member),
    )
    candidate.full_clean(exclude=["sort_key"])
    candidate.save()
    # The profile read out to the congress shows party membership: a sensitive field, so logged.
    access_record(actor=actor, purpose=f"Lý lịch ứng cử viên ({election})", member=member, fields=["party_member"])
    _log(actor, election, "candidate_add", member.full_name)
    return candidate


@transaction.atomic
def candidate_remove(*, actor: User, candidate: Candidate) -> None:
    election = candidate.election
    meetings_access.require_manage(actor, election.meeting)
    _require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua, không bỏ được người.")
    candidate.delete()
    _log(actor, election, "candidate_remove", candidate.full_name)


@transaction.atomic
def list_approve(*, actor: User, election: Election) -> Round:
    """The congress approves the list: the margin is checked and voting opens (round 1); returns the round."""
    meetings_access.require_manage(actor, election.meeting)
    _require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua.")
    candidates = list(election.candidates.all())
    problem = margin_problem(len(candidates), election.seats, election.min_extra_pct, election.max_extra_pct)
    if problem:
        raise ValidationError(problem)
    election.status, election.approved_at = ElectionStatus.APPROVED, timezone.now()
    election.save(update_fields=["status", "approved_at"])
    voting = Round.objects.create(election=election, number=1, seats=election.seats)
    voting.candidates.set(candidates)
    _log(actor, election, "list_approve", f"thông qua danh sách {len(candidates)} người, bầu {election.seats}")
    return voting


# --- Voting and counting -------------------------------------------------------------------------


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
    _log(actor, round.election, "voting_close", f"lần {round.number}: kết thúc bỏ phiếu, {present} đại biểu có mặt")
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
    _log(actor, round.election, "batch_count", f"lần {round.number}, tập {batch.number}: {first.count()} phiếu")
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
    _log(
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
    _log(
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
    _require_status(election, ElectionStatus.APPROVED, message="Cuộc bầu đã được xác nhận kết quả.")
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
    _log(actor, election, "round_open", f"bầu lần {voting.number}: {seats} trong {len(chosen)} người")
    return voting


# --- Into the tree -------------------------------------------------------------------------------


def _require_officers(actor: User, election: Election) -> None:
    # The same right as giving officer positions by hand (org.services.officer_assign).
    if not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, election.unit)):
        raise PermissionDenied("Bạn không có quyền xác nhận kết quả bầu cử vào tổ chức của đơn vị này.")


def congress_date(election: Election) -> datetime.date:
    return timezone.localtime(election.meeting.starts_at).date()


def _term_for(actor: User, election: Election, on: datetime.date) -> tuple[Term, bool]:
    """The term the elected serve in, and whether this confirmation created it: a new committee
    opens the term beginning in the congress's year; the bodies it elects serve in the unit's latest term."""
    if election.body == ElectedBody.EXECUTIVE:
        term = Term.objects.filter(unit=election.unit, start_year=on.year).first()
        if term is not None:
            return term, False
        return org_services.term_create(
            actor=actor, unit=election.unit, start_year=on.year, end_year=on.year + TERM_YEARS
        ), True
    term = Term.objects.filter(unit=election.unit).order_by("-start_year").first()
    if term is None:
        raise ValidationError("Đơn vị chưa có nhiệm kỳ: hãy xác nhận kết quả bầu Ban Chấp hành trước.")
    return term, False


@transaction.atomic
def election_confirm(*, actor: User, election: Election) -> Election:
    """Confirm the result: the elected take their positions from the congress date (a new committee
    opens a new term and ends the positions of the previous terms). Returns the election."""
    _require_officers(actor, election)
    _require_status(election, ElectionStatus.APPROVED, message="Cuộc bầu chưa thông qua danh sách hoặc đã xác nhận.")
    if election.rounds.exclude(status=RoundStatus.SIGNED).exists():
        raise ValidationError("Còn lần bầu chưa được tổ kiểm phiếu ký biên bản.")
    standing = selectors.election_standing(election)
    if not standing.elected:
        raise ValidationError("Chưa có ai trúng cử.")
    on = congress_date(election)
    created: list[int] = []
    ended: list[int] = []
    role = ROLE_OF.get(election.body)  # delegates to the upper congress hold no position
    if role is not None:
        term, term_created = _term_for(actor, election, on)
        if election.body == ElectedBody.EXECUTIVE:
            for position in OfficerPosition.objects.filter(unit=election.unit, end_date__isnull=True).exclude(
                term=term
            ):
                end = max(on - datetime.timedelta(days=1), position.start_date)
                org_services.officer_end(actor=actor, position=position, end_date=end)
                ended.append(position.pk)
        for candidate in Candidate.objects.filter(pk__in=standing.elected).select_related("member__unit"):
            position = org_services.officer_assign(
                actor=actor, unit=election.unit, term=term, member=candidate.member, role=role, start_date=on
            )
            created.append(position.pk)
        election.term, election.term_created = term, term_created
    election.status, election.confirmed_at, election.confirmed_by = ElectionStatus.CONFIRMED, timezone.now(), actor
    election.created_positions, election.ended_positions = created, ended
    election.save()
    _log(
        actor,
        election,
        "election_confirm",
        f"xác nhận {len(standing.elected)} người trúng cử, từ ngày {on:%d/%m/%Y}",
        created=created,
        ended=ended,
    )
    return election


@transaction.atomic
def election_revert(*, actor: User, election: Election, reason: str) -> Election:
    """Undo a confirmation, with the reason: its positions go, the ended ones are held again, a term it
    opened is removed when nothing else stands in it. The count stays as signed."""
    _require_officers(actor, election)
    _require_status(election, ElectionStatus.CONFIRMED, message="Cuộc bầu chưa được xác nhận.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ghi rõ lý do hủy xác nhận."})
    OfficerPosition.objects.filter(pk__in=election.created_positions).delete()
    OfficerPosition.objects.filter(pk__in=election.ended_positions).update(end_date=None)
    if election.term_created and election.term is not None and not election.term.positions.exists():
        election.term.delete()
    undone = {"created": election.created_positions, "ended": election.ended_positions}
    election.status = ElectionStatus.APPROVED
    election.term, election.term_created = None, False
    election.created_positions, election.ended_positions = [], []
    election.confirmed_at, election.confirmed_by = None, None
    election.save()
    _log(actor, election, "election_revert", f"hủy xác nhận: {reason}", reason=reason, **undone)
    return election

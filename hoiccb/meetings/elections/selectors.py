"""Reads of elections: scoped lookups, the comparison of a batch's two entries, each round's
result and the standing of the whole election across its rounds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, QuerySet

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.elections.counting import Ballot, Invalid, Outcome, Result, Tally, count
from hoiccb.meetings.elections.models import BallotEntry, Batch, Candidate, Election, Round, TallyEntry


def elections(user: User) -> QuerySet[Election]:
    """Elections of the meetings the user may see."""
    return Election.objects.filter(meeting__in=meetings_access.meetings(user))


def election_for(user: User, pk: int) -> Election:
    return scoping.get_or_404(elections(user).select_related("meeting__unit", "unit"), pk=pk)


def round_for(user: User, pk: int) -> Round:
    return scoping.get_or_404(Round.objects.filter(election__in=elections(user)).select_related("election"), pk=pk)


def batch_for(user: User, pk: int) -> Batch:
    return scoping.get_or_404(
        Batch.objects.filter(round__election__in=elections(user)).select_related("round__election"), pk=pk
    )


def candidate_for(user: User, pk: int) -> Candidate:
    return scoping.get_or_404(Candidate.objects.filter(election__in=elections(user)).select_related("election"), pk=pk)


def entry_for(user: User, pk: int) -> BallotEntry:
    return scoping.get_or_404(
        BallotEntry.objects.filter(batch__round__election__in=elections(user)).select_related("batch__round"), pk=pk
    )


def ballot_order(round: Round) -> list[Candidate]:
    """The names of a round as printed on its ballot: Vietnamese order (tên, chữ đệm, họ)."""
    return list(round.candidates.order_by("sort_key", "id"))


@dataclass
class Difference:
    serial: int
    first: BallotEntry | None
    second: BallotEntry | None
    first_text: str = ""
    second_text: str = ""


def reading_text(entry: BallotEntry | None, names: dict[int, str]) -> str:
    """How one counter read a ballot, in words: "gạch Lê Văn An, Trần Văn Hải" or why it is invalid."""
    if entry is None:
        return "chưa nhập"
    if entry.invalid:
        return entry.get_invalid_display()
    crossed = [names.get(pk, "?") for pk in entry.crossed]
    return f"gạch {', '.join(crossed)}" if crossed else "không gạch tên nào"


def _reading(entry: BallotEntry | None) -> tuple[str, list[int]] | None:
    return None if entry is None else (entry.invalid, sorted(entry.crossed))


def batch_differences(batch: Batch) -> list[Difference]:
    """Every serial where the two counters' entries of a batch disagree (or one has no entry)."""
    by_slot: dict[int, dict[int, BallotEntry]] = {1: {}, 2: {}}
    for entry in batch.entries.all():
        by_slot[entry.slot][entry.serial] = entry
    serials = sorted(set(by_slot[1]) | set(by_slot[2]))
    return [
        Difference(s, by_slot[1].get(s), by_slot[2].get(s))
        for s in serials
        if _reading(by_slot[1].get(s)) != _reading(by_slot[2].get(s))
    ]


def counted_ballots(round: Round) -> list[Ballot]:
    """The ballots of the round's counted batches, as the first counter entered them (the second agreed)."""
    entries = BallotEntry.objects.filter(batch__round=round, batch__counted_at__isnull=False, slot=1)
    return [Ballot(invalid=e.invalid, crossed=frozenset(e.crossed)) for e in entries]


def tally_of(entry: TallyEntry) -> Tally:
    return Tally(entry.ballots, entry.valid, dict(entry.invalid), {int(c): n for c, n in entry.votes.items()})


def counted_tallies(round: Round) -> list[Tally]:
    """The totals of the round's counted tallied batches, as the first counter entered them."""
    return [tally_of(e) for e in TallyEntry.objects.filter(batch__round=round, batch__counted_at__isnull=False, slot=1)]


@dataclass
class TallyDifference:
    """A line of a tallied batch where the two counters' totals differ (None: not entered)."""

    label: str
    first: int | None
    second: int | None


def tally_differences(batch: Batch) -> list[TallyDifference]:
    """Every line (ballots, valid, each invalid reason, each candidate) where the two entries differ."""
    by_slot = {e.slot: tally_of(e) for e in batch.tallies.all()}
    first, second = by_slot.get(1), by_slot.get(2)
    if first is None and second is None:
        return []
    if first is None or second is None:  # one entry missing: its ballots line says so
        a, b = (None if t is None else t.ballots for t in (first, second))
        return [TallyDifference("Số phiếu của tập", a, b)]
    candidates = ballot_order(batch.round)
    labels = ["Số phiếu của tập", "Số phiếu hợp lệ", *(r.label for r in Invalid), *(c.full_name for c in candidates)]

    def values(t: Tally) -> list[int]:
        return [
            t.ballots,
            t.valid,
            *(t.invalid.get(r.value, 0) for r in Invalid),
            *(t.votes.get(c.pk, 0) for c in candidates),
        ]

    return [
        TallyDifference(label, a, b)
        for label, a, b in zip(labels, values(first), values(second), strict=True)
        if a != b
    ]


def round_result(round: Round) -> Result:
    """The count of one round from its counted batches, ballot by ballot and tallied alike."""
    return count(
        candidates=[c.pk for c in ballot_order(round)],
        seats=round.seats,
        ballots=counted_ballots(round),
        tallies=counted_tallies(round),
        base_kind=round.election.majority_base,
        present=round.present,
    )


@dataclass
class Standing:
    seats: int
    elected: list[int]  # candidate ids, in the order elected
    results: list[tuple[Round, Result]]

    @property
    def seats_left(self) -> int:
        return self.seats - len(self.elected)


def election_standing(election: Election) -> Standing:
    """Who is elected so far: the elected of every signed round."""
    elected: list[int] = []
    results = []
    for voting in election.rounds.all():
        result = round_result(voting)
        results.append((voting, result))
        if voting.status == "signed":
            elected += result.elected
    return Standing(election.seats, elected, results)


def invalid_rows(result: Result) -> list[tuple[str, int]]:
    """(reason label, ballots) for every kind of invalid ballot, in the order of the rules."""
    return [(reason.label, result.invalid.get(reason.value, 0)) for reason in Invalid]


@dataclass
class Row:
    """A candidate's line in a result table."""

    candidate: Candidate
    outcome: Outcome


def ballot_outcomes(round: Round, result: Result) -> list[Row]:
    """The result's lines with their candidates, most votes first."""
    names = {c.pk: c for c in round.candidates.all()}
    return [Row(names[o.candidate], o) for o in result.outcomes]


@dataclass
class BatchLine:
    batch: Batch
    first: int
    second: int
    differences: list[Difference] | list[TallyDifference]


def batch_board(round: Round) -> list[BatchLine]:
    """Each batch of a round with the ballots entered by each counter and where they differ."""
    names = {c.pk: c.full_name for c in round.candidates.all()}
    lines: list[BatchLine] = []
    for batch in round.batches.prefetch_related("entries", "tallies"):
        if batch.tallied:
            ballots = {t.slot: t.ballots for t in batch.tallies.all()}
            lines.append(
                BatchLine(
                    batch,
                    ballots.get(1, 0),
                    ballots.get(2, 0),
                    tally_differences(batch) if round.election.double_entry else [],
                )
            )
            continue
        entries = list(batch.entries.all())
        differences = batch_differences(batch) if round.election.double_entry else []
        for d in differences:
            d.first_text, d.second_text = reading_text(d.first, names), reading_text(d.second, names)
        lines.append(
            BatchLine(
                batch, sum(1 for e in entries if e.slot == 1), sum(1 for e in entries if e.slot == 2), differences
            )
        )
    return lines


def next_serial(round: Round, batch: Batch, slot: int) -> int:
    """The serial a counter most likely enters next: one after the highest of their batch, else
    one after the highest entered in the round."""
    mine = batch.entries.filter(slot=slot).aggregate(n=Max("serial"))["n"]
    if mine is not None:
        return mine + 1
    anywhere = BallotEntry.objects.filter(batch__round=round).exclude(batch=batch).aggregate(n=Max("serial"))["n"]
    return (anywhere or 0) + 1

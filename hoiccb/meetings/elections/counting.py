"""The rules of the count, on plain values: which ballots are valid, who is elected and why.

A voter crosses out the names they do not elect. A ballot is invalid when it is not the
congress's, keeps more names than the number to elect, adds a name, or carries other marks;
a ballot that crosses out every name is valid. A candidate is elected with more than half
of the base (the valid ballots, or the delegates present), ranked by votes until the seats
are filled; a tie at the last seat, or too few elected, leaves seats for a further round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import models


class Invalid(models.TextChoices):
    NOT_OURS = "not_ours", "Không phải phiếu do Đại hội phát hành"
    TOO_MANY = "too_many", "Để lại nhiều hơn số lượng cần bầu"
    ADDED_NAME = "added_name", "Ghi thêm tên người ngoài danh sách"
    OTHER_MARKS = "other_marks", "Có ký hiệu, viết thêm nội dung khác"


class Base(models.TextChoices):
    VALID = "valid", "Số phiếu hợp lệ"
    PRESENT = "present", "Số đại biểu có mặt"


class Verdict(models.TextChoices):
    ELECTED = "elected", "Trúng cử"
    TIED = "tied", "Bằng phiếu ở vị trí cuối: bầu vòng sau"
    SEATS_FULL = "seats_full", "Quá một nửa nhưng ít phiếu hơn, đã đủ số lượng"
    NOT_HALF = "not_half", "Không quá một nửa"


@dataclass(frozen=True)
class Ballot:
    """One ballot as a counter read it: the reason it is invalid ("" when none was seen) and the
    candidates crossed out."""

    invalid: str = ""
    crossed: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Tally:
    """A stack of ballots a counting team counted on paper: how many, how many valid, the invalid by
    reason, and the votes (names kept) per candidate. It counts exactly as its ballots one by one."""

    ballots: int
    valid: int
    invalid: dict[str, int] = field(default_factory=dict)
    votes: dict[int, int] = field(default_factory=dict)


def tally_problem(tally: Tally, names: Mapping[int, str], seats: int) -> str:
    """Why a tally cannot be right ("" when it can): valid and invalid make up the ballots, nobody
    has more votes than the valid ballots, and a valid ballot keeps at most `seats` names.
    `names` are the round's candidates (id → full name)."""
    if tally.ballots < 1:
        return "Số phiếu của tập phải ít nhất là 1."
    if any(n < 0 for n in (tally.valid, *tally.invalid.values(), *tally.votes.values())):
        return "Các số không được âm."
    if unknown := set(tally.invalid) - set(Invalid.values):
        return f"Lý do phiếu không hợp lệ không đúng: {', '.join(sorted(unknown))}."
    if not set(tally.votes) <= set(names):
        return "Có tên không thuộc danh sách của lần bầu này."
    invalid = sum(tally.invalid.values())
    if tally.valid + invalid != tally.ballots:
        return (
            f"Số phiếu hợp lệ ({tally.valid}) cộng số phiếu không hợp lệ ({invalid}) "
            f"phải bằng số phiếu của tập ({tally.ballots})."
        )
    if over := [c for c, n in tally.votes.items() if n > tally.valid]:
        return f"{names[over[0]]} được {tally.votes[over[0]]} phiếu, nhiều hơn số phiếu hợp lệ của tập ({tally.valid})."
    if sum(tally.votes.values()) > tally.valid * seats:
        return (
            f"Tổng số phiếu bầu ({sum(tally.votes.values())}) nhiều hơn mức có thể: "
            f"{tally.valid} phiếu hợp lệ, mỗi phiếu để lại không quá {seats} người."
        )
    return ""


@dataclass
class Outcome:
    candidate: int
    votes: int
    percent: float  # of the base
    verdict: str

    @property
    def elected(self) -> bool:
        return self.verdict == Verdict.ELECTED

    @property
    def verdict_label(self) -> str:
        return Verdict(self.verdict).label


@dataclass
class Result:
    seats: int
    cast: int
    valid: int
    invalid: dict[str, int]  # reason → number of ballots
    base: int
    base_kind: str
    outcomes: list[Outcome] = field(default_factory=list)  # most votes first, then ballot order

    @property
    def base_kind_label(self) -> str:
        return Base(self.base_kind).label

    @property
    def invalid_total(self) -> int:
        return sum(self.invalid.values())

    @property
    def elected(self) -> list[int]:
        return [o.candidate for o in self.outcomes if o.elected]

    @property
    def tied(self) -> list[int]:
        return [o.candidate for o in self.outcomes if o.verdict == Verdict.TIED]

    @property
    def seats_left(self) -> int:
        return self.seats - len(self.elected)


def judge(ballot: Ballot, candidates: Iterable[int], seats: int) -> str:
    """Return why a ballot is invalid ("" when valid): the counter's reason, else too many names kept."""
    if ballot.invalid:
        return ballot.invalid
    names = set(candidates)
    if len(names - ballot.crossed) > seats:
        return Invalid.TOO_MANY
    return ""


def over_half(votes: int, base: int) -> bool:
    """More than half: exactly half is not enough."""
    return votes * 2 > base


def count(
    *,
    candidates: Sequence[int],
    seats: int,
    ballots: Iterable[Ballot],
    tallies: Iterable[Tally] = (),
    base_kind: str = Base.VALID,
    present: int = 0,
) -> Result:
    """Count the ballots of one round; returns the result with every candidate's verdict.

    `candidates` are in ballot order (Vietnamese alphabetical), which also orders equal votes.
    """
    if seats < 1:
        raise ValueError("a round elects at least one")
    votes = dict.fromkeys(candidates, 0)
    invalid: dict[str, int] = {}
    cast = valid = 0
    for ballot in ballots:
        cast += 1
        reason = judge(ballot, candidates, seats)
        if reason:
            invalid[reason] = invalid.get(reason, 0) + 1
            continue
        valid += 1
        for candidate in candidates:
            if candidate not in ballot.crossed:
                votes[candidate] += 1
    for tally in tallies:  # the same sums, counted on paper
        cast += tally.ballots
        valid += tally.valid
        for reason, n in tally.invalid.items():
            if n:
                invalid[reason] = invalid.get(reason, 0) + n
        for candidate, n in tally.votes.items():
            votes[candidate] += n
    base = present if base_kind == Base.PRESENT else valid
    order = {c: i for i, c in enumerate(candidates)}
    ranked = sorted(candidates, key=lambda c: (-votes[c], order[c]))
    qualified = [c for c in ranked if over_half(votes[c], base)]
    verdicts = {c: Verdict.NOT_HALF for c in candidates}
    if len(qualified) <= seats:
        verdicts.update(dict.fromkeys(qualified, Verdict.ELECTED))
    else:
        last = votes[qualified[seats - 1]]
        above = [c for c in qualified if votes[c] > last]
        at_last = [c for c in qualified if votes[c] == last]
        if len(above) + len(at_last) <= seats:  # the tie ends exactly at the last seat
            above += at_last
            at_last = []
        verdicts.update(dict.fromkeys(qualified, Verdict.SEATS_FULL))
        verdicts.update(dict.fromkeys(above, Verdict.ELECTED))
        verdicts.update(dict.fromkeys(at_last, Verdict.TIED))
    outcomes = [Outcome(c, votes[c], round(100 * votes[c] / base, 2) if base else 0.0, verdicts[c]) for c in ranked]
    return Result(seats, cast, valid, invalid, base, base_kind, outcomes)


def margin_extras(seats: int, min_extra_pct: int, max_extra_pct: int) -> tuple[int, int]:
    """The fewest and most names over the seats: the minimum rounds up, the maximum down, but never
    below the minimum (3 seats at 10–30 %: exactly one more name)."""
    fewest = -(-seats * min_extra_pct // 100)
    return fewest, max(seats * max_extra_pct // 100, fewest)


def margin_problem(candidates: int, seats: int, min_extra_pct: int, max_extra_pct: int) -> str:
    """Why a candidate list cannot be approved ("" when it can): the extra names over the seats
    must be at least `min_extra_pct` and at most `max_extra_pct` per cent of the seats."""
    if seats < 1:
        return "Số lượng cần bầu phải ít nhất là 1."
    fewest, most = margin_extras(seats, min_extra_pct, max_extra_pct)
    if candidates < seats + fewest:
        return (
            f"Danh sách có {candidates} người, phải có ít nhất {seats + fewest} người "
            f"(nhiều hơn số cần bầu ít nhất {min_extra_pct}%)."
        )
    if candidates > seats + most:
        return (
            f"Danh sách có {candidates} người, chỉ được nhiều nhất {seats + most} người "
            f"(không quá {max_extra_pct}% số cần bầu)."
        )
    return ""

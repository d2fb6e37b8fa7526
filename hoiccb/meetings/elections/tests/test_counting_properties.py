"""Properties of the count that hold for any ballots (hypothesis), and the margin of the list."""

from hypothesis import given
from hypothesis import strategies as st

from hoiccb.meetings.elections.counting import Ballot, Base, Invalid, count, margin_problem, over_half


@st.composite
def elections(draw):
    names = draw(st.integers(min_value=1, max_value=12))
    candidates = list(range(100, 100 + names))
    seats = draw(st.integers(min_value=1, max_value=names))
    ballot = st.builds(
        Ballot,
        invalid=st.sampled_from(["", "", "", *Invalid.values]),
        crossed=st.frozensets(st.sampled_from(candidates)),
    )
    ballots = draw(st.lists(ballot, max_size=60))
    base_kind = draw(st.sampled_from(Base.values))
    present = draw(st.integers(min_value=len(ballots), max_value=len(ballots) + 10))
    return candidates, seats, ballots, base_kind, present


@given(elections())
def test_every_ballot_is_valid_or_invalid_once(election):
    candidates, seats, ballots, base_kind, present = election
    result = count(candidates=candidates, seats=seats, ballots=ballots, base_kind=base_kind, present=present)
    assert result.valid + result.invalid_total == result.cast == len(ballots)


@given(elections())
def test_no_one_has_more_votes_than_valid_ballots_and_seats_are_never_exceeded(election):
    candidates, seats, ballots, base_kind, present = election
    result = count(candidates=candidates, seats=seats, ballots=ballots, base_kind=base_kind, present=present)
    assert all(0 <= o.votes <= result.valid for o in result.outcomes)
    assert len(result.elected) <= seats
    assert sorted(o.candidate for o in result.outcomes) == candidates


@given(elections())
def test_the_elected_have_more_than_half_and_beat_everyone_left_out(election):
    candidates, seats, ballots, base_kind, present = election
    result = count(candidates=candidates, seats=seats, ballots=ballots, base_kind=base_kind, present=present)
    elected = [o for o in result.outcomes if o.elected]
    others = [o for o in result.outcomes if not o.elected]
    assert all(over_half(o.votes, result.base) for o in elected)
    if elected and others:
        assert min(o.votes for o in elected) > max(o.votes for o in others)
    # Seats stay empty only for a tie at the last seat or too few over half.
    if result.seats_left:
        qualified = [o for o in result.outcomes if over_half(o.votes, result.base)]
        assert result.tied or len(qualified) < seats


def test_keeping_more_names_than_seats_is_invalid_and_crossing_all_is_valid():
    result = count(candidates=[1, 2, 3], seats=2, ballots=[Ballot(), Ballot(crossed=frozenset({1, 2, 3}))])
    assert result.invalid == {Invalid.TOO_MANY: 1} and result.valid == 1
    assert [o.votes for o in result.outcomes] == [0, 0, 0]


def test_exactly_half_is_not_enough_and_the_base_can_be_those_present():
    ballots = [Ballot(crossed=frozenset({2})), Ballot(crossed=frozenset({1}))]
    on_valid = count(candidates=[1, 2], seats=1, ballots=ballots)
    assert on_valid.elected == [] and on_valid.base == 2
    three_of_four = [Ballot(crossed=frozenset({2}))] * 3 + [Ballot(crossed=frozenset({1}))]
    assert count(candidates=[1, 2], seats=1, ballots=three_of_four).elected == [1]
    assert count(candidates=[1, 2], seats=1, ballots=three_of_four, base_kind=Base.PRESENT, present=6).elected == []


def test_margin_of_the_list():
    assert margin_problem(17, 15, 10, 30) == ""
    assert margin_problem(19, 15, 10, 30) == ""
    assert "ít nhất 17 người" in margin_problem(16, 15, 10, 30)
    assert "nhiều nhất 19 người" in margin_problem(20, 15, 10, 30)
    assert margin_problem(4, 3, 10, 30) == ""  # the maximum is never below the minimum
    assert margin_problem(1, 1, 0, 100) == "" and margin_problem(2, 1, 0, 100) == ""

import random
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hoiccb.awards.rounds.shareout import Claimant, ShareOutError, largest_remainder, share_out

weights = st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=60)


def make(ws, ratings=None, groups=None):
    return [
        Claimant(key=i + 1, weight=w, rating=(ratings or [0] * len(ws))[i], group=(groups or [""] * len(ws))[i])
        for i, w in enumerate(ws)
    ]


@settings(max_examples=300, deadline=None)
@given(quota=st.integers(min_value=0, max_value=2000), ws=weights, seed=st.integers(0, 10**6))
def test_shares_add_up_and_stay_within_one_of_the_exact_share(quota, ws, seed):
    ratings = random.Random(seed).choices(range(100), k=len(ws))
    result = largest_remainder(quota, make(ws, ratings))
    assert sum(a.amount for a in result.values()) == quota
    total = sum(ws)
    for i, w in enumerate(ws):
        exact = Fraction(quota * w, total) if total else Fraction(quota, len(ws))
        a = result[i + 1]
        assert a.exact == exact
        assert a.amount in (exact.numerator // exact.denominator, -(-exact.numerator // exact.denominator))
        assert abs(a.amount - exact) < 1


@settings(max_examples=200, deadline=None)
@given(quota=st.integers(min_value=0, max_value=500), ws=weights, seed=st.integers(0, 10**6))
def test_result_does_not_depend_on_the_order_units_are_listed_in(quota, ws, seed):
    ratings = random.Random(seed).choices(range(5), k=len(ws))
    claimants = make(ws, ratings)
    shuffled = claimants[:]
    random.Random(seed).shuffle(shuffled)
    a = {k: v.amount for k, v in largest_remainder(quota, claimants).items()}
    b = {k: v.amount for k, v in largest_remainder(quota, shuffled).items()}
    assert a == b


@settings(max_examples=200, deadline=None)
@given(
    ws=st.lists(st.integers(min_value=1, max_value=3000), min_size=2, max_size=40),
    minimum=st.integers(0, 3),
    extra=st.integers(0, 300),
    groups=st.lists(st.sampled_from(["Đảng – đoàn thể", "Doanh nghiệp", "Sự nghiệp"]), min_size=40, max_size=40),
)
def test_minimums_and_groups_still_add_up_exactly(ws, minimum, extra, groups):
    quota = minimum * len(ws) + extra
    claimants = make(ws, groups=groups[: len(ws)])
    try:
        result = share_out(quota, claimants, minimum=minimum)
    except ShareOutError:
        return  # a group too small for its units' minimums is refused with a message
    assert sum(a.amount for a in result.values()) == quota
    assert all(a.amount >= minimum for a in result.values())


def test_worked_example_by_hand():
    # 10 Giấy khen among 3 units of 50, 30 and 20 members... exact 5, 3, 2: no remainders.
    r = largest_remainder(10, make([50, 30, 20]))
    assert [r[k].amount for k in (1, 2, 3)] == [5, 3, 2]
    # 7 among 50/30/20: exact 3.5, 2.1, 1.4 → whole 3, 2, 1 (6); the one left goes to the largest remainder (0.5).
    r = largest_remainder(7, make([50, 30, 20]))
    assert [r[k].amount for k in (1, 2, 3)] == [4, 2, 1]
    assert r[1].extra and not r[2].extra and not r[3].extra
    assert "phần dư 0,500" in r[1].reason and "được thêm 1" in r[1].reason
    assert "hết suất dư" in r[3].reason


def test_equal_remainders_go_to_the_better_rating_then_the_key():
    # 1 seat, two units of equal size: both 0.5; the better-rated one gets it.
    r = largest_remainder(1, make([10, 10], ratings=[70, 85]))
    assert (r[1].amount, r[2].amount) == (0, 1)
    assert "xếp loại" in r[1].reason
    r = largest_remainder(1, make([10, 10], ratings=[80, 80]))
    assert (r[1].amount, r[2].amount) == (1, 0)


def test_minimum_too_large_is_refused_in_vietnamese():
    with pytest.raises(ShareOutError, match="vượt chỉ tiêu"):
        largest_remainder(2, make([10, 10, 10]), minimum=1)


def test_minimum_is_taken_from_the_largest_shares():
    r = largest_remainder(5, make([100, 1, 1]), minimum=1)
    assert [r[k].amount for k in (1, 2, 3)] == [3, 1, 1]


def test_groups_are_balanced_first():
    # Group A has 90 members in one unit, group B 10 members in two units: 10 seats → 9 and 1.
    r = share_out(10, make([90, 5, 5], groups=["A", "B", "B"]))
    assert r[1].amount == 9 and r[2].amount + r[3].amount == 1
    assert "Khối «B» được 1 suất" in r[2].reason


@settings(max_examples=200, deadline=None)
@given(
    quota=st.integers(min_value=0, max_value=1000),
    ws=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=40),
    groups=st.lists(st.sampled_from(["A", "B", "C"]), min_size=40, max_size=40),
)
@example(quota=6, ws=[0, 0, 0], groups=["A", "A", "B"] + ["A"] * 37)  # all units empty: counted equally
def test_with_groups_each_level_is_within_one_of_its_exact_share(quota, ws, groups):
    claimants = make(ws, groups=groups[: len(ws)])
    result = share_out(quota, claimants)
    assert sum(a.amount for a in result.values()) == quota
    total = sum(ws)
    for g in {c.group for c in claimants}:
        members = [c for c in claimants if c.group == g]
        weight = sum(c.weight for c in members)
        got = sum(result[c.key].amount for c in members)
        exact = Fraction(quota * weight, total) if total else Fraction(quota * len(members), len(claimants))
        assert abs(got - exact) < 1  # the group's total: floor or ceiling of its exact share
        for c in members:  # each unit: floor or ceiling of its exact share of its group's seats
            assert abs(result[c.key].amount - result[c.key].exact) < 1

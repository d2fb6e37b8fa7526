"""Share-outs worked by hand: caps, the group stage and its explanation, the pure tie, one rounding.

Every expected figure is worked out in the comments, never computed by the code under test.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template.defaultfilters import floatformat

from hoiccb.awards.rounds.shareout import Claimant, ShareOutError, explain, largest_remainder, round3


def unit(key, weight, rating=0, group="", label=""):
    return Claimant(key=key, weight=weight, rating=rating, group=group, label=label or f"Đơn vị {key}")


def test_a_unit_never_gets_more_seats_than_people_who_may_receive_the_form():
    # 10 seats over 50 / 30 / 20 members: exact 5, 3, 2 (no remainders). Unit 3 has only one
    # eligible member: it keeps 1, and the seat it cannot use goes round the remainder order.
    # All remainders are 0 and no unit is rated, so the larger unit comes first: unit 1 → 6.
    r = largest_remainder(10, [unit(1, 50), unit(2, 30), unit(3, 20)], caps={1: 50, 2: 30, 3: 1})
    assert [r[k].amount for k in (1, 2, 3)] == [6, 3, 1]
    assert "chỉ có 1 người, tập thể đủ điều kiện nên chỉ được 1" in r[3].reason
    assert "được thêm 1" in r[1].reason
    assert sum(a.amount for a in r.values()) == 10


def test_a_quota_above_everyone_eligible_is_refused():
    # 5 seats, 3 + 1 eligible people: impossible, said in numbers.
    with pytest.raises(ShareOutError, match=r"Chỉ tiêu 5 suất vượt số người, tập thể đủ điều kiện nhận \(4\)"):
        largest_remainder(5, [unit(1, 3), unit(2, 2)], caps={1: 3, 2: 1})


def test_group_stage_explains_shares_remainders_and_the_average_rating_tie_break():
    # 9 seats; groups A (units of 25 and 15 members, scores 80 and 70: average 75),
    # B (20 and 20, scores 90 and 80: average 85), C (one unit of 20). 100 members in all.
    # Exact shares 9×40/100 = 3.6, 3.6 and 9×20/100 = 1.8 → whole parts 3, 3, 1 (7): 2 seats left.
    # Remainders 0.6, 0.6, 0.8: C first (0.8), then A and B tie on 0.6 and B's better average wins.
    claimants = [
        unit(1, 25, 800, "A"),
        unit(2, 15, 700, "A"),
        unit(3, 20, 900, "B"),
        unit(4, 20, 800, "B"),
        unit(5, 20, 0, "C"),
    ]
    result = explain(9, claimants)
    groups = {g.label: g for g in result.groups}
    assert [(g.label, g.amount) for g in result.groups] == [("A", 3), ("B", 4), ("C", 2)]
    assert groups["A"].exact == Fraction(18, 5) and groups["A"].whole == 3 and groups["A"].remainder == Fraction(3, 5)
    assert groups["C"].reason == (
        "Tỷ lệ 20/100: suất chính xác 1,800, phần nguyên 1, phần dư 0,800; được thêm 1 vì phần dư xếp thứ 1."
    )
    assert groups["B"].reason == (
        "Tỷ lệ 40/100: suất chính xác 3,600, phần nguyên 3, phần dư 0,600; được thêm 1 vì phần dư xếp thứ 2 "
        "(bằng phần dư của «A», được trước vì xếp loại bình quân cao hơn (85,0 điểm so với 75,0 điểm))."
    )
    assert groups["A"].reason == (
        "Tỷ lệ 40/100: suất chính xác 3,600, phần nguyên 3, phần dư 0,600; phần dư bằng «B» (được suất dư cuối "
        "cùng) nhưng xếp thứ 3: «B» được trước vì xếp loại bình quân cao hơn (85,0 điểm so với 75,0 điểm)."
    )
    # Inside A, 3 seats over 25 / 15: exact 1.875 and 1.125 → 1 and 1, the seat left to 0.875.
    assert (result.units[1].amount, result.units[2].amount) == (2, 1)
    assert result.units[1].reason.startswith("Khối «A» được 3 suất. Tỷ lệ 25/40: suất chính xác 1,875")


def test_group_stage_says_which_groups_paid_for_a_minimum():
    # The same bloc with at least 3 seats a group: C (exact 1.8, whole 1) is raised to 3, which
    # takes the 2 seats left over; A and B keep their whole parts 3 and 3 and are told why.
    claimants = [unit(1, 25, 800, "A"), unit(2, 15, 700, "A"), unit(3, 20, 900, "B"), unit(4, 20, 800, "B")]
    claimants.append(unit(5, 20, 0, "C"))
    result = explain(9, claimants, group_minimum=3)
    groups = {g.label: g for g in result.groups}
    assert [g.amount for g in result.groups] == [3, 3, 3]
    assert "nâng lên mức tối thiểu 3" in groups["C"].reason
    assert "2 suất dư đã dùng để nâng khối khác lên mức tối thiểu" in groups["A"].reason
    assert "2 suất dư đã dùng để nâng khối khác lên mức tối thiểu" in groups["B"].reason
    # 10 seats at least 3 a group: exact 4, 4, 2 → C raised by 1 (11 given), taken back from the
    # group above its floor with the smallest remainder (both 0), then the lower average: A (75 < 85).
    result = explain(10, claimants, group_minimum=3)
    assert [g.amount for g in result.groups] == [3, 4, 3]
    assert "bớt 1 suất để bù mức tối thiểu của khối khác" in result.groups[0].reason
    assert "bớt" not in result.groups[1].reason


def test_a_pure_tie_names_the_last_tie_break_and_the_ratings():
    # One seat, two units of 10 members both scored 80: remainders 0.5 and 0.5, same rating,
    # same size. The last rule decides: the unit entered first (smaller key) gets the seat.
    r = largest_remainder(1, [unit(7, 10, 800, label="Hội CCB Sở Y tế"), unit(3, 10, 800, label="Hội CCB Sở Xây dựng")])
    assert (r[3].amount, r[7].amount) == (1, 0)
    assert "thấp hơn" not in r[7].reason
    assert r[7].reason == (
        "Tỷ lệ 10/20: suất chính xác 0,500, phần nguyên 0, phần dư 0,500; phần dư bằng «Hội CCB Sở Xây dựng» "
        "(được suất dư cuối cùng) nhưng xếp thứ 2: «Hội CCB Sở Xây dựng» được trước vì cùng xếp loại (80,0 điểm) "
        "và cùng số hội viên (10): theo quy tắc cuối cùng, đơn vị được nhập vào hệ thống trước (mã 3 so với 7) "
        "được ưu tiên."
    )
    # Same rating, different sizes: the size decides, and says so.
    r = largest_remainder(1, [unit(1, 10, 800), unit(2, 30, 800)], minimum=0)
    # 1 × 10/40 = 0.25 and 1 × 30/40 = 0.75: not a tie, the larger remainder wins.
    assert (r[1].amount, r[2].amount) == (0, 1) and "hết suất dư" in r[1].reason


def test_the_table_and_the_explanation_round_the_same_way():
    # 419 seats over 1 and 1,999 members: exact 419/2000 = 0.2095 exactly, half up → 0,210
    # (a float prints 0.2095 as 0.209, which is how the two used to disagree).
    r = largest_remainder(419, [unit(1, 1), unit(2, 1999)])
    assert r[1].exact == Fraction(2095, 10000)
    assert round3(r[1].exact) == Decimal("0.210")
    assert "suất chính xác 0,210" in r[1].reason
    assert floatformat(round3(r[1].exact), 3) == "0,210"  # what the table shows from the stored value


def test_alabama_paradox_is_real_for_largest_remainder():
    # 6, 6, 2 members. 10 seats: exact 4.286, 4.286, 1.429 → 4, 4, 1 and the seat left to 0.429: [4, 4, 2].
    # 11 seats: exact 4.714, 4.714, 1.571 → 4, 4, 1 and two seats to the 0.714s: [5, 5, 1].
    ten = largest_remainder(10, [unit(1, 6), unit(2, 6), unit(3, 2)])
    eleven = largest_remainder(11, [unit(1, 6), unit(2, 6), unit(3, 2)])
    assert [ten[k].amount for k in (1, 2, 3)] == [4, 4, 2]
    assert [eleven[k].amount for k in (1, 2, 3)] == [5, 5, 1]

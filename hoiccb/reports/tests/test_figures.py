"""Figures against hand-counted members: joined, died and moved during and after the period."""

import datetime

import pytest

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services as member_services
from hoiccb.reports import figures, rules

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)


@pytest.fixture
def registry(cast, tree):
    k = cast["khoi"]
    a, b, branch = tree["unit_a"], tree["unit_b"], tree["branch_a"]
    people = {
        # In unit A's subtree before the period, staying: 3 (one woman, one party member, one invalid).
        "old_a1": admit(
            k, branch, "Nguyễn Văn Một", birth_date=PartialDate(1950), joined_on=PartialDate(2010), party_member=True
        ),
        "old_a2": admit(
            k, a, "Lê Thị Hai", gender="nu", birth_date=PartialDate(1966), joined_on=PartialDate(2015), kind="cqn"
        ),
        "old_a3": admit(
            k, a, "Phạm Văn Ba", birth_date=PartialDate(1940, 2), joined_on=PartialDate(2012), war_invalid_rate=61
        ),
        # Joined A during the period.
        "new_a": admit(k, a, "Hoàng Văn Bốn", birth_date=PartialDate(1958), joined_on=PartialDate(2024, 3, 2)),
        # Joined A after the period's end: not counted.
        "late_a": admit(k, a, "Vũ Văn Năm", birth_date=PartialDate(1959), joined_on=PartialDate(2024, 8, 1)),
        # Died during the period (A), and after the period (A, still a member at the end).
        "died_in": admit(k, a, "Đỗ Văn Sáu", birth_date=PartialDate(1945), joined_on=PartialDate(2010)),
        "died_after": admit(k, a, "Bùi Văn Bảy", birth_date=PartialDate(1944), joined_on=PartialDate(2010)),
        # Moved A → B during the period: counted in B at the end, once.
        "moved_in": admit(k, a, "Ngô Văn Tám", birth_date=PartialDate(1955), joined_on=PartialDate(2010)),
        # Moved B → A after the period: counted in B at the end (where they were).
        "moved_after": admit(k, b, "Đặng Văn Chín", birth_date=PartialDate(1952), joined_on=PartialDate(2011)),
        "old_b": admit(k, b, "Trịnh Văn Mười", birth_date=PartialDate(1970), joined_on=PartialDate(2011)),
    }
    member_services.member_record_death(actor=k, member=people["died_in"], died_on=PartialDate(2024, 4, 10))
    member_services.member_record_death(actor=k, member=people["died_after"], died_on=PartialDate(2024, 9, 1))
    member_services.member_transfer(actor=k, member=people["moved_in"], to_unit=b, on=datetime.date(2024, 5, 5))
    people["moved_after"].refresh_from_db()
    member_services.member_transfer(actor=k, member=people["moved_after"], to_unit=a, on=datetime.date(2024, 8, 20))
    return people


def test_members_counted_once_in_the_right_unit(tree, registry):
    a, b = tree["unit_a"], tree["unit_b"]
    out = figures.compute([a, b], START, END)
    fa, fb = out[a.pk], out[b.pk]
    # A at 30/6: old_a1, old_a2, old_a3, new_a, died_after = 5
    assert fa["members"] == 5
    assert (fa["ccb"], fa["cqn"]) == (4, 1)
    assert (fa["party"], fa["women"], fa["invalids"]) == (1, 1, 1)
    assert (fa["joined"], fa["died"], fa["moved_out"], fa["moved_in"]) == (1, 1, 1, 0)
    # Ages at 2024: 74, 58, 84, 66, 80 → <60: 1, 60s: 1, 70s: 1, 80+: 2
    assert (fa["age_lt60"], fa["age_60"], fa["age_70"], fa["age_80"]) == (1, 1, 1, 2)
    # B at 30/6: moved_in, moved_after (left after the end), old_b = 3
    assert fb["members"] == 3
    assert (fb["moved_in"], fb["moved_out"], fb["joined"]) == (1, 0, 0)
    assert fa["members"] + fb["members"] == 8


def test_single_unit_matches_the_sibling_computation(tree, registry):
    a = tree["unit_a"]
    assert figures.compute([a], START, END)[a.pk] == figures.compute([a, tree["unit_b"]], START, END)[a.pk]


def test_join_then_move_counts_the_join_where_admitted(cast, tree):
    """Joins A on 10/02 and moves to B on 01/04; another moves A → B on 05/03 and dies in B on 20/05.

    Worked by hand for 01/01–30/06/2024:
      A: 2 at the start (old_a1, old_a2) + 1 joined (new) - 2 moved out (new, old_a2) = 1 (old_a1)
      B: 1 at the start (old_b) + 2 moved in (new, old_a2) - 1 died (old_a2) = 2 (old_b, new)
      both: 3 + 1 joined - 1 died = 3, the moves staying inside.
    """
    k, a, b = cast["khoi"], tree["unit_a"], tree["unit_b"]
    admit(k, a, "Nguyễn Văn Một", joined_on=PartialDate(2010))
    old_a2 = admit(k, a, "Lê Văn Hai", joined_on=PartialDate(2012))
    admit(k, b, "Trịnh Văn Ba", joined_on=PartialDate(2011))
    new = admit(k, a, "Lý Văn Mới", joined_on=PartialDate(2024, 2, 10))
    member_services.member_transfer(actor=k, member=new, to_unit=b, on=datetime.date(2024, 4, 1))
    old_a2 = member_services.member_transfer(actor=k, member=old_a2, to_unit=b, on=datetime.date(2024, 3, 5))
    member_services.member_record_death(actor=k, member=old_a2, died_on=PartialDate(2024, 5, 20))

    out = figures.compute([a, b], START, END)
    keys = ("members_start", "joined", "moved_in", "died", "left", "moved_out", "members")
    assert tuple(out[a.pk][c] for c in keys) == (2, 1, 0, 0, 0, 2, 1)
    assert tuple(out[b.pk][c] for c in keys) == (1, 0, 2, 1, 0, 0, 2)
    both = figures.compute([tree["bloc"]], START, END)[tree["bloc"].pk]
    assert tuple(both[c] for c in keys) == (3, 1, 0, 1, 0, 0, 3)
    # A alone gives the same figures as A among its siblings, and every balance holds.
    assert figures.compute([a], START, END)[a.pk] == out[a.pk]
    for values in (out[a.pk], out[b.pk], both):
        assert [str(v) for v in rules.evaluate(values, rules.builtin_rules())] == []

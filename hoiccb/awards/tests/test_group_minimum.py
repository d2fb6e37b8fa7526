"""Per-group minimums of a round: the share-out honours them or refuses, in Vietnamese."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from hoiccb.awards.models import Quota, Round
from hoiccb.awards.rounds import services
from hoiccb.awards.rounds.shareout import Claimant, ShareOutError, share_out
from hoiccb.org.models import UnitGroup


def claimants(weights_by_group: dict[str, list[int]]) -> list[Claimant]:
    made, key = [], 1
    for group, weights in weights_by_group.items():
        for weight in weights:
            made.append(Claimant(key=key, weight=weight, group=group))
            key += 1
    return made


def test_worked_example_by_hand():
    # 10 seats; group A: one unit of 80 members; group B: units of 15 and 5 members; at least 3 a group.
    # Groups' exact shares 8 and 2: B is raised to 3, and the seat comes back from A (8 → 7).
    # Inside B, 3 seats over 15/5: exact 2.25 and 0.75 → whole 2 and 0, the last seat to the larger remainder.
    r = share_out(10, claimants({"A": [80], "B": [15, 5]}), group_minimum=3)
    assert [r[k].amount for k in (1, 2, 3)] == [7, 2, 1]
    assert "Khối «B» được 3 suất (nâng lên mức tối thiểu 3)" in r[2].reason
    assert r[1].reason.startswith("Khối «A» được 7 suất.")
    # Without the minimum the same quota goes 8 / 2; inside B exact 1.5 and 0.5 tie on the remainder,
    # and the tie goes to the larger unit: 2 and 0, so the small unit only gets a seat thanks to the minimum.
    r = share_out(10, claimants({"A": [80], "B": [15, 5]}))
    assert [r[k].amount for k in (1, 2, 3)] == [8, 2, 0]


def test_a_groups_floor_covers_its_units_minimums():
    # 5 seats, unit minimum 1: group B has three units, so it needs 3 even though its share is 0.5.
    r = share_out(5, claimants({"A": [90], "B": [4, 3, 3]}), minimum=1)
    assert [r[k].amount for k in (1, 2, 3, 4)] == [2, 1, 1, 1]


def test_minimums_the_quota_cannot_honour_are_refused():
    with pytest.raises(ShareOutError, match=r"Chỉ tiêu 5 suất không đủ cho mức tối thiểu .*cần ít nhất 6 suất"):
        share_out(5, claimants({"A": [10], "B": [10], "C": [10]}), group_minimum=2)
    with pytest.raises(ShareOutError, match="cần ít nhất 4 suất"):
        share_out(3, claimants({"A": [90], "B": [4, 3, 3]}), minimum=1)
    with pytest.raises(ShareOutError, match="mỗi khối vượt chỉ tiêu"):
        share_out(1, claimants({"A": [10, 10]}), group_minimum=2)
    # Units without any group: a group minimum means nothing and is not a reason to refuse.
    assert sum(a.amount for a in share_out(1, claimants({"": [10, 10]}), group_minimum=2).values()) == 1


@settings(max_examples=300, deadline=None)
@given(
    ws=st.lists(st.integers(min_value=0, max_value=3000), min_size=1, max_size=40),
    groups=st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=40, max_size=40),
    group_minimum=st.integers(0, 6),
    quota=st.integers(0, 400),
)
def test_every_group_gets_its_minimum_and_shares_add_up(ws, groups, group_minimum, quota):
    made = [Claimant(key=i + 1, weight=w, group=groups[i]) for i, w in enumerate(ws)]
    names = {c.group for c in made}
    try:
        result = share_out(quota, made, group_minimum=group_minimum)
    except ShareOutError:
        # Refused exactly when the quota cannot give every group its minimum.
        assert group_minimum * len(names) > quota
        return
    assert group_minimum * len(names) <= quota
    assert sum(a.amount for a in result.values()) == quota
    for g in names:
        assert sum(result[c.key].amount for c in made if c.group == g) >= group_minimum


@pytest.fixture
def grouped(tree):
    party = UnitGroup.objects.create(code="dang", name="Khối Đảng – đoàn thể")
    business = UnitGroup.objects.create(code="dn", name="Khối doanh nghiệp")
    for unit, group in ((tree["unit_a"], party), (tree["unit_b"], business)):
        unit.group = group
        unit.save()
    return tree


def test_round_form_saves_the_group_minimum_and_the_page_shows_it(login, cast, grouped, movement, people, forms):
    client = login(cast["khoi"])
    data = {
        "movement": movement.pk,
        "name": "Tổng kết 2024",
        "year": 2024,
        "approval_threshold": 50,
        "unit_minimum": 0,
        "group_minimum": 2,
    }
    response = client.post("/thi-dua/dot/moi/", data)
    rnd = Round.objects.get()
    assert response.status_code == 302 and rnd.group_minimum == 2
    page = client.get(f"/thi-dua/dot/{rnd.pk}/").content.decode()
    assert "tối thiểu 2 suất/khối" in page
    # 4 Giấy khen: unit A (3 members) at least 2; unit B has 1 member, so its minimum of 2 is capped at 1.
    client.post(f"/thi-dua/dot/{rnd.pk}/chi-tieu/", {"form": forms["giay-khen-khoi"].pk, "basis": "number", "value": 4})
    shares = {s.unit_id: s.amount for s in Quota.objects.get(round=rnd).shares.all()}
    assert shares == {grouped["unit_a"].pk: 3, grouped["unit_b"].pk: 1}
    # 5 seats for 4 members: refused with a message, nothing changed.
    response = client.post(
        f"/thi-dua/dot/{rnd.pk}/chi-tieu/",
        {"form": forms["giay-khen-khoi"].pk, "basis": "number", "value": 5},
        follow=True,
    )
    assert "vượt số hội viên đủ điều kiện nhận của các đơn vị (4" in response.content.decode()
    assert Quota.objects.get(round=rnd).total == 4
    bad = client.post("/thi-dua/dot/moi/", {**data, "group_minimum": -1}).content.decode()
    assert "invalid-feedback" in bad and Round.objects.count() == 1


def test_quota_service_refuses_in_vietnamese(cast, grouped, movement, forms, people):
    rnd = services.round_create(
        actor=cast["khoi"], unit=grouped["bloc"], movement=movement, name="Đợt", year=2024, group_minimum=1
    )
    with pytest.raises(ValidationError, match="cần ít nhất 2 suất"):
        services.quota_set(actor=cast["khoi"], round=rnd, form=forms["bang-khen-tinh"], basis="number", value=1)

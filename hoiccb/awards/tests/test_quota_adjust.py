"""Quotas against the data: caps by the people who may receive the form, hand adjustments that
never exceed the quota, re-running with or without them, the Alabama warning, the explanation page."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoiccb.awards.history import services as history_services
from hoiccb.awards.models import Quota, Share
from hoiccb.awards.rounds import services
from hoiccb.conftest import admit
from hoiccb.org import services as org_services
from hoiccb.org.models import UnitGroup


def test_a_number_quota_above_the_eligible_members_is_refused(round_, cast, forms, people, tree):
    khoi, form = cast["khoi"], forms["giay-khen-khoi"]
    # 4 members, all rated CCB gương mẫu six years: at most 4 Giấy khen.
    with pytest.raises(ValidationError, match=r"Chỉ tiêu 5 suất .* vượt số hội viên đủ điều kiện .* \(4, "):
        services.quota_set(actor=khoi, round=round_, form=form, basis="number", value=5)
    # The Kỷ niệm chương is once in a life: Hùng (unit A's branch) has it, so 3 may receive it.
    knc = forms["ky-niem-chuong"]
    history_services.award_record_add(actor=khoi, form=knc, year=2019, member=people["hung"])
    with pytest.raises(ValidationError, match=r"\(3, theo quy tắc của hình thức\): nhập nhiều nhất 3"):
        services.quota_set(actor=khoi, round=round_, form=knc, basis="number", value=4)
    # 3 over unit A (3 members, 2 eligible) and B (1): exact 2.25 and 0.75 → 2 and 0, the seat left to B.
    quota = services.quota_set(actor=khoi, round=round_, form=knc, basis="number", value=3)
    shares = {s.unit_id: s.amount for s in quota.shares.all()}
    assert shares == {tree["unit_a"].pk: 2, tree["unit_b"].pk: 1}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["unit_a", "unit_b"]), st.integers(0, 6)), min_size=1, max_size=8))
def test_hand_adjustments_never_exceed_the_quota(round_, cast, tree, steps):
    quota = Quota.objects.get(round=round_)
    for unit, amount in steps:
        share = Share.objects.get(quota=quota, unit=tree[unit])
        others = sum(Share.objects.filter(quota=quota).exclude(pk=share.pk).values_list("amount", flat=True))
        try:
            services.share_adjust(actor=cast["khoi"], share=share, amount=amount, reason="Điều chỉnh thử")
        except ValidationError as exc:
            assert others + amount > quota.total and "vượt chỉ tiêu" in exc.messages[0]
        else:
            assert others + amount <= quota.total
        assert sum(Share.objects.filter(quota=quota).values_list("amount", flat=True)) <= quota.total


def test_sharing_again_asks_whether_to_keep_hand_adjustments(login, round_, cast, tree, forms):
    khoi, form = cast["khoi"], forms["giay-khen-khoi"]
    b = Share.objects.get(quota__round=round_, unit=tree["unit_b"])
    services.share_adjust(actor=khoi, share=b, amount=0, reason="Đơn vị chưa đủ điều kiện")
    client = login(khoi)
    post = {"form": form.pk, "basis": "number", "value": 3}
    page = client.post(f"/thi-dua/dot/{round_.pk}/chi-tieu/", post, follow=True).content.decode()
    assert "Có 1 đơn vị đã điều chỉnh tay: Hội CCB Sở Y tế (1 → 0)" in page
    # Kept: B stays at 0 with its reason, and the page says a seat is not given.
    page = client.post(
        f"/thi-dua/dot/{round_.pk}/chi-tieu/", {**post, "keep_adjustments": "keep"}, follow=True
    ).content.decode()
    b = Share.objects.get(quota__round=round_, unit=tree["unit_b"])
    assert (b.amount, b.computed, b.adjusted_reason) == (0, 1, "Đơn vị chưa đủ điều kiện")
    assert "đã giao 2/3, còn 1 suất chưa giao" in page
    # Dropped: computed again from scratch.
    client.post(f"/thi-dua/dot/{round_.pk}/chi-tieu/", {**post, "keep_adjustments": "reset"})
    b = Share.objects.get(quota__round=round_, unit=tree["unit_b"])
    assert (b.amount, b.adjusted_reason) == (1, "")


@pytest.fixture
def six_six_two(cast, tree, kinds):
    """Unit A with 2 members, B and a third unit C with 6 each."""
    khoi = cast["khoi"]
    unit_c = org_services.unit_create(
        actor=None, parent=tree["bloc"], kind=kinds["co-so"], code="C", name="Hội CCB Sở Xây dựng"
    )
    for unit, n in ((tree["unit_a"], 2), (tree["unit_b"], 6), (unit_c, 6)):
        for i in range(n):
            admit(khoi, unit, f"Nguyễn Văn Số{i}")
    return unit_c


def test_a_unit_that_loses_a_seat_when_the_quota_grows_is_warned(login, cast, tree, movement, forms, six_six_two):
    khoi = cast["khoi"]
    rnd = services.round_create(actor=khoi, unit=tree["bloc"], movement=movement, name="Đợt 2024", year=2024)
    form = forms["giay-khen-khoi"]
    # 10 over 2 / 6 / 6: exact 1.429, 4.286, 4.286 → 1, 4, 4 and the seat left to A (0.429): 2, 4, 4.
    services.quota_set(actor=khoi, round=rnd, form=form, basis="number", value=10)
    a = Share.objects.get(quota__round=rnd, unit=tree["unit_a"])
    assert (a.amount, a.warning) == (2, "")
    # 11: exact 1.571, 4.714, 4.714 → 1, 4, 4 and the two seats left to the 0.714s: 1, 5, 5.
    services.quota_set(actor=khoi, round=rnd, form=form, basis="number", value=11)
    a = Share.objects.get(quota__round=rnd, unit=tree["unit_a"])
    assert a.amount == 1
    assert a.warning.startswith("Chỉ tiêu tăng từ 10 lên 11 suất nhưng đơn vị giảm từ 2 xuống 1 suất")
    assert Share.objects.get(quota__round=rnd, unit=six_six_two).warning == ""
    # The chair of unit A reads it on the explanation page, with the rule text; not unit B's figures.
    page = login(cast["coso1"]).get(f"/thi-dua/dot/{rnd.pk}/giai-thich-phan-bo/").content.decode()
    assert "nghịch lý Alabama" in page and "Hội CCB Sở Tài chính" in page
    assert "Hội CCB Sở Y tế" not in page
    assert "10 suất → 4, 4, 2; 11 suất → 5, 5, 1" in page


def test_explanation_page_shows_the_group_stage(login, cast, tree, movement, forms, six_six_two):
    khoi = cast["khoi"]
    party = UnitGroup.objects.create(code="dang", name="Khối Đảng – đoàn thể")
    business = UnitGroup.objects.create(code="dn", name="Khối doanh nghiệp")
    for unit, group in ((tree["unit_a"], party), (tree["unit_b"], business), (six_six_two, business)):
        unit.group = group
        unit.save()
    rnd = services.round_create(actor=khoi, unit=tree["bloc"], movement=movement, name="Đợt 2024", year=2024)
    # 7 seats: party 2 members, business 12 → exact 1.0 and 6.0: 1 and 6.
    services.quota_set(actor=khoi, round=rnd, form=forms["giay-khen-khoi"], basis="number", value=7)
    assert [(g["name"], g["amount"], g["exact"]) for g in Quota.objects.get(round=rnd).groups] == [
        ("Khối doanh nghiệp", 6, "6.000"),
        ("Khối Đảng – đoàn thể", 1, "1.000"),
    ]
    page = login(khoi).get(f"/thi-dua/dot/{rnd.pk}/giai-thich-phan-bo/").content.decode()
    assert "7 suất chia giữa các khối" in page
    assert "Tỷ lệ 12/14: suất chính xác 6,000, phần nguyên 6, phần dư 0,000; không có phần dư." in page
    # The organiser can look at one unit.
    one = login(khoi).get(f"/thi-dua/dot/{rnd.pk}/giai-thich-phan-bo/?don_vi={tree['unit_a'].pk}").content.decode()
    assert one.count('class="card mb-2 share-why"') == 1

"""The gift form names its beneficiary from the registry (searched) or typed in."""

from hoiccb.activities.models import Gift
from hoiccb.activities.tests.conftest import make_round

GIFT = {"circumstance": "kho_khan", "value": "500000", "form": "tien", "funding_source": "quy_hoi"}


def test_gift_to_a_registered_member_or_to_a_typed_household(cast, tree, act_kinds, members, login):
    round_ = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    client = login(cast["coso1"])
    url = f"/hoat-dong/{round_.pk}/tang-qua/"
    page = client.get(url).content.decode()
    assert "Hội viên được tặng" in page and 'hx-get="/hoi-vien/chon/"' in page
    assert "Nguyễn Văn Hùng" not in page  # no list of members
    rows = client.get(
        "/hoi-vien/chon/", {"member__q": "hung", "unit": tree["unit_a"].pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Nguyễn Văn Hùng" in rows and "Trần Văn Hưng" not in rows  # unit B's namesake is not the chair's
    nothing = client.post(url, GIFT).content.decode()
    assert "Chọn hội viên được tặng hoặc gõ tên người, hộ được tặng." in nothing and not Gift.objects.exists()
    client.post(url, {**GIFT, "member": members["hung"].pk, "address": "Tổ 2"})
    typed = {**GIFT, "beneficiary_name": "Bà Hoàng Thị Lan", "address": "Thôn 3, xã Âu Lâu"}
    client.post(url, typed)
    gifts = {g.beneficiary_name: g.member_id for g in Gift.objects.all()}
    assert gifts == {"Nguyễn Văn Hùng": members["hung"].pk, "Bà Hoàng Thị Lan": None}
    # A sibling unit's member cannot be posted.
    client.post(url, {**GIFT, "member": members["hung_b"].pk, "address": "X"})
    assert Gift.objects.count() == 2

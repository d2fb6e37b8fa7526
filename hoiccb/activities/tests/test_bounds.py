"""Money and counts have bounds in the form, the model and the database; totals never overflow."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hoiccb.activities.models import GIFT_VALUE_MAX, Activity, Gift
from hoiccb.activities.tests.conftest import give, make_round

pytestmark = pytest.mark.django_db

INT64_MAX = 9_223_372_036_854_775_807


def test_a_gift_above_one_billion_dong_is_refused_with_a_message(cast, tree, act_kinds, login):
    round_ = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    with pytest.raises(ValidationError, match=r"tối đa 1\.000\.000\.000 đ"):
        give(cast["coso1"], round_, "Bà Nguyễn Thị Lan", "Tổ 3", GIFT_VALUE_MAX + 1)
    client = login(cast["coso1"])
    data = {
        "beneficiary_name": "Bà Nguyễn Thị Lan",
        "address": "Tổ 3",
        "circumstance": "chinh_sach",
        "form": "tien",
        "funding_source": round_.funding_source,
    }
    for value in (INT64_MAX, GIFT_VALUE_MAX + 1):
        response = client.post(f"/hoat-dong/{round_.pk}/tang-qua/", {**data, "value": value})
        assert response.status_code == 200
        assert "Giá trị một phần quà tối đa 1.000.000.000 đ." in response.content.decode()
    assert not Gift.objects.exists()
    response = client.post(f"/hoat-dong/{round_.pk}/tang-qua/", {**data, "value": GIFT_VALUE_MAX})
    assert response.status_code == 302 and Gift.objects.get().value == GIFT_VALUE_MAX


def test_the_database_refuses_a_gift_or_cost_beyond_the_bounds(cast, tree, act_kinds):
    round_ = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    gift = give(cast["coso1"], round_, "Ông Lê Văn Ba", "Tổ 1", 500_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Gift.objects.filter(pk=gift.pk).update(value=INT64_MAX)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=round_.pk).update(cost=INT64_MAX)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=round_.pk).update(head_count=2_000_000)


def test_totals_of_gifts_at_the_bound_add_up_on_both_pages(cast, tree, act_kinds, login):
    round_ = make_round(cast["khoi"], tree["unit_a"], act_kinds)
    for i in range(12):
        give(cast["khoi"], round_, f"Hộ gia đình số {i}", f"Tổ {i}", GIFT_VALUE_MAX)
    client = login(cast["khoi"])
    response = client.get("/hoat-dong/qua/", {"tu": "01/01/2024", "den": "31/12/2024"})
    assert response.status_code == 200
    assert "12.000.000.000" in response.content.decode()
    assert client.get("/bao-cao/tong-quan/").status_code == 200

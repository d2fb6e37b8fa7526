"""Celebration lists against hand-picked members: birth known by year, by month and year, or in full."""

import pytest
from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.celebrations.selectors import ListKind, entries


@pytest.fixture
def people(cast, tree):
    khoi = cast["khoi"]
    a = tree["unit_a"]
    return {
        # 2025: born 1955 → 70 (year only), 1950-06 → 75 (month and year), 1945-03-02 → 80 (full date).
        "y70": admit(khoi, a, "Trần Văn Bảy Mươi", birth_date=PartialDate(1955)),
        "m75": admit(khoi, a, "Trần Văn Bảy Lăm", birth_date=PartialDate(1950, 6)),
        "d80": admit(khoi, a, "Trần Văn Tám Mươi", birth_date=PartialDate(1945, 3, 2)),
        "71": admit(khoi, a, "Trần Văn Bảy Mốt", birth_date=PartialDate(1954, 3, 9)),
        "102": admit(khoi, tree["branch_a"], "Trần Văn Trăm Hai", birth_date=PartialDate(1923)),
        "other": admit(khoi, tree["unit_b"], "Trần Văn Khác", birth_date=PartialDate(1955)),
        "party50": admit(
            khoi,
            a,
            "Lê Văn Đảng",
            birth_date=PartialDate(1952, 3),
            party_member=True,
            party_joined_on=PartialDate(1975, 4),
        ),
        "party44": admit(
            khoi, a, "Lê Văn Bốn Tư", birth_date=PartialDate(1958), party_member=True, party_joined_on=PartialDate(1981)
        ),
        "army50": admit(khoi, a, "Phan Văn Lính", birth_date=PartialDate(1957), enlisted_on=PartialDate(1975, 2, 1)),
    }


def names(rows):
    return [(e.member.full_name, e.milestone) for e in rows]


def test_longevity_list(tree, people):
    rows = entries(ListKind.LONGEVITY, tree["unit_a"].path, 2025)
    assert names(rows) == [
        ("Trần Văn Trăm Hai", "102 tuổi (trên 100)"),
        ("Trần Văn Tám Mươi", "80 tuổi"),
        ("Trần Văn Bảy Lăm", "75 tuổi"),
        ("Trần Văn Bảy Mươi", "70 tuổi"),
    ]


def test_party_badges_and_service_years(tree, people):
    assert names(entries(ListKind.PARTY, tree["unit_a"].path, 2025)) == [("Lê Văn Đảng", "Huy hiệu 50 năm tuổi Đảng")]
    assert names(entries(ListKind.SERVICE, tree["unit_a"].path, 2025)) == [("Phan Văn Lính", "50 năm tuổi quân")]


def test_birthdays_of_a_month_need_the_month(tree, people):
    # March: the full date 02/03/1945, 09/03/1954 and the month-and-year 03/1952; year-only births cannot be placed.
    got = [e.member.full_name for e in entries(ListKind.BIRTHDAY, tree["unit_a"].path, 2025, 3)]
    assert sorted(got) == sorted(["Trần Văn Tám Mươi", "Trần Văn Bảy Mốt", "Lê Văn Đảng"])


def test_page_exports_and_access(login, cast, tree, people):
    client = login(cast["coso1"])
    page = client.get(reverse("members:celebrations"), {"nam": 2025})
    assert page.status_code == 200
    assert "Trần Văn Tám Mươi" in page.content.decode() and "Trần Văn Khác" not in page.content.decode()
    xlsx = client.get(reverse("members:celebrations_xlsx"), {"nam": 2025})
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    docx = client.get(reverse("members:celebrations_docx"), {"nam": 2025})
    assert docx.content[:2] == b"PK"
    # A chair of the sibling unit cannot ask for unit A's list.
    other = login(cast["coso2"])
    response = other.get(reverse("members:celebrations"), {"nam": 2025, "don_vi": tree["unit_a"].pk})
    assert "Trần Văn Tám Mươi" not in response.content.decode()
    # The party list needs the sensitive-data right.
    viewer = login(cast["uyvien"])
    assert viewer.get(reverse("members:celebrations"), {"loai": "huy-hieu-dang"}).status_code == 404


def test_one_click_gift_round(login, cast, tree, people):
    from hoiccb.activities.models import Activity

    client = login(cast["coso1"])
    response = client.post(
        reverse("activities:celebration_gifts"),
        {"don_vi": tree["unit_a"].pk, "loai": "mung-tho", "nam": 2025, "thang": 1, "gia_tri": "500.000"},
    )
    activity = Activity.objects.get()
    assert response.url == reverse("activities:detail", args=[activity.pk])
    assert activity.gifts.count() == 4
    assert {g.value for g in activity.gifts.all()} == {500_000}
    assert set(activity.gifts.values_list("description", flat=True)) >= {"80 tuổi", "70 tuổi"}


def test_party_list_leaves_a_sensitive_access_row_per_view_and_export(login, cast, tree, people):
    from hoiccb.members.models import SensitiveAccess
    from hoiccb.members.privacy.models import SensitiveAccessMember

    client = login(cast["coso1"])
    query = {"nam": 2025, "loai": "huy-hieu-dang"}
    # The other lists show nothing sensitive and leave no row.
    client.get(reverse("members:celebrations"), {"nam": 2025})
    assert not SensitiveAccess.objects.exists()
    page = client.get(reverse("members:celebrations"), query)
    assert "Lê Văn Đảng" in page.content.decode()
    b"".join(client.get(reverse("members:celebrations_xlsx"), query).streaming_content)
    assert client.get(reverse("members:celebrations_docx"), query).content[:2] == b"PK"
    rows = list(SensitiveAccess.objects.order_by("id"))
    assert [r.summary for r in rows] == [
        "xem danh sách mừng huy hiệu Đảng",
        "xuất Excel danh sách mừng huy hiệu Đảng",
        "xuất Word danh sách mừng huy hiệu Đảng",
    ]
    party50 = people["party50"].pk
    for row in rows:
        assert row.actor == cast["coso1"] and row.count == 1 and row.unit_path == tree["unit_a"].path
        assert row.fields == ["party_member", "party_joined_on"]
        shown = SensitiveAccessMember.objects.filter(access=row).values_list("member_ref", flat=True)
        assert list(shown) == [party50]

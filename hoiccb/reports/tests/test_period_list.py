"""The period list pages by 50 and says where the clerk is (issue 16)."""

import datetime

from django.urls import reverse

from hoiccb.reports import services


def test_period_list_shows_fifty_a_page_newest_first_and_says_which_page(cast, kinds, login):
    # 51 monthly periods, Jan 2020 … Mar 2024: the oldest falls on page 2.
    for i in range(51):
        year, month = 2020 + i // 12, i % 12 + 1
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        services.period_create(
            actor=cast["khoi"],
            kind="other",
            name=f"Tháng {month:02d}/{year}",
            start=start,
            end=end,
            title=f"Báo cáo tháng {month:02d}/{year}",
            deadline=end + datetime.timedelta(days=5),
            level_deadlines={},
        )
    client = login(cast["coso1"])
    first = client.get(reverse("reports:periods")).content.decode()
    assert first.count('class="link-secondary">Chưa lập') == 50
    assert "Tháng 03/2024" in first and "Tháng 01/2020" not in first
    assert "Trang 1 · 51 kỳ báo cáo" in first and 'href="?trang=2"' in first
    second = client.get(reverse("reports:periods") + "?trang=2").content.decode()
    assert second.count('class="link-secondary">Chưa lập') == 1
    assert "Tháng 01/2020" in second and "Tháng 02/2020" not in second
    assert "Trang 2 · 51 kỳ báo cáo" in second and "Trang trước" in second and "Trang sau" not in second
    # A page number typed by hand that means nothing shows page 1, never an error.
    assert "Trang 1 · 51 kỳ báo cáo" in client.get(reverse("reports:periods") + "?trang=abc").content.decode()

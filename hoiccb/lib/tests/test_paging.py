"""Every list says where you are: "Trang 3" and the total, or "hơn 1.000" where counting all costs too much."""

import re

from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.paging import Position, capped_count
from hoiccb.members.models import Member

NAMES = ["Nguyễn Văn An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng", "Hoàng Văn Em"]


def _position(html: str) -> str:
    found = re.search(r"data-pager-position>([^<]*)<", html)
    assert found, "the list does not say which page it shows"
    return found.group(1).strip()


def _link(html: str, text: str) -> str:
    """Return the query string of the link named text, "" when the page has none."""
    found = re.search(r'href="(\?[^"]*)">[^<]*' + re.escape(text), html)
    return found.group(1).replace("&amp;", "&") if found else ""


def _follow(html: str, text: str) -> str:
    link = _link(html, text)
    assert link, f"no “{text}” link"
    return link


def test_the_member_list_shows_the_page_number_and_the_total(client, cast, tree, settings):
    settings.MEMBER_PAGE_SIZE = 2
    for name in NAMES:
        admit(cast["khoi"], tree["unit_a"], name)
    client.force_login(cast["khoi"])
    url = reverse("members:list")
    html = client.get(url).content.decode()
    assert _position(html) == "Trang 1 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang sau")).content.decode()
    assert _position(html) == "Trang 2 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang sau")).content.decode()
    assert _position(html) == "Trang 3 · 5 hội viên"
    assert _link(html, "Trang sau") == ""
    html = client.get(url + _follow(html, "Trang trước")).content.decode()
    assert _position(html) == "Trang 2 · 5 hội viên"
    html = client.get(url + _follow(html, "Trang trước")).content.decode()
    assert _position(html) == "Trang 1 · 5 hội viên"


def test_a_page_number_typed_by_hand_never_breaks_the_list(client, cast, tree):
    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn An")
    client.force_login(cast["khoi"])
    for bad in ("abc", "-3", "0", "9" * 40, "\uff12"):
        response = client.get(reverse("members:list"), {"trang": bad})
        assert response.status_code == 200
        assert _position(response.content.decode()) == "Trang 1 · 1 hội viên"


def test_a_count_past_the_cap_says_more_than(cast, tree):
    for name in NAMES:
        admit(cast["khoi"], tree["unit_a"], name)
    total, exact = capped_count(Member.objects.all(), cap=3)
    assert (total, exact) == (3, False)
    assert Position(number=4, total=total, exact=exact).label == "Trang 4 · hơn 3 kết quả"
    assert Position(number=1, total=1000, exact=False, noun="hội viên").label == "Trang 1 · hơn 1.000 hội viên"
    assert capped_count(Member.objects.all(), cap=5) == (5, True)

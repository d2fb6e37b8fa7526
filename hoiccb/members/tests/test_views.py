import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.models import EventKind, Member, SensitiveAccess


def names_in(response) -> list[str]:
    return re.findall(r'href="/hoi-vien/\d+/">([^<]+)</a>', response.content.decode())


def test_search_without_tone_marks_finds_member(login, cast, members):
    client = login(cast["khoi"])
    response = client.get(reverse("members:list"), {"q": "nguyen van hung"})
    assert response.status_code == 200
    assert names_in(response) == ["Nguyễn Văn Hùng"]
    assert names_in(client.get(reverse("members:list"), {"q": "HUNG"})) == ["Nguyễn Văn Hùng", "Trần Văn Hưng"]
    assert names_in(client.get(reverse("members:list"), {"q": "yb001"})) == ["Nguyễn Văn Hùng"]
    assert names_in(client.get(reverse("members:list"), {"q": "hùng nguyễn"})) == ["Nguyễn Văn Hùng"]


def test_list_is_scoped_and_sorted_by_vietnamese_collation(login, cast, tree, members):
    admit(cast["khoi"], tree["unit_a"], "Bùi Văn Ơn")
    admit(cast["khoi"], tree["unit_a"], "Đỗ Văn Ôn")
    assert names_in(login(cast["khoi"]).get(reverse("members:list"))) == [
        "Lê Thị Ân",
        "Nguyễn Văn Hùng",
        "Trần Văn Hưng",
        "Đỗ Văn Ôn",
        "Bùi Văn Ơn",
    ]
    assert names_in(login(cast["coso1"]).get(reverse("members:list"))) == [
        "Lê Thị Ân",
        "Nguyễn Văn Hùng",
        "Đỗ Văn Ôn",
        "Bùi Văn Ơn",
    ]


def test_keyset_pages_walk_forward_and_back(login, cast, tree, settings):
    settings.MEMBER_PAGE_SIZE = 3
    first_names = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Khánh"]
    for name in reversed(first_names):
        admit(cast["khoi"], tree["unit_a"], f"Nguyễn Văn {name}")
    client = login(cast["khoi"])
    seen, url, pages = [], reverse("members:list"), []
    response = client.get(url)
    while True:
        pages.append(names_in(response))
        seen += pages[-1]
        match = re.search(r'href="(\?sau=[^"]+)"', response.content.decode())
        if not match:
            break
        response = client.get(url + match.group(1).replace("&amp;", "&"))
    assert seen == [f"Nguyễn Văn {name}" for name in first_names]
    assert [len(p) for p in pages] == [3, 3, 2]
    back_link = re.search(r'href="(\?truoc=[^"]+)"', response.content.decode())
    assert back_link
    back = back_link.group(1)
    assert names_in(client.get(url + back.replace("&amp;", "&"))) == pages[1]


def test_filters(login, cast, members):
    client = login(cast["khoi"])
    assert names_in(client.get(reverse("members:list"), {"party_member": "1"})) == ["Nguyễn Văn Hùng"]
    assert names_in(client.get(reverse("members:list"), {"policy": "thuong_binh"})) == ["Nguyễn Văn Hùng"]
    assert names_in(client.get(reverse("members:list"), {"birth_year_from": "1951"})) == ["Lê Thị Ân", "Trần Văn Hưng"]
    assert names_in(client.get(reverse("members:list"), {"unit": members["an"].unit_id})) == [
        "Lê Thị Ân",
        "Nguyễn Văn Hùng",
    ]
    # A bad value (a stale link, a unit since merged) is ignored, not a 500.
    response = client.get(reverse("members:list"), {"birth_year_from": "abc", "unit": "999999"})
    assert response.status_code == 200
    assert len(names_in(response)) == 3


def test_sensitive_filters_ignored_for_roles_without_the_right(login, cast, members):
    client = login(cast["uyvien"])
    assert len(names_in(client.get(reverse("members:list"), {"party_member": "1"}))) == 3


def test_sensitive_fields_shown_to_officer_and_logged(login, cast, members):
    hung = members["hung"]
    response = login(cast["coso1"]).get(reverse("members:detail", args=[hung.pk]))
    assert "001050000001" in response.content.decode()
    access = SensitiveAccess.objects.get()
    assert (access.actor, access.member) == (cast["coso1"], hung)


def test_sensitive_fields_hidden_from_committee_member(login, cast, members):
    hung = members["hung"]
    client = login(cast["uyvien"])
    content = client.get(reverse("members:detail", args=[hung.pk])).content.decode()
    assert "Nguyễn Văn Hùng" in content
    assert "001050000001" not in content and "Thương binh" not in content
    assert not SensitiveAccess.objects.exists()
    assert client.get(reverse("members:edit", args=[hung.pk])).status_code == 404


def test_edit_through_the_form(login, cast, members):
    hung = members["hung"]
    client = login(cast["coso1"])
    page = client.get(reverse("members:edit", args=[hung.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(
        {
            "residence": "Tổ 5, phường Yên Ninh",
            "birth_date": "5/6/1950",
            "version": hung.version,
            "enlisted_on": "1968",
            "theatres": [],
        }
    )
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    response = client.post(reverse("members:edit", args=[hung.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    hung.refresh_from_db()
    assert hung.residence == "Tổ 5, phường Yên Ninh"
    assert hung.events.filter(action=EventKind.UPDATED).exists()


def _form_data(client, member):
    page = client.get(reverse("members:edit", args=[member.pk]))
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list) or value is None:
            continue
        data[name] = str(value) if not isinstance(value, bool) else ("on" if value else "")
    return {k: v for k, v in data.items() if v != ""}


def test_two_clerks_editing_the_same_record(login, cast, members, client):
    hung = members["hung"]
    client.force_login(cast["coso1"])
    first = _form_data(client, hung)
    second = dict(first)
    first["phone"] = "0911111111"
    assert client.post(reverse("members:edit", args=[hung.pk]), first).status_code == 302
    client.force_login(cast["khoi"])
    second["residence"] = "Nhà của bản thứ hai"
    response = client.post(reverse("members:edit", args=[hung.pk]), second)
    assert response.status_code == 200
    content = response.content.decode()
    assert "vừa được người khác sửa" in content
    assert "Nhà của bản thứ hai" in content  # the second clerk's typing is kept on screen
    hung.refresh_from_db()
    assert hung.phone == "0911111111" and hung.residence == ""
    # Saving again from the conflict page carries the new version and succeeds.
    second["version"] = response.context["form"].data["version"]
    assert client.post(reverse("members:edit", args=[hung.pk]), second).status_code == 302
    hung.refresh_from_db()
    assert hung.residence == "Nhà của bản thứ hai"


def test_bad_input_gets_vietnamese_messages_and_changes_nothing(login, cast, tree):
    client = login(cast["coso1"])
    response = client.post(
        reverse("members:create"),
        {
            "unit": tree["unit_a"].pk,
            "ho": "Nguyễn",
            "ten": "Hùng",
            "gender": "nam",
            "kind": "ccb",
            "birth_date": "31/02/1950",
            "cccd": "123",
            "ethnicity": "Kinh",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Ngày không tồn tại" in errors["birth_date"][0]
    assert "12 chữ số" in errors["cccd"][0]
    assert not Member.objects.exists()


def test_create_member_then_lifecycle_through_pages(login, cast, tree):
    client = login(cast["coso1"])
    response = client.post(
        reverse("members:create"),
        {
            "unit": tree["unit_a"].pk,
            "ho": "Phạm",
            "chu_dem": "Văn",
            "ten": "Đồng",
            "gender": "nam",
            "kind": "ccb",
            "birth_date": "1948",
            "enlisted_on": "3/1966",
            "ethnicity": "Kinh",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(ten="Đồng")
    assert member.enlisted_on == PartialDate(1966, 3)
    response = client.post(
        reverse("members:transfer", args=[member.pk]), {"to_unit": tree["branch_a"].pk, "on": "01/02/2024"}
    )
    assert response.status_code == 302
    response = client.post(reverse("members:death", args=[member.pk]), {"died_on": "03/2024", "xac_nhan": "1"})
    assert response.status_code == 302
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    for text in ("Đã từ trần", "Chuyển sinh hoạt", "Hội CCB Sở Tài chính → Chi hội 1 Sở Tài chính", "Từ trần"):
        assert text in detail
    # Transferring a deceased member is refused with a message, not a 500.
    response = client.post(
        reverse("members:transfer", args=[member.pk]), {"to_unit": tree["unit_a"].pk, "on": "01/05/2024"}
    )
    assert response.status_code == 200
    assert "Đã từ trần" in response.content.decode()


def test_list_page_query_count_does_not_grow_with_rows(login, cast, tree):
    client = login(cast["khoi"])
    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Một")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("members:list"))
    for i in range(15):
        admit(cast["khoi"], tree["unit_b"], f"Nguyễn Văn Hai {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("members:list"))
    assert len(many) == len(few)


@pytest.mark.parametrize("q", ["%", "_", "\\", "' OR 1=1 --", "ñ" * 200])
def test_odd_search_input_is_harmless(login, cast, members, q):
    response = login(cast["khoi"]).get(reverse("members:list"), {"q": q})
    assert response.status_code == 200
    assert names_in(response) == []


def test_htmx_search_returns_only_the_rows(login, cast, members):
    response = login(cast["khoi"]).get(
        reverse("members:list"), {"q": "an"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="member-results"
    )
    content = response.content.decode()
    assert "<html" not in content and "Lê Thị Ân" in content


def test_record_form_sections_cover_every_field(cast, tree):
    from hoiccb.members.forms import MemberForm

    for user, creating in ((cast["khoi"], True), (cast["uyvien"], False)):
        form = MemberForm(user=user, creating=creating, instance=Member(unit=tree["unit_a"]))
        shown = {f.name for _, fields, _ in form.sections() for f in fields}
        assert shown == {name for name, field in form.fields.items() if not field.widget.is_hidden}

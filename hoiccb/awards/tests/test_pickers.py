"""The nomination form picks people and units by searching, never from a list of everyone."""

from hoiccb.awards.rounds.models import Nomination
from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate


def test_nomination_form_lists_nobody_until_typed_and_tells_namesakes_apart(round_, cast, tree, people, login):
    admit(cast["khoi"], tree["unit_a"], "Nguyễn Văn Trung", birth_date=PartialDate(1950), card_number="YB100")
    admit(cast["khoi"], tree["branch_a"], "Nguyễn Văn Trung", birth_date=PartialDate(1956))
    admit(cast["khoi"], tree["unit_b"], "Nguyễn Văn Trung", birth_date=PartialDate(1949))  # outside coso1's scope
    client = login(cast["coso1"])
    url = f"/thi-dua/dot/{round_.pk}/de-nghi/"
    page = client.get(url).content.decode()
    assert "Nguyễn Văn Trung" not in page and "Lê Thị Ân" not in page  # no list of every member
    assert 'hx-get="/hoi-vien/chon/"' in page and "hx-include=\"[name='unit']\"" in page

    found = client.get("/hoi-vien/chon/", {"member__q": "nguyen van trung", "name": "member"}, HTTP_HX_REQUEST="true")
    rows = found.content.decode()
    assert rows.count("Nguyễn Văn Trung") == 2
    assert "Hội CCB Sở Tài chính · sinh 1950 · thẻ YB100" in rows
    assert "Chi hội 1 Sở Tài chính · sinh 1956" in rows
    assert "1949" not in rows and 'type="radio" name="member"' in rows
    # Narrowed to the chosen unit (the form sends it along): only the branch's namesake.
    narrowed = client.get(
        "/hoi-vien/chon/", {"member__q": "trung", "unit": tree["branch_a"].pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "sinh 1956" in narrowed and "sinh 1950" not in narrowed


def test_without_javascript_the_form_comes_back_with_the_matches(round_, cast, tree, people, forms, login):
    binh = people["binh"]  # rated every year, so the nomination passes the rules
    client = login(cast["coso1"])
    url = f"/thi-dua/dot/{round_.pk}/de-nghi/"
    data = {"form": forms["giay-khen-khoi"].pk, "unit": tree["unit_a"].pk, "member__q": "van binh", "summary": "Tốt"}
    page = client.post(url, data).content.decode()
    assert "Gõ tên rồi chọn một hội viên trong danh sách" in page or "chọn hội viên" in page
    assert f'name="member" value="{binh.pk}"' in page and not Nomination.objects.exists()
    done = client.post(url, {**data, "member": binh.pk})
    assert done.status_code == 302 and Nomination.objects.get().member == binh


def test_plain_search_pages_and_scope(cast, tree, people, login):
    client = login(cast["coso1"])
    page = client.get("/hoi-vien/chon/", {"q": "hai"}).content.decode()
    assert "Tìm hội viên" in page and "Trần Văn Hải" not in page  # unit B is a sibling's
    page = client.get("/don-vi/chon/", {"q": "tai chinh"}).content.decode()
    assert "Hội CCB Sở Tài chính" in page and "Sở Y tế" not in page
    page = login(cast["khoi"]).get("/don-vi/chon/", {"q": "so y te"}).content.decode()
    assert "Hội CCB Sở Y tế" in page

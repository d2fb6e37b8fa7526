"""The pages, through the HTTP client: scope, uploads, calendar, exports read back."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from python_calamine import CalamineWorkbook

from hoiccb.activities import services
from hoiccb.activities.models import Activity, Attachment, Gift, Recommendation
from hoiccb.activities.tests.conftest import give, make_activity, make_round, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(cast, tree, act_kinds):
    a = make_activity(
        cast["coso1"], tree["unit_a"], act_kinds["ve-nguon"], title="Về nguồn Điện Biên", place="Điện Biên Phủ"
    )
    b = make_activity(
        cast["coso2"], tree["unit_b"], act_kinds["tuyen-truyen"], title="Kỷ niệm 94 năm ngày thành lập Đảng"
    )
    photo_b = services.attachment_add(
        actor=cast["coso2"], activity=b, upload=SimpleUploadedFile("mit-tinh.png", png_bytes()), caption="Mít tinh"
    )
    return {"a": a, "b": b, "photo_b": photo_b}


def test_chair_cannot_see_or_attach_to_another_units_activity(login, cast, two_units):
    client = login(cast["coso1"])
    b = two_units["b"]
    assert client.get(f"/hoat-dong/{b.pk}/").status_code == 404
    response = client.post(
        f"/hoat-dong/{b.pk}/tai-tep/", {"file": SimpleUploadedFile("x.png", png_bytes()), "caption": "x"}
    )
    assert response.status_code == 404
    assert Attachment.objects.filter(activity=b).count() == 1
    # The file itself answers 404 outside the scope, 200 inside.
    url = f"/hoat-dong/tep/{two_units['photo_b'].pk}/"
    assert client.get(url).status_code == 404
    owner = login(cast["coso2"])
    response = owner.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    served = b"".join(response.streaming_content)  # the photo as the upload guard drew it again
    assert served.startswith(b"\x89PNG") and Image.open(io.BytesIO(served)).size == (2, 2)
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" not in response["Content-Disposition"]
    body = owner.get("/hoat-dong/").content.decode()
    assert "Kỷ niệm 94 năm" in body and "Về nguồn Điện Biên" not in body


def test_upload_page_refuses_wrong_and_oversized_files_with_a_message(login, cast, two_units, settings):
    client = login(cast["coso1"])
    a = two_units["a"]
    response = client.post(
        f"/hoat-dong/{a.pk}/tai-tep/", {"file": SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo")}, follow=True
    )
    assert "Tệp “anh.jpg” không phải ảnh JPEG, PNG, WebP hoặc tài liệu PDF" in response.content.decode()
    settings.ACTIVITY_UPLOAD_MAX_BYTES = 100
    response = client.post(
        f"/hoat-dong/{a.pk}/tai-tep/", {"file": SimpleUploadedFile("to.png", png_bytes() + b"\0" * 2000)}, follow=True
    )
    assert "quá lớn" in response.content.decode() and "tối đa 1 KB" in response.content.decode()
    assert not Attachment.objects.filter(activity=a).exists()
    settings.ACTIVITY_UPLOAD_MAX_BYTES = 10_000_000
    response = client.post(
        f"/hoat-dong/{a.pk}/tai-tep/", {"file": SimpleUploadedFile("doan.png", png_bytes())}, follow=True
    )
    assert "Đã tải tệp lên." in response.content.decode()
    assert Attachment.objects.filter(activity=a).count() == 1


def test_committee_member_reads_but_does_not_record(login, cast, two_units):
    client = login(cast["uyvien"])
    assert client.get(f"/hoat-dong/{two_units['a'].pk}/").status_code == 200
    assert client.get("/hoat-dong/them/").status_code == 404
    assert client.get(f"/hoat-dong/{two_units['a'].pk}/sua/").status_code == 404


def test_create_and_edit_through_the_form(login, cast, tree, act_kinds):
    client = login(cast["coso1"])
    response = client.post(
        "/hoat-dong/them/",
        {
            "unit": tree["unit_a"].pk,
            "kind": act_kinds["an-sinh"].pk,
            "title": "Thăm, tặng quà gia đình chính sách dịp Tết Giáp Thìn",
            "start_date": "02/02/2024",
            "end_date": "01/02/2024",
            "head_count": 5,
            "cost": 6000000,
            "funding_source": "quy_hoi",
            "occasion": "tet",
        },
    )
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()
    assert not Activity.objects.exists()
    data = {
        "unit": tree["unit_a"].pk,
        "kind": act_kinds["an-sinh"].pk,
        "title": "Thăm, tặng quà gia đình chính sách dịp Tết Giáp Thìn",
        "start_date": "02/02/2024",
        "head_count": 5,
        "cost": 6000000,
        "funding_source": "quy_hoi",
        "occasion": "tet",
    }
    response = client.post("/hoat-dong/them/", data)
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoat-dong/{activity.pk}/"
    assert (activity.start_date, activity.occasion_year, activity.created_by) == (
        datetime.date(2024, 2, 2),
        2024,
        cast["coso1"],
    )
    response = client.post(f"/hoat-dong/{activity.pk}/sua/", {**data, "place": "Phường Đồng Tâm", "unit": ""})
    activity.refresh_from_db()
    assert activity.place == "Phường Đồng Tâm"
    # A gift through the page, then the duplicate warning when unit B enters the same family.
    response = client.post(
        f"/hoat-dong/{activity.pk}/tang-qua/",
        {
            "beneficiary_name": "Nguyễn Thị Mai",
            "address": "Thôn 3, xã Âu Lâu",
            "circumstance": "chinh_sach",
            "value": "500000",
            "form": "tien",
            "funding_source": "quy_hoi",
        },
        follow=True,
    )
    assert "Đã ghi quà tặng." in response.content.decode()
    assert Gift.objects.get().value == 500_000


def test_list_filters_and_query_count(login, cast, tree, act_kinds, django_assert_max_num_queries):
    for day in range(1, 21):
        make_activity(
            cast["khoi"],
            tree["unit_a" if day % 2 else "unit_b"],
            act_kinds["hoi-nghi"],
            title=f"Họp {day}",
            start=datetime.date(2024, 3, day),
        )
    make_activity(
        cast["khoi"],
        tree["branch_a"],
        act_kinds["kinh-te"],
        title="Giúp hội viên vay vốn",
        start=datetime.date(2024, 5, 1),
    )
    client = login(cast["khoi"])
    with django_assert_max_num_queries(12):
        body = client.get("/hoat-dong/").content.decode()
    assert "Họp 20" in body and "Giúp hội viên vay vốn" in body
    body = client.get("/hoat-dong/", {"unit": tree["unit_a"].pk}).content.decode()
    assert "Giúp hội viên vay vốn" in body and "Họp 19" in body and "Họp 20" not in body  # unit A's subtree
    body = client.get("/hoat-dong/", {"kind": act_kinds["kinh-te"].pk}).content.decode()
    assert "Giúp hội viên vay vốn" in body and "Họp 1<" not in body
    body = client.get("/hoat-dong/", {"date_from": "10/03/2024", "date_to": "12/03/2024"}).content.decode()
    assert "Họp 11" in body and "Họp 9<" not in body and "Họp 13" not in body


def test_keyset_pages_cover_every_activity_once(login, cast, tree, act_kinds, monkeypatch):
    monkeypatch.setattr("hoiccb.activities.views.PAGE_SIZE", 7)
    for i in range(20):
        make_activity(
            cast["khoi"],
            tree["unit_a"],
            act_kinds["hoi-nghi"],
            title=f"Buổi {i:02d}",
            start=datetime.date(2024, 3, 1 + i % 3),
        )
    client = login(cast["khoi"])
    from hoiccb.activities import selectors

    seen, after = [], ""
    while True:
        page = selectors.activity_page(cast["khoi"], selectors.ActivityFilters(), after=after, size=7)
        seen += [a.pk for a in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(Activity.objects.values_list("pk", flat=True))
    html = client.get("/hoat-dong/").content.decode()
    assert "Cũ hơn" in html and "data-pager-position>Trang 1 · " in html


def test_calendar_shows_the_months_activities(login, cast, tree, act_kinds):
    make_activity(
        cast["khoi"],
        tree["unit_a"],
        act_kinds["ve-nguon"],
        title="Về nguồn 2024",
        start=datetime.date(2024, 4, 29),
        end_date=datetime.date(2024, 5, 2),
    )
    make_activity(
        cast["khoi"], tree["unit_b"], act_kinds["tuyen-truyen"], title="Kỷ niệm 30/4", start=datetime.date(2024, 4, 30)
    )
    client = login(cast["coso1"])
    body = client.get("/hoat-dong/lich/", {"thang": "2024-05"}).content.decode()
    assert "Tháng 5/2024" in body and body.count("Về nguồn 2024") >= 2  # 1 and 2 May
    assert "Kỷ niệm 30/4" not in body
    body = client.get("/hoat-dong/lich/", {"thang": "2024-04"}).content.decode()
    assert "Về nguồn 2024" in body and "Kỷ niệm 30/4" not in body
    # The month's export link gives the month's activities.
    import html
    import re

    found = re.search(r'href="(/hoat-dong/xuat-excel/[^"]*)"', body)
    assert found is not None
    link = html.unescape(found.group(1))
    assert "date_from=01/04/2024" in link and "date_to=30/04/2024" in link
    rows = read_sheet(client.get(link).content)
    assert [r[4] for r in rows[5:] if r[0] == 1] == ["Về nguồn 2024"]


def read_sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_activity_export_reads_back(login, cast, tree, act_kinds):
    make_activity(
        cast["khoi"],
        tree["unit_a"],
        act_kinds["ve-nguon"],
        title='=HYPERLINK("x")',
        start=datetime.date(2024, 4, 2),
        cost=9_000_000,
        funding_source="hoi_vien",
        head_count=25,
    )
    make_activity(
        cast["khoi"],
        tree["unit_b"],
        act_kinds["tuyen-truyen"],
        title="Kỷ niệm 94 năm thành lập Đảng",
        start=datetime.date(2024, 2, 3),
        cost=1_500_000,
        funding_source="quy_hoi",
    )
    response = login(cast["khoi"]).get("/hoat-dong/xuat-excel/", {"date_from": "01/01/2024"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_sheet(response.content)
    assert rows[0][0] == "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
    assert rows[1][0] == "DANH SÁCH HOẠT ĐỘNG"
    assert rows[4][:4] == ["STT", "Ngày", "Đến ngày", "Loại hoạt động"]
    assert rows[5][0] == 1 and rows[5][4] == '=HYPERLINK("x")'  # text stays text
    assert rows[5][1] == datetime.date(2024, 4, 2) or str(rows[5][1]).startswith("2024-04-02")
    assert rows[6][4] == "Kỷ niệm 94 năm thành lập Đảng"
    assert rows[7][1] == "Tổng cộng" and rows[7][8] == 10_500_000
    chair_rows = read_sheet(login(cast["coso1"]).get("/hoat-dong/xuat-excel/").content)
    assert all("Kỷ niệm 94" not in str(cell) for row in chair_rows for cell in row)


def test_gift_page_warns_the_bloc_and_export_marks_duplicates(login, cast, tree, act_kinds):
    a = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    b = make_round(cast["coso2"], tree["unit_b"], act_kinds)
    give(cast["coso1"], a, "Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu", 500_000)
    give(cast["coso2"], b, "Nguyễn Thị Mai", "Thôn 3 xã Âu Lâu", 700_000)
    give(cast["coso2"], b, "Hoàng Văn Sáu", "Tổ 4", 300_000)
    body = login(cast["khoi"]).get("/hoat-dong/qua/", {"occasion": "tet", "year": 2024}).content.decode()
    assert "Tặng trùng: 1 người, hộ" in body and "1.500.000 đ" in body
    body = login(cast["coso1"]).get("/hoat-dong/qua/").content.decode()
    assert "Tặng trùng:" not in body and "Hoàng Văn Sáu" not in body and "500.000 đ" in body
    rows = read_sheet(login(cast["khoi"]).get("/hoat-dong/qua/xuat-excel/", {"occasion": "tet"}).content)
    assert rows[1][0] == "DANH SÁCH THĂM, TẶNG QUÀ"
    data = [r for r in rows[5:] if isinstance(r[0], (int, float)) and r[0]]
    assert len(data) == 3
    marked = {r[1] for r in data if r[10]}
    assert marked == {"Nguyễn Thị Mai"}
    assert rows[5 + 3][8] == 1_500_000


def test_inspection_pages_follow_up_and_overdue(login, cast, tree):
    client = login(cast["khoi"])
    response = client.post(
        "/hoat-dong/kiem-tra/them/",
        {
            "unit": tree["bloc"].pk,
            "year": 2024,
            "title": "Kiểm tra 3 Hội cơ sở năm 2024",
            "content": "Thực hiện Điều lệ Hội",
            "start_date": "03/09/2024",
            "end_date": "27/09/2024",
            "inspected_units": [tree["unit_a"].pk, tree["unit_b"].pk, tree["branch_a"].pk],
        },
    )
    plan = tree["bloc"].inspection_plans.get()
    assert response["Location"] == f"/hoat-dong/kiem-tra/{plan.pk}/"
    record = plan.records.get(unit=tree["unit_a"])
    client.post(
        f"/hoat-dong/kiem-tra/{plan.pk}/doan/", {"guest_name": "Đ/c Phó Bí thư Đảng ủy Khối", "role": "Giám sát"}
    )
    assert "Đ/c Phó Bí thư Đảng ủy Khối" in client.get(f"/hoat-dong/kiem-tra/{plan.pk}/").content.decode()
    client.post(
        f"/hoat-dong/kiem-tra/don-vi/{record.pk}/sua/",
        {"inspected_on": "10/09/2024", "strengths": "Tốt", "shortcomings": "Chưa có sổ quỹ"},
    )
    client.post(
        f"/hoat-dong/kiem-tra/don-vi/{record.pk}/kien-nghi/",
        {"text": "Lập sổ theo dõi quỹ Hội", "owner": "Chủ tịch Hội", "due_date": "31/10/2024"},
    )
    rec = Recommendation.objects.get()
    body = client.get("/hoat-dong/kiem-tra/").content.decode()
    assert 'id="overdue"' in body and "Lập sổ theo dõi quỹ Hội" in body
    # The inspected chair sees the record and reports progress, but may not close it.
    chair = login(cast["coso1"])
    assert chair.get(f"/hoat-dong/kiem-tra/{plan.pk}/").status_code == 404
    assert "Chưa có sổ quỹ" in chair.get(f"/hoat-dong/kiem-tra/don-vi/{record.pk}/").content.decode()
    page = chair.get(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/").content.decode()
    assert 'value="closed"' not in page
    chair.post(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/", {"status": "closed", "note": "Xong"})
    rec.refresh_from_db()
    assert rec.status == "open"
    chair.post(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/", {"status": "in_progress", "note": "Đã mua sổ"})
    rec.refresh_from_db()
    assert rec.status == "in_progress"
    assert login(cast["coso2"]).get(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/").status_code == 404
    client = login(cast["khoi"])
    response = client.post(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/", {"status": "closed", "note": ""})
    assert "Ghi kết quả, minh chứng trước khi đóng kiến nghị." in response.content.decode()
    client.post(f"/hoat-dong/kiem-tra/kien-nghi/{rec.pk}/", {"status": "closed", "note": "Sổ quỹ đã lập"})
    rec.refresh_from_db()
    assert rec.status == "closed"
    assert 'id="overdue"' not in client.get("/hoat-dong/kiem-tra/").content.decode()
    rows = read_sheet(client.get("/hoat-dong/kiem-tra/kien-nghi/xuat-excel/").content)
    assert rows[5][3] == "Lập sổ theo dõi quỹ Hội" and rows[5][6] == "Đã hoàn thành"


def test_attachment_and_activity_deletion_through_the_pages(login, cast, two_units):
    b, photo = two_units["b"], two_units["photo_b"]
    assert login(cast["coso1"]).post(f"/hoat-dong/tep/{photo.pk}/xoa/").status_code == 404
    assert login(cast["uyvien"]).post(f"/hoat-dong/tep/{photo.pk}/xoa/").status_code == 404
    assert Attachment.objects.filter(pk=photo.pk).exists()
    owner = login(cast["coso2"])
    assert "Xóa tệp" in owner.get(f"/hoat-dong/{b.pk}/").content.decode()
    owner.post(f"/hoat-dong/tep/{photo.pk}/xoa/")
    assert not Attachment.objects.filter(pk=photo.pk).exists()
    assert login(cast["coso1"]).post(f"/hoat-dong/{b.pk}/xoa/").status_code == 404
    response = login(cast["coso2"]).post(f"/hoat-dong/{b.pk}/xoa/", follow=True)
    assert "Đã xóa hoạt động “Kỷ niệm 94 năm ngày thành lập Đảng”." in response.content.decode()
    assert not Activity.objects.filter(pk=b.pk).exists()


def test_participants_are_found_by_name_in_the_organisers_subtree(login, cast, tree, act_kinds, members):
    activity = make_activity(cast["coso1"], tree["unit_a"], act_kinds["ve-nguon"], head_count=1)
    client = login(cast["coso1"])
    body = client.get(f"/hoat-dong/{activity.pk}/nguoi-tham-gia/", {"q": "nguyen van hung"}).content.decode()
    assert "Nguyễn Văn Hùng" in body  # a member of branch A1, inside unit A
    body = client.get(f"/hoat-dong/{activity.pk}/nguoi-tham-gia/", {"q": "tran van hung"}).content.decode()
    assert "Trần Văn Hưng" not in body  # unit B's member
    # A forged id of unit B's member is ignored; the list and head-count follow what was added.
    client.post(
        f"/hoat-dong/{activity.pk}/nguoi-tham-gia/",
        {"member": [members["hung"].pk, members["an"].pk, members["hung_b"].pk]},
    )
    activity.refresh_from_db()
    assert set(activity.participants.all()) == {members["hung"], members["an"]}
    assert activity.head_count == 2


def test_activity_kinds_are_edited_in_the_admin(login, cast, act_kinds):
    client = login(cast["admin"])
    response = client.post(
        "/quan-tri/activities/activitykind/add/",
        {"name": "Phong trào CCB gương mẫu", "code": "guong-mau", "order": 60, "is_active": "on"},
    )
    assert response.status_code == 302
    assert "Phong trào CCB gương mẫu" in client.get("/hoat-dong/").content.decode()

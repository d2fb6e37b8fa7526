"""The sensitive-data access log: every read writes a row, rows survive the member, and it can be read."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.imports import tasks
from hoiccb.members.models import ImportState, Member, MemberImport, SensitiveAccess
from hoiccb.members.privacy import selectors
from hoiccb.members.privacy.access_log import access_record
from hoiccb.members.tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def who_saw(member_pk: int) -> list[str]:
    return [a.summary for a in selectors.member_accesses(member_pk)]


def test_detail_writes_a_row_with_copies_of_the_member(login, cast, members):
    hung = members["hung"]
    login(cast["coso1"]).get(reverse("members:detail", args=[hung.pk]), REMOTE_ADDR="10.0.0.7")
    access = SensitiveAccess.objects.get()
    assert (access.member_ref, access.member_name, access.count) == (hung.pk, "Nguyễn Văn Hùng", 1)
    assert access.ip_address == "10.0.0.7"
    assert who_saw(hung.pk) == ["xem hồ sơ"]


def test_export_with_cccd_writes_one_row_naming_every_member(client, cast, members, tree):
    client.force_login(cast["khoi"])
    response = client.get("/hoi-vien/xuat.xlsx", {"cot": ["full_name", "cccd"]})
    assert b"".join(response.streaming_content)
    access = SensitiveAccess.objects.get()
    assert access.summary == "xuất Excel danh sách" and access.count == 3 and access.member_ref is None
    assert access.criteria == {"Cột": "Số CCCD"}
    assert access.unit_path == tree["bloc"].path
    for member in members.values():
        assert who_saw(member.pk) == ["xuất Excel danh sách"]


def test_export_without_sensitive_columns_or_filters_is_not_logged(client, cast, members):
    client.force_login(cast["khoi"])
    download(client.get("/hoi-vien/xuat.xlsx", {"cot": ["full_name", "unit"]}))
    assert not SensitiveAccess.objects.exists()


def test_export_filtered_on_party_is_logged_with_its_filter(client, cast, members):
    client.force_login(cast["khoi"])
    download(client.get("/hoi-vien/xuat.xlsx", {"cot": ["full_name"], "party_member": "1"}))
    access = SensitiveAccess.objects.get()
    assert access.criteria == {"Đảng viên": "có"} and access.count == 1
    assert who_saw(members["hung"].pk) == ["xuất Excel danh sách"] and who_saw(members["an"].pk) == []


@pytest.mark.parametrize(
    "query,criteria",
    [
        ({"party_member": "1"}, {"Đảng viên": "có"}),
        ({"policy": "thuong_binh"}, {"Diện chính sách": "Thương binh"}),
        ({"q": "0010 5000 0001"}, {"Tìm theo số CCCD": "001050000001"}),
    ],
)
def test_list_filters_and_cccd_search_write_one_row(login, cast, members, query, criteria):
    response = login(cast["coso1"]).get(reverse("members:list"), query)
    assert "Nguyễn Văn Hùng" in response.content.decode()
    access = SensitiveAccess.objects.get()
    assert access.criteria == criteria and access.count == 1
    assert who_saw(members["hung"].pk) == ["lọc, tìm danh sách theo dữ liệu nhạy cảm"]


def test_plain_list_and_name_search_are_not_logged(login, cast, members):
    client = login(cast["coso1"])
    client.get(reverse("members:list"))
    client.get(reverse("members:list"), {"q": "hung"})
    assert not SensitiveAccess.objects.exists()


def test_cccd_search_is_not_offered_to_roles_without_the_right(login, cast, members):
    response = login(cast["uyvien"]).get(reverse("members:list"), {"q": "001050000001"})
    assert "Nguyễn Văn Hùng" not in response.content.decode()
    assert not SensitiveAccess.objects.exists()


def read_through_the_pages(client, actor, rows) -> MemberImport:
    """Upload `rows` as ds.xlsx, keep the guessed columns and read the list, as a clerk would."""
    client.force_login(actor)
    client.post("/hoi-vien/nhap/", {"file": SimpleUploadedFile("ds.xlsx", xlsx_bytes(rows))})
    batch = MemberImport.objects.get()
    mapping = {f"field_{c['index']}": c["field"] or "" for c in batch.columns}
    mapping.update({f"encoding_{c['index']}": c["encoding"] for c in batch.columns})
    client.post(f"/hoi-vien/nhap/{batch.pk}/cot/", mapping)
    tasks.run_job("analyse", batch.pk, actor.pk)
    return batch


def test_import_preview_and_result_are_logged_and_survive_the_undo(client, cast, tree):
    khoi = cast["khoi"]
    rows = [
        ["Họ và tên", "Năm sinh", "Số CCCD", "Chi hội"],
        ["Phan Văn Mới", 1951, "001051000009", "Chi hội 1 Sở Tài chính"],
    ]
    batch = read_through_the_pages(client, khoi, rows)
    assert "Phan Văn Mới" in client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    preview = SensitiveAccess.objects.get()
    assert preview.summary == "xem trước lần nhập, trang 1" and preview.count == 1
    assert preview.criteria == {"Lần nhập": f"#{batch.pk} ds.xlsx"}

    client.post(f"/hoi-vien/nhap/{batch.pk}/xac-nhan/")
    tasks.run_job("commit", batch.pk, khoi.pk)
    created = Member.objects.get(cccd="001051000009")
    download(client.get(f"/hoi-vien/nhap/{batch.pk}/ket-qua.xlsx"))
    client.get(reverse("members:detail", args=[created.pk]))
    assert who_saw(created.pk) == ["xem hồ sơ", "tải tệp kết quả nhập"]

    client.post(f"/hoi-vien/nhap/{batch.pk}/hoan-tac/")
    tasks.run_job("undo", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.UNDONE and not Member.objects.filter(pk=created.pk).exists()
    # The member is gone; who saw them is not.
    assert who_saw(created.pk) == ["xem hồ sơ", "tải tệp kết quả nhập"]
    detail = SensitiveAccess.objects.get(summary="xem hồ sơ")
    assert (detail.member, detail.member_ref, detail.member_name) == (None, created.pk, "Phan Văn Mới")


def test_import_row_fix_form_is_logged(client, cast, tree):
    khoi = cast["khoi"]
    rows = [
        ["Họ và tên", "Năm sinh", "Số CCCD", "Chi hội"],
        ["Phan Văn Lỗi", 1951, "001051000010", "Chi hội không có"],
    ]
    batch = read_through_the_pages(client, khoi, rows)
    row = batch.rows.get()
    assert row.status == "error"

    page = client.get(reverse("members:import_row_fix", args=[row.pk])).content.decode()
    assert "001051000010" in page
    access = SensitiveAccess.objects.get()
    assert access.summary == f"sửa dòng {row.number} của lần nhập" and access.count == 1
    assert access.actor == khoi and access.criteria == {"Lần nhập": f"#{batch.pk} ds.xlsx"}


def test_log_page_searches_by_member_user_and_date_and_exports(login, cast, members, tree):
    hung, an = members["hung"], members["an"]
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=hung)
    access_record(actor=cast["coso2"], purpose="xem hồ sơ", member=members["hung_b"])
    access_record(
        actor=cast["khoi"], purpose="xuất Excel danh sách", member_ids=[hung.pk, an.pk], unit_path=tree["bloc"].path
    )
    client = login(cast["khoi"])
    url = reverse("members:privacy_log")
    assert len(client.get(url).context["page"]) == 3
    by_member = client.get(url, {"member": "Nguyễn Văn Hùng"}).context["page"]
    assert sorted(a.summary for a in by_member) == ["xem hồ sơ", "xuất Excel danh sách"]
    assert [a.summary for a in client.get(url, {"member": f"#{an.pk}"}).context["page"]] == ["xuất Excel danh sách"]
    assert [a.actor for a in client.get(url, {"user": "coso2"}).context["page"]] == [cast["coso2"]]
    assert len(client.get(url, {"date_from": "01/01/2000", "date_to": "01/01/2001"}).context["page"]) == 0
    bad = client.get(url, {"date_from": "32/13/2024"})
    assert bad.status_code == 200 and "ngày/tháng/năm" in bad.content.decode()

    response = client.get(reverse("members:privacy_log_export"), {"user": "coso1"})
    sheet = openpyxl.load_workbook(io.BytesIO(download(response))).active
    lines = list(sheet.iter_rows(values_only=True))
    header = next(i for i, line in enumerate(lines) if line[0] == "STT")
    body = lines[header + 1 :]
    assert len(body) == 1 and body[0][3] == "coso1" and body[0][5] == f"Nguyễn Văn Hùng (#{hung.pk})"


def test_log_is_scoped_and_closed_to_officers_and_committee(login, cast, members, tree):
    access_record(actor=cast["coso2"], purpose="xem hồ sơ", member=members["hung_b"])
    assert login(cast["coso1"]).get(reverse("members:privacy_log")).status_code == 404  # officer: no right
    assert login(cast["uyvien"]).get(reverse("members:privacy_log")).status_code == 404
    chair_a = cast["coso1"]
    chair_a.role = "standing"
    chair_a.save()
    assert len(login(chair_a).get(reverse("members:privacy_log")).context["page"]) == 0  # unit B's read


def test_admin_shows_the_log_read_only(login, cast, members):
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=members["hung"])
    client = login(cast["admin"])
    listing = client.get("/quan-tri/members/sensitiveaccess/")
    assert listing.status_code == 200 and "Nguyễn Văn Hùng" in listing.content.decode()
    access = SensitiveAccess.objects.get()
    assert client.post(f"/quan-tri/members/sensitiveaccess/{access.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SensitiveAccess.objects.filter(pk=access.pk).exists()


def test_rows_survive_a_deleted_member(cast, tree):
    member = admit(cast["khoi"], tree["unit_a"], "Đinh Văn Tạm", birth_date=PartialDate(1955))
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=member)
    pk = member.pk
    Member.objects.filter(pk=pk).delete()
    access = SensitiveAccess.objects.get()
    assert (access.member_id, access.member_ref, access.member_name) == (None, pk, "Đinh Văn Tạm")

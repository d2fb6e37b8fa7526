"""The import wizard and the export through HTTP, with real files read back."""

import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.sheets.reading import FileRejected, read_upload
from hoiccb.members.imports import services, storage, tasks
from hoiccb.members.models import ImportState, Member, MemberImport
from hoiccb.members.tests.spreadsheets import csv_bytes, to_tcvn3, xls_bytes, xlsx_bytes, zip_bomb_xlsx


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def test_wizard_from_upload_to_undo(client, cast, tree):
    khoi = cast["khoi"]
    admit(khoi, tree["branch_a"], "Trần Thị Lan", gender="nu", birth_date=PartialDate(1952))
    client.force_login(khoi)
    assert client.get("/hoi-vien/nhap/").status_code == 200
    rows = [["Hä vµ tªn", "N¨m sinh", "Chi héi"]] + [
        [to_tcvn3(name), year, to_tcvn3("Chi hội 1 Sở Tài chính")]
        for name, year in [("Nguyễn Văn Hùng", 1950), ("Trần Thị Lan", 1952), ("Lê Văn", "1950x")]
    ]
    upload = SimpleUploadedFile("danh sach.xls", xls_bytes(rows))
    response = client.post("/hoi-vien/nhap/", {"file": upload})
    batch = MemberImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-vien/nhap/{batch.pk}/"
    page = client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    assert "TCVN3 → Unicode" in page and "Nguyễn Văn Hùng" in page

    mapping = {f"field_{c['index']}": c["field"] or "" for c in batch.columns}
    mapping.update({f"encoding_{c['index']}": c["encoding"] for c in batch.columns})
    response = client.post(f"/hoi-vien/nhap/{batch.pk}/cot/", {**mapping, "remember": "on"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportState.ANALYSING
    page = client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    assert 'role="progressbar"' in page and "tien-do" in page
    tasks.run_job("analyse", batch.pk, khoi.pk)  # what the worker does
    response = client.get(f"/hoi-vien/nhap/{batch.pk}/tien-do/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == f"/hoi-vien/nhap/{batch.pk}/"

    page = client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    assert "Trùng hội viên đã có" in page and "Xác nhận nhập 2 dòng" in page
    errors = client.get(f"/hoi-vien/nhap/{batch.pk}/?loai=error").content.decode()
    assert "Dòng 4, cột B “Năm sinh”" in errors
    assert "Nguyễn Văn Hùng" not in errors

    hung = batch.rows.get(number=2)
    assert hung.raw == []  # a new row's cells stay in the sheet kept at upload, not copied per row
    form = client.get(f"/hoi-vien/nhap/dong/{hung.pk}/").content.decode()
    assert 'value="Nguyễn Văn Hùng"' in form and 'value="1950"' in form  # read back from the sheet

    row = batch.rows.get(number=4)
    response = client.post(
        f"/hoi-vien/nhap/dong/{row.pk}/",
        {f"cell_{i}": v for i, v in [(0, "Lê Văn Ba"), (1, "1950"), (2, "Chi hội 1 Sở Tài chính")]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == "new" and row.values["ten"] == "Ba"

    lan = batch.rows.get(number=3)
    client.post(f"/hoi-vien/nhap/dong/{lan.pk}/chon/", {"decision": "skip"}, HTTP_HX_REQUEST="true")
    lan.refresh_from_db()
    assert lan.decision == "skip"

    client.post(f"/hoi-vien/nhap/{batch.pk}/xac-nhan/")
    tasks.run_job("commit", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED and batch.counts["created"] == 2
    assert Member.objects.filter(ten__in=["Hùng", "Ba"], unit=tree["branch_a"]).count() == 2

    result = openpyxl.load_workbook(io.BytesIO(download(client.get(f"/hoi-vien/nhap/{batch.pk}/ket-qua.xlsx"))))
    lines = list(result.active.iter_rows(values_only=True))
    header = next(i for i, line in enumerate(lines) if line[:2] == ("STT", "Dòng"))
    column = lines[header].index("Kết quả")
    outcomes = {line[1]: line[column] for line in lines[header + 1 :]}
    assert outcomes == {2: "Đã thêm mới", 3: "Bỏ qua", 4: "Đã thêm mới"}
    assert lines[header + 1][2] == to_tcvn3("Nguyễn Văn Hùng")  # the input, repeated as it was
    for name in (storage.stored_file(batch), storage.cells_file(batch)):  # a restore without the files
        default_storage.delete(name)
    result = openpyxl.load_workbook(io.BytesIO(download(client.get(f"/hoi-vien/nhap/{batch.pk}/ket-qua.xlsx"))))
    lines = list(result.active.iter_rows(values_only=True))
    assert [line[column] for line in lines[header + 1 :]] == ["Đã thêm mới", "Bỏ qua", "Đã thêm mới"]

    client.post(f"/hoi-vien/nhap/{batch.pk}/hoan-tac/")
    tasks.run_job("undo", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.UNDONE
    assert not Member.objects.filter(ten__in=["Hùng", "Ba"]).exists()


@pytest.mark.parametrize(
    "name,data",
    [
        ("ds.xlsx", b"\x00" * 100),
        ("ds.xlsx", zip_bomb_xlsx()),
        ("ds.pdf", b"%PDF-1.4"),
        ("ds.xlsx", xlsx_bytes([["Họ và tên", "Năm sinh"], ["Nguyễn Văn A", 1950]])[:300]),
    ],
)
def test_bad_uploads_answer_with_a_message(client, cast, tree, name, data):
    client.force_login(cast["khoi"])
    response = client.post("/hoi-vien/nhap/", {"file": SimpleUploadedFile(name, data), "unit": tree["branch_a"].pk})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not MemberImport.objects.exists()


def test_row_and_column_limits(settings, cast, tree):
    settings.IMPORT_MAX_ROWS = 10
    rows = [["Họ và tên", "Năm sinh"]] + [[f"Nguyễn Văn {i}", 1950] for i in range(20)]
    with pytest.raises(FileRejected, match="vượt giới hạn 10 dòng"):
        read_upload("ds.csv", csv_bytes(rows))
    settings.IMPORT_MAX_COLUMNS = 5
    with pytest.raises(FileRejected, match="quá nhiều cột"):
        read_upload("ds.csv", csv_bytes([["a"] * 8]))


@given(data=st.binary(max_size=3000), extension=st.sampled_from(["xlsx", "xls", "ods", "csv"]))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzz_random_bytes_never_break_the_reader(data, extension):
    """Any bytes under any accepted name: either a sheet or a FileRejected, nothing else."""
    try:
        read_upload(f"ds.{extension}", data)
    except FileRejected as exc:
        assert str(exc)


@given(cut=st.integers(min_value=1, max_value=4000), flip=st.integers(min_value=0, max_value=255))
@settings(max_examples=60, deadline=None)
def test_fuzz_damaged_xlsx(cut, flip):
    data = bytearray(xlsx_bytes([["Họ và tên", "Năm sinh"], ["Nguyễn Văn A", 1950]]))
    data[cut % len(data)] ^= flip
    try:
        read_upload("ds.xlsx", bytes(data[: max(cut, 30)]))
    except FileRejected as exc:
        assert str(exc)


def test_export_is_a_printable_list_in_vietnamese_order(client, cast, tree):
    khoi = cast["khoi"]
    for name in ["Đỗ Văn Đức", "Lê Văn Dũng", "Trần An", "Phạm Thị Ánh", "=Cmd Văn Bình"]:
        admit(khoi, tree["branch_a"], name)
    client.force_login(khoi)
    response = client.get("/hoi-vien/xuat.xlsx", {"cot": ["full_name", "unit", "cccd"]})
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-hoi-vien.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(download(response)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "HỘI CỰU CHIẾN BINH VIỆT NAM"
    assert rows[1][0] == tree["bloc"].name.upper()
    header_index = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[header_index][:4] == ("STT", "Họ và tên", "Đơn vị", "Số CCCD")
    body = rows[header_index + 1 :]
    assert [r[1] for r in body] == ["Trần An", "Phạm Thị Ánh", "=cmd Văn Bình", "Lê Văn Dũng", "Đỗ Văn Đức"]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    formula_cell = sheet.cell(row=header_index + 4, column=2)
    assert formula_cell.data_type == "s" and formula_cell.value == "=cmd Văn Bình"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == f"${header_index + 1}:${header_index + 1}"
    # Fit to one page wide (1 is OOXML's default, so the attribute is left out), any pages tall.
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0


def test_export_leaves_out_sensitive_columns_for_viewers(client, cast, tree):
    admit(cast["khoi"], tree["branch_a"], "Trần An", cccd="001050000077")
    client.force_login(cast["uyvien"])
    book = openpyxl.load_workbook(
        io.BytesIO(download(client.get("/hoi-vien/xuat.xlsx", {"cot": ["cccd", "full_name"]})))
    )
    text = str(list(book.active.iter_rows(values_only=True)))
    assert "Trần An" in text and "001050000077" not in text and "Số CCCD" not in text


def test_blank_template_reads_back_as_an_import(client, cast, tree):
    client.force_login(cast["khoi"])
    data = download(client.get("/hoi-vien/nhap/mau.xlsx"))
    batch = services.import_upload(actor=cast["khoi"], file_name="mau.xlsx", data=data, default_unit=tree["branch_a"])
    fields = {c["label"]: c["field"] for c in batch.columns}
    assert fields["Họ và tên"] == "full_name" and fields["Số CCCD"] == "cccd" and fields["Chi hội"] == "unit"
    assert all(f for f in fields.values())


def test_new_rows_read_from_their_side_file_and_refused_without_it(client, cast, tree):
    """A clean new row's values live beside the upload; a restore without the files loses them,
    and the commit then refuses (naming the row) instead of writing empty members."""
    khoi = cast["khoi"]
    client.force_login(khoi)
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1962"]]
    batch = services.import_upload(actor=khoi, file_name="ds.csv", data=csv_bytes(rows), default_unit=tree["branch_a"])
    services.start_job(actor=khoi, batch=batch, job="analyse")
    tasks.run_job("analyse", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.rows.filter(values={}).count() == 2  # both new: their values are in the side file
    page = client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    assert "Đỗ Văn Mới" in page and "Đỗ Thị Hai" in page

    for part in range(len(batch.counts["new_parts"])):
        default_storage.delete(storage.new_values_file(batch, part))
    page = client.get(f"/hoi-vien/nhap/{batch.pk}/")
    assert page.status_code == 200 and "Đỗ Văn Mới" not in page.content.decode()
    count = Member.objects.count()
    client.post(f"/hoi-vien/nhap/{batch.pk}/xac-nhan/")
    tasks.run_job("commit", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.READY and "Dòng 2: không còn đọc được dữ liệu" in batch.message
    assert Member.objects.count() == count


def test_member_page_shows_the_admission_an_import_stands_for(client, cast, tree):
    khoi = cast["khoi"]
    client.force_login(khoi)
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"]]
    batch = services.import_upload(actor=khoi, file_name="ds.csv", data=csv_bytes(rows), default_unit=tree["branch_a"])
    services.start_job(actor=khoi, batch=batch, job="analyse")
    tasks.run_job("analyse", batch.pk, khoi.pk)
    services.start_job(actor=khoi, batch=batch, job="commit")
    tasks.run_job("commit", batch.pk, khoi.pk)
    member = Member.objects.get(ten="Mới")
    page = client.get(f"/hoi-vien/{member.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Kết nạp / tiếp nhận" in history and f"Nhập từ tệp “ds.csv” (lần nhập #{batch.pk})." in history
    assert f"bởi {khoi}" in history

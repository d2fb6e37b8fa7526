"""Import of awards received before the system: preview, commit all or nothing, template, access."""

import io

import openpyxl
import pytest
import python_calamine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.awards.history import services as history_services
from hoiccb.awards.models import AwardEvent, AwardImport, AwardRecord
from hoiccb.awards.rounds import services

HEADINGS = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Số thẻ hội viên",
    "Số CCCD",
    "Đơn vị",
    "Hình thức khen thưởng",
    "Năm",
    "Số quyết định",
    "Thành tích",
]


def xlsx(rows, headings=HEADINGS, title="DANH SÁCH KHEN THƯỞNG ĐÃ NHẬN") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append([])
    sheet.append(headings)
    for number, row in enumerate(rows, 1):
        sheet.append([number, *row])
    sheet.append([])
    sheet.append(["", "Người lập biểu"])
    sheet.append(["", "Nguyễn Văn Lập"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Name, birth year, card, CCCD, unit, form, year, decision, achievement (the file's rows 4…).
ROWS = [
    ["Nguyễn Văn Hùng", 1950, "YB001", "", "", "Kỷ niệm chương", 2019, "123/QĐ-TW", "Nhiều năm cống hiến"],
    ["LÊ THỊ ÂN", 1960, "", "", "Hội CCB Sở Tài chính", "giay-khen-khoi", 2018, "5/QĐ-CCB", ""],
    ["Le Thi An", 1960, "", "", "", "Giấy khen của Hội CCB Khối", 2018, "", ""],
    ["Trần Văn Hưng", 1952, "", "001052000002", "", "Kỷ niệm chương", 2019, "", ""],
    ["", "", "", "", "Hội CCB Sở Tài chính", "Giấy khen tập thể của Hội CCB Khối", 2020, "7/QĐ-CCB", "Vững mạnh"],
    ["Lê Thị Ân", 1960, "", "", "", "Huân chương Kháng chiến", 2017, "", ""],
    ["Lê Thị Ân", 1960, "", "", "", "Bằng khen của Hội CCB tỉnh", "20x9", "", ""],
    ["", "", "", "", "Hội CCB Sở Tài chính", "Bằng khen của Hội CCB tỉnh", 2021, "", ""],
    ["Lê Thị Ân", 1960, "", "", "Hội CCB Sở Y tế", "Bằng khen của Hội CCB tỉnh", 2021, "", ""],
]


def by_number(batch) -> dict[int, dict]:
    return {r["number"]: r for r in batch.rows}


def test_preview_classifies_every_row_with_a_reason(cast, tree, members, forms):
    batch = history_services.preview(actor=cast["coso1"], file_name="khen-thuong.xlsx", data=xlsx(ROWS))
    rows = by_number(batch)
    assert sorted(rows) == list(range(4, 13))  # the signature lines under the list are not rows
    assert (rows[4]["status"], rows[4]["member_id"]) == ("new", members["hung"].pk)  # by card number
    assert rows[4]["form"] == "Kỷ niệm chương «Cựu chiến binh Việt Nam»"  # the start of a name is enough
    assert (rows[5]["status"], rows[5]["member_id"]) == ("new", members["an"].pk)  # name + birth year in the unit
    assert rows[6]["status"] == "exists" and rows[6]["message"] == "Trùng dòng 5 của tệp: bỏ qua."
    # A member outside the chair's scope is "not found", and the reason names nobody.
    assert rows[7]["status"] == "error" and "Hưng" not in rows[7]["message"]
    assert "không tìm thấy hội viên" in rows[7]["message"] and "phạm vi của bạn" in rows[7]["message"]
    assert (rows[8]["status"], rows[8]["unit_id"], rows[8]["collective"]) == ("new", tree["unit_a"].pk, True)
    assert rows[9]["message"].startswith("Dòng 9, cột G “Hình thức khen thưởng”: không có hình thức")
    assert rows[10]["message"].startswith("Dòng 10, cột H “Năm”: năm khen thưởng ghi bốn chữ số")
    assert "dành cho cá nhân, dòng này chỉ ghi đơn vị" in rows[11]["message"]
    assert "Dòng 12, cột F “Đơn vị”: không tìm thấy đơn vị “Hội CCB Sở Y tế”" in rows[12]["message"]
    assert batch.counts == {"rows": 9, "new": 3, "exists": 1, "error": 5}
    assert (batch.created_by, batch.unit, batch.state) == (cast["coso1"], tree["unit_a"], "preview")
    assert AwardEvent.objects.filter(action="history_preview").count() == 1
    assert not AwardRecord.objects.exists()  # nothing is written before the user confirms


def test_commit_writes_the_confirmed_rows_once(cast, tree, members, forms):
    batch = history_services.preview(actor=cast["coso1"], file_name="khen-thuong.xlsx", data=xlsx(ROWS))
    assert history_services.commit(actor=cast["coso1"], batch=batch, skip={8}) == 2
    records = AwardRecord.objects.order_by("year")
    assert [(r.member, r.form.code, r.year, r.decision_text) for r in records] == [
        (members["an"], "giay-khen-khoi", 2018, "5/QĐ-CCB"),
        (members["hung"], "ky-niem-chuong", 2019, "123/QĐ-TW"),
    ]
    assert {r.source_import_id for r in records} == {batch.pk}
    assert records.get(year=2019).unit_path == tree["branch_a"].path
    batch.refresh_from_db()
    assert batch.state == "committed" and batch.counts["written"] == 2 and batch.committed_at
    assert by_number(batch)[4]["written"] and not by_number(batch)[8]["written"]
    with pytest.raises(ValidationError, match="đã được ghi rồi"):
        history_services.commit(actor=cast["coso1"], batch=batch)
    # The same file again: those two are now "Đã có".
    again = history_services.preview(actor=cast["coso1"], file_name="khen-thuong.xlsx", data=xlsx(ROWS))
    assert by_number(again)[4]["status"] == "exists" and by_number(again)[5]["status"] == "exists"
    assert by_number(again)[8]["status"] == "new"


def test_commit_is_all_or_nothing(cast, tree, members, forms):
    batch = history_services.preview(actor=cast["coso1"], file_name="khen-thuong.xlsx", data=xlsx(ROWS))
    # Someone records one of the rows by hand while the preview waits.
    history_services.award_record_add(
        actor=cast["khoi"], form=forms["ky-niem-chuong"], year=2019, member=members["hung"]
    )
    with pytest.raises(ValidationError, match="Dòng 4: đã được ghi vào lịch sử trong lúc chờ xác nhận"):
        history_services.commit(actor=cast["coso1"], batch=batch)
    assert AwardRecord.objects.count() == 1 and AwardRecord.objects.get().source_import is None
    batch.refresh_from_db()
    assert batch.state == "preview"


def test_a_second_once_in_a_lifetime_award_is_an_error(cast, tree, members, forms):
    history_services.award_record_add(
        actor=cast["khoi"], form=forms["ky-niem-chuong"], year=2015, member=members["hung"]
    )
    batch = history_services.preview(actor=cast["coso1"], file_name="k.xlsx", data=xlsx(ROWS[:1]))
    (row,) = batch.rows
    assert row["status"] == "error"
    assert row["message"] == "Dòng 4: đã nhận Kỷ niệm chương «Cựu chiến binh Việt Nam» năm 2015 (chỉ nhận một lần)."


def test_eligibility_rules_see_imported_awards(cast, tree, people, round_, forms):
    """A Kỷ niệm chương imported for 2019 makes a new nomination for it refused, with the reason."""
    rows = [["Lê Thị Ân", 1950, "", "", "Hội CCB Sở Tài chính", "Kỷ niệm chương", 2019, "", ""]]
    batch = history_services.preview(actor=cast["coso1"], file_name="knc.xlsx", data=xlsx(rows))
    history_services.commit(actor=cast["coso1"], batch=batch)
    services.quota_set(actor=cast["khoi"], round=round_, form=forms["ky-niem-chuong"], basis="number", value=2)

    def nominate(member):
        return services.nominate(
            actor=cast["coso1"],
            round=round_,
            form=forms["ky-niem-chuong"],
            unit=tree["unit_a"],
            member=member,
            summary="Nhiều năm cống hiến",
        )

    with pytest.raises(ValidationError) as refused:
        nominate(people["an"])
    assert refused.value.messages == [
        "Đã nhận Kỷ niệm chương «Cựu chiến binh Việt Nam» năm 2019 (chỉ được nhận một lần)."
    ]
    assert nominate(people["binh"]).member == people["binh"]  # another member of the unit is still eligible


def test_a_csv_file_is_read_too(cast, tree, members, forms):
    data = (
        "Họ và tên;Năm sinh;Số CCCD;Hình thức khen thưởng;Năm\nNguyễn Văn Hùng;1950;001050000001;Kỷ niệm chương;2019\n"
    )
    batch = history_services.preview(actor=cast["coso1"], file_name="ds.csv", data=data.encode())
    assert [(r["status"], r["member_id"]) for r in batch.rows] == [("new", members["hung"].pk)]


def test_template_downloads_and_reads_back(login, cast, tree, members, forms):
    client = login(cast["coso1"])
    response = client.get("/thi-dua/nhap-lich-su/mau.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet_read = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet_read.to_python()
    header = next(r for r in rows if "Họ và tên" in r)
    assert [c for c in header if c] == ["STT", *HEADINGS[1:]]
    assert any("HỘI CCB SỞ TÀI CHÍNH" in str(c) for r in rows[:3] for c in r)
    # Fill the template as a clerk would and upload it: the import reads its own template.
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    start = rows.index(header) + 2
    for col, value in enumerate([1, "Lê Thị Ân", 1960, "", "", "Hội CCB Sở Tài chính", "Kỷ niệm chương", 2020], 1):
        sheet.cell(row=start, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    upload = SimpleUploadedFile("mau-da-dien.xlsx", out.getvalue())
    response = client.post("/thi-dua/nhap-lich-su/", {"file": upload})
    batch = AwardImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/thi-dua/nhap-lich-su/{batch.pk}/"
    assert [(r["status"], r["member_id"]) for r in batch.rows] == [("new", members["an"].pk)]


def test_upload_preview_and_commit_pages(login, cast, tree, members, forms):
    client = login(cast["coso1"])
    page = client.get("/thi-dua/nhap-lich-su/").content.decode()
    assert "ky-niem-chuong" in page and "Tải tệp mẫu" in page
    response = client.post("/thi-dua/nhap-lich-su/", {"file": SimpleUploadedFile("ds.xlsx", xlsx(ROWS))})
    batch = AwardImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Mới: 3" in page and "Đã có: 1" in page and "Lỗi: 5" in page
    assert "Dòng 9, cột G “Hình thức khen thưởng”" in page and 'name="skip" value="8"' in page
    response = client.post(f"/thi-dua/nhap-lich-su/{batch.pk}/ghi/", {"skip": ["8"]}, follow=True)
    assert "Đã ghi 2 khen thưởng vào lịch sử." in response.content.decode()
    assert AwardRecord.objects.count() == 2
    history = client.get(f"/thi-dua/hoi-vien/{members['hung'].pk}/").content.decode()
    assert "2019 · Kỷ niệm chương «Cựu chiến binh Việt Nam» · QĐ 123/QĐ-TW" in history and "nhập từ tệp" in history
    again = client.post(f"/thi-dua/nhap-lich-su/{batch.pk}/ghi/", follow=True).content.decode()
    assert "Chưa ghi dòng nào: Tệp này đã được ghi rồi." in again and AwardRecord.objects.count() == 2
    assert "ds.xlsx" in client.get("/thi-dua/nhap-lich-su/").content.decode()  # the list of imports


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("ds.xlsx", b"%PDF-1.4 not a sheet", "không phải là tệp .xlsx thật"),
        ("ds.txt", b"Ho va ten", "Chỉ nhận tệp Excel"),
        ("ds.csv", b"", "The submitted file is empty|Tệp rỗng|trống"),
        ("ds.csv", "Họ và tên,Quê quán\nAn,Yên Bái\n".encode(), "Không tìm thấy dòng tiêu đề cột"),
        ("ds.csv", "Họ và tên,Hình thức khen thưởng,Năm\n".encode(), "không có dòng khen thưởng nào"),
    ],
)
def test_bad_files_get_a_message_not_a_500(login, cast, tree, forms, name, data, message):
    import re

    response = login(cast["coso1"]).post("/thi-dua/nhap-lich-su/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert re.search(message, response.content.decode())
    assert not AwardImport.objects.exists()


def test_imports_are_refused_outside_the_scope(login, cast, tree, members, forms):
    batch = history_services.preview(actor=cast["coso1"], file_name="rieng-a.xlsx", data=xlsx(ROWS))
    other = login(cast["coso2"])
    assert other.get(f"/thi-dua/nhap-lich-su/{batch.pk}/").status_code == 404
    assert other.post(f"/thi-dua/nhap-lich-su/{batch.pk}/ghi/").status_code == 404
    assert "rieng-a.xlsx" not in other.get("/thi-dua/nhap-lich-su/").content.decode()
    # The bloc sees its units' imports; a committee member cannot import at all.
    assert login(cast["khoi"]).get(f"/thi-dua/nhap-lich-su/{batch.pk}/").status_code == 200
    viewer = login(cast["uyvien"])
    for url in ("/thi-dua/nhap-lich-su/", "/thi-dua/nhap-lich-su/mau.xlsx", f"/thi-dua/nhap-lich-su/{batch.pk}/"):
        assert viewer.get(url).status_code == 404
    upload = SimpleUploadedFile("ds.xlsx", xlsx(ROWS))
    assert viewer.post("/thi-dua/nhap-lich-su/", {"file": upload}).status_code == 404
    assert AwardImport.objects.count() == 1 and not AwardRecord.objects.exists()

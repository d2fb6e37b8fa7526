"""The member-list import: real files in every format, legacy encodings, preview, commit, undo."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from hoiccb.conftest import admit
from hoiccb.lib import storage as lib_storage
from hoiccb.lib.dates import PartialDate
from hoiccb.lib.legacy_encodings import TCVN3_TABLE, Encoding, decode_tcvn3, decode_vni, detect_encoding
from hoiccb.lib.sheets.reading import FileRejected
from hoiccb.lib.vietnamese import title_case_name
from hoiccb.members.history import admitted_member_ids, member_history
from hoiccb.members.imports import analysis, committing, services, storage, tasks
from hoiccb.members.imports.storage import with_values
from hoiccb.members.models import EventKind, ImportState, Member, MemberEvent, RowDecision, RowStatus
from hoiccb.members.selectors import search_condition
from hoiccb.members.tests.spreadsheets import (
    csv_bytes,
    ods_bytes,
    to_tcvn3,
    to_vni,
    xls_bytes,
    xlsx_bytes,
    xlsxwriter_bytes,
)

NAMES = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Đức Thắng", "Phạm Quốc Việt", "Hoàng Ngọc Ánh"]
HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Ngày nhập ngũ", "Cấp bậc", "Đảng viên", "Chi hội", "Quê quán"]


def sample_rows():
    return [
        [1, "Nguyễn Văn Hùng", "05/6/1950", "3/1968", "Trung úy", "x", "Chi hội 1 Sở Tài chính", "Yên Bái"],
        [2, "Trần Thị Lan", "1952", "1970", "Thượng sĩ", "", "Chi hội 1 Sở Tài chính", "Phú Thọ"],
        [3, "Lê Đức Thắng", 18264.0, 1969, "Đại úy", "có", "Chi hội 1 Sở Tài chính", "Hà Nội"],
    ]


def upload(actor, name, data, unit=None):
    return services.import_upload(actor=actor, file_name=name, data=data, default_unit=unit)


def analysed(actor, name, data, unit=None):
    batch = upload(actor, name, data, unit)
    return analysis.analyse(batch, actor)


# --- Legacy encodings -------------------------------------------------------------


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) absent")
def test_tcvn3_table_matches_the_published_tcvn5712_table():
    """Every TCVN3 byte converts as glibc's TCVN5712-1 table (the published standard) says."""
    legacy = "".join(TCVN3_TABLE)
    published = subprocess.run(
        ["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=legacy.encode("latin-1"), capture_output=True, check=True
    ).stdout.decode()
    assert published == "".join(TCVN3_TABLE.values())
    assert len(TCVN3_TABLE) == 67 + 7  # 67 lower-case toned and shaped letters, 7 capitals


@pytest.mark.parametrize("name", [*NAMES, "Đặng Thị Ngọc Quỳnh", "Vũ Trường Giang", "Lưu Thế Mỹ"])
def test_legacy_round_trip(name):
    # VN3 has no toned capitals ("Á" is written as "á"): names are title-cased on import.
    assert title_case_name(decode_tcvn3(to_tcvn3(name))) == name
    assert decode_vni(to_vni(name)) == name
    assert decode_tcvn3(to_tcvn3(name.upper(), capitals_font=True)) == name.upper()


def test_known_legacy_strings():
    assert decode_tcvn3("NguyÔn V¨n Hïng") == "Nguyễn Văn Hùng"
    assert decode_tcvn3("Trung ®éi tr\xadëng") == "Trung đội trưởng"
    assert decode_tcvn3("NGUYÔN V¡N HïNG") == "NGUYỄN VĂN HÙNG"
    assert decode_vni("Nguyeãn Vaên Huøng") == "Nguyễn Văn Hùng"
    assert decode_vni("ÑAÏI UÙY") == "ĐẠI ÚY"


@pytest.mark.parametrize(
    "cells,expected",
    [
        (["NguyÔn V¨n Hïng", "TrÇn ThÞ Lan"], Encoding.TCVN3),
        (["Nguyeãn Vaên Huøng", "Traàn Thò Lan"], Encoding.VNI),
        (["Nguyễn Văn Hùng", "Tô Hà"], Encoding.UNICODE),
        (["Tô Hà", "Lê Thị Tô"], Encoding.UNICODE),
        (["José Muñoz"], Encoding.UNICODE),
        (["123", "Nam"], Encoding.UNICODE),
        (["Hµ Néi", "Yªn B¸i"], Encoding.TCVN3),
        (["Haø Noäi", "Yeân Baùi"], Encoding.VNI),
    ],
)
def test_encoding_detection(cells, expected):
    assert detect_encoding(cells) == expected


# --- Reading real files -----------------------------------------------------------


def messy_xlsx() -> bytes:
    """Title rows, headings over two rows with merged cells, a numbering row, blank rows, a footer."""
    title = [
        ["HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"],
        ["DANH SÁCH HỘI VIÊN NĂM 2024"],
        [],
    ]
    rows = [
        ["STT", "Họ và tên", "Năm sinh", None, "Ngày nhập ngũ", "Đảng viên", "Số CCCD", "Chi hội"],
        [None, None, "Nam", "Nữ", None, None, None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        [
            1,
            "NGUYỄN VĂN HÙNG",
            "05/6/1950",
            None,
            datetime.date(1968, 3, 1),
            "x",
            11050000001,
            "Chi hội 1 Sở Tài chính",
        ],
        [],
        [2, "trần thị lan", None, "1952", 25569.0, "", "001052000002", "chi hoi 1 so tai chinh"],
        [3, "Lê Đức Thắng", "5-6-1951", None, "6/1969", "12/1970", None, "A1"],
        [None, "Người lập biểu", None, None, None, None, None, None],
    ]
    return xlsx_bytes(rows, merges=["C4:D4", "A1:H1", "A2:H2"], title_rows=title)


def test_messy_layout_is_read(cast, tree):
    batch = analysed(cast["khoi"], "ds.xlsx", messy_xlsx())
    assert batch.header_row == 3
    fields = [c["field"] for c in batch.columns]
    assert fields == [
        "stt",
        "full_name",
        "birth_date_male",
        "birth_date_female",
        "enlisted_on",
        "party_member",
        "cccd",
        "unit",
    ]
    rows = with_values(batch, batch.rows.order_by("number"))
    assert [r.number for r in rows] == [7, 9, 10]
    assert all(r.status == RowStatus.NEW for r in rows), [r.errors for r in rows]
    hung, lan, thang = (r.values for r in rows)
    assert (hung["ho"], hung["chu_dem"], hung["ten"]) == ("Nguyễn", "Văn", "Hùng")
    assert hung["birth_date"] == "1950-06-05" and hung["gender"] == "nam"
    assert hung["enlisted_on"] == "1968-03-01" and hung["party_member"] is True
    assert hung["cccd"] == "011050000001"  # the leading zero Excel dropped is back
    assert lan["ho"] == "Trần" and lan["gender"] == "nu" and lan["birth_date"] == "1952"
    assert lan["enlisted_on"] == "1970-01-01"  # Excel serial 25569
    assert thang["birth_date"] == "1951-06-05" and thang["enlisted_on"] == "1969-06"
    assert thang["party_member"] is True and thang["party_joined_on"] == "1970-12"
    assert {r.values["unit_id"] for r in rows} == {tree["branch_a"].pk}


@pytest.mark.parametrize(
    "name,maker",
    [
        ("ds.xlsx", xlsxwriter_bytes),
        ("ds.xls", xls_bytes),
        ("ds.ods", ods_bytes),
        ("ds.csv", csv_bytes),
        ("ds.csv", lambda rows: csv_bytes(rows, bom=True, delimiter=";")),
    ],
)
def test_every_format_is_read(cast, tree, name, maker):
    data = maker([HEADINGS, *sample_rows()])
    batch = analysed(cast["khoi"], name, data)
    rows = with_values(batch, batch.rows.order_by("number"))
    assert [r.status for r in rows] == [RowStatus.NEW] * 3, [r.errors for r in rows]
    assert [r.values["ten"] for r in rows] == ["Hùng", "Lan", "Thắng"]
    assert rows[0].values["birth_date"] == "1950-06-05"
    assert rows[2].values["birth_date"] == "1950-01-01"  # 18264 is the serial of 01/01/1950


def test_tcvn3_and_vni_files_come_in_as_unicode(cast, tree):
    """Whole files typed in legacy fonts: headings and cells, as Excel and a CSV export keep them."""

    def encoded(encode):
        return [[encode(c) if isinstance(c, str) else c for c in row] for row in [HEADINGS, *sample_rows()]]

    batch = upload(cast["khoi"], "ds.xls", xls_bytes(encoded(to_tcvn3)))
    columns = {c["label"]: c for c in batch.columns}
    assert columns["Họ và tên"]["field"] == "full_name" and columns["Họ và tên"]["majority"] == "tcvn3"
    assert columns["Họ và tên"]["encoding"] == "auto"  # each cell by its own evidence
    assert columns["Họ và tên"]["converted"] == "Nguyễn Văn Hùng"
    assert columns["Quê quán"]["majority"] == "tcvn3"
    batch = analysis.analyse(batch, cast["khoi"])
    (first,) = with_values(batch, batch.rows.filter(number=2))
    assert first.status == RowStatus.NEW, first.errors
    assert first.values["ten"] == "Hùng" and first.values["hometown"] == "Yên Bái"
    assert first.values["rank"] == "Trung úy"
    assert any("TCVN3" in note for note in first.conversions)

    batch = analysed(cast["khoi"], "vni.csv", csv_bytes(encoded(to_vni), encoding="latin-1"))
    rows = with_values(batch, batch.rows.order_by("number"))
    assert [r.values["ten"] for r in rows] == ["Hùng", "Lan", "Thắng"], [r.errors for r in rows]
    assert rows[2].values["party_member"] is True


def test_capitals_font_names_are_title_cased(cast, tree):
    rows = [["Hä vµ tªn", "N¨m sinh"], [to_tcvn3("NGUYỄN VĂN HÙNG", capitals_font=True), 1950]]
    batch = analysed(cast["khoi"], "ds.xlsx", xlsx_bytes(rows), unit=tree["branch_a"])
    assert with_values(batch, batch.rows.all())[0].values["ten"] == "Hùng"


def test_errors_name_row_and_column(cast, tree):
    rows = [
        HEADINGS,
        [1, "Nguyễn Văn Hùng", "31/02/1950", "1968", "", "", "Chi hội 1 Sở Tài chính", ""],
        [2, "Trần Văn Bình", "1950", "1940", "", "hmm", "Chi hội 1 Sở Tài chính", ""],
        [3, "", "1950", "", "", "", "Chi hội 1 Sở Tài chính", "Hà Nội"],
        [4, "Lê Văn Cường", "1950", "", "", "", "Chi hoi 1 So Tai chinhh", ""],
    ]
    batch = analysed(cast["khoi"], "loi.xlsx", xlsx_bytes(rows))
    by_number = {r.number: r for r in batch.rows.all()}
    assert all(r.status == RowStatus.ERROR and r.decision == RowDecision.SKIP for r in by_number.values())
    assert by_number[2].errors == ["Dòng 2, cột C “Ngày sinh”: Ngày không tồn tại: “31/02/1950”."]
    assert "Dòng 3, cột F “Đảng viên”" in by_number[3].errors[0]
    assert "Thiếu họ tên" in by_number[4].errors[0]
    assert "; có phải “Chi hội 1 Sở Tài chính” hoặc" in by_number[5].errors[0]
    assert batch.counts["error"] == 4


def test_matches_duplicates_and_scope(cast, tree):
    khoi = cast["khoi"]
    registered = admit(khoi, tree["branch_a"], "Nguyễn Văn Hùng", birth_date=PartialDate(1950), cccd="001050000001")
    same_name = admit(khoi, tree["branch_a"], "Trần Thị Lan", gender="nu", birth_date=PartialDate(1952))
    outside = admit(khoi, tree["unit_b"], "Phạm Văn Xa", birth_date=PartialDate(1950), cccd="001050000009")
    rows = [
        ["Họ và tên", "Năm sinh", "Số CCCD", "Quê quán"],
        ["Nguyễn Văn Hùng", "1950", "001050000001", "Yên Bái"],  # same CCCD
        ["Trần Thị Lan", "1952", "", "Phú Thọ"],  # same name, year and unit
        ["Trần Thị Lan", "1952", "", "Phú Thọ"],  # the row above again
        ["Phạm Văn Xa", "1950", "001050000009", ""],  # registered outside the chair's subtree
        ["Đỗ Văn Mới", "1960", "", ""],
    ]
    batch = analysed(cast["coso1"], "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    by_number = {r.number: r for r in batch.rows.all()}
    assert (by_number[2].status, by_number[2].member_id) == (RowStatus.MATCH, registered.pk)
    assert (by_number[3].status, by_number[3].member_id) == (RowStatus.MATCH, same_name.pk)
    assert by_number[4].status == RowStatus.DUPLICATE and "Trùng với dòng 3" in by_number[4].notes[-1]
    assert by_number[5].status == RowStatus.ERROR and "ngoài phạm vi" in by_number[5].errors[0]
    assert outside.full_name not in str(by_number[5].errors)  # nothing about the other unit leaks
    assert by_number[6].status == RowStatus.NEW


def test_units_outside_the_subtree_cannot_receive_rows(cast, tree):
    rows = [["Họ và tên", "Năm sinh", "Đơn vị"], ["Nguyễn Văn Hùng", "1950", "Hội CCB Sở Y tế"]]
    batch = analysed(cast["coso1"], "ds.csv", csv_bytes(rows))
    row = batch.rows.get()
    assert row.status == RowStatus.ERROR and "không tìm thấy đơn vị “Hội CCB Sở Y tế”" in row.errors[0]
    with pytest.raises(PermissionDenied):
        upload(cast["coso1"], "ds.csv", csv_bytes(rows), unit=tree["unit_b"])


def test_commit_then_undo_as_a_whole(cast, tree):
    khoi = cast["khoi"]
    registered = admit(khoi, tree["branch_a"], "Nguyễn Văn Hùng", birth_date=PartialDate(1950), cccd="001050000001")
    before_version = registered.version
    rows = [
        ["Họ và tên", "Năm sinh", "Số CCCD", "Nơi ở hiện nay", "Chi hội"],
        ["Nguyễn Văn Hùng", "1950", "001050000001", "Tổ 5, phường Đồng Tâm", "Chi hội 1 Sở Tài chính"],
        ["Đỗ Văn Mới", "1960", "", "", "Chi hội 1 Sở Tài chính"],
        ["Đỗ Thị Hai", "1961", "", "", "Chi hội 1 Sở Tài chính"],
    ]
    batch = analysed(khoi, "ds.xlsx", xlsx_bytes(rows))
    assert batch.counts == {**batch.counts, "match": 1, "new": 2}
    count_before = Member.objects.count()
    committing.commit(batch, khoi)
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED and batch.counts["created"] == 2 and batch.counts["updated"] == 1
    assert Member.objects.count() == count_before + 2
    new = Member.objects.get(ten="Mới")
    assert new.unit == tree["branch_a"] and new.birth_year == 1960 and new.search_text == "do van moi"
    # Bulk-loaded members are in the search index (SQLite FTS5 / PostgreSQL trigram) at once.
    assert list(Member.objects.filter(search_condition(["van", "moi"]))) == [new]
    # The member carries the import; their history shows the admission it stands for.
    assert new.imported_in == batch and not new.events.exists()
    (admission,) = member_history(new)
    assert admission.action == EventKind.ADMITTED and admission.actor == khoi and admission.at == batch.committed_at
    assert admission.note == f"Nhập từ tệp “ds.xlsx” (lần nhập #{batch.pk})."
    assert sorted(admitted_member_ids(batch)) == sorted(
        Member.objects.filter(ten__in=["Mới", "Hai"]).values_list("pk", flat=True)
    )
    registered.refresh_from_db()
    assert registered.residence == "Tổ 5, phường Đồng Tâm" and registered.version == before_version + 1
    update_event = registered.events.get(action=EventKind.UPDATED)
    assert update_event.changes == {"Nơi ở hiện nay": ["", "Tổ 5, phường Đồng Tâm"]}
    assert update_event.batch == batch

    committing.undo(batch, khoi)
    batch.refresh_from_db()
    assert batch.state == ImportState.UNDONE
    assert Member.objects.count() == count_before
    registered.refresh_from_db()
    assert registered.residence == ""
    assert registered.events.first().note.startswith("Hoàn tác lần nhập")


def test_admission_names_the_unit_joined_and_undo_finds_members_without_the_id_range(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1961"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    committing.commit(batch, khoi)
    batch.refresh_from_db()
    created = sorted(Member.objects.filter(imported_in=batch).values_list("pk", flat=True))
    assert len(created) == 2
    # Counts saved over by an older copy of the batch: the range is gone, the members are still found.
    del batch.counts["created_ids"]
    batch.save(update_fields=["counts"])
    assert sorted(admitted_member_ids(batch)) == created

    from hoiccb.members import services as member_services

    moved = member_services.member_transfer(
        actor=khoi, member=Member.objects.get(ten="Mới"), to_unit=tree["unit_b"], on=datetime.date(2024, 5, 1)
    )
    admission, transfer = member_history(moved, oldest_first=True)
    assert admission.action == EventKind.ADMITTED and admission.to_unit == tree["branch_a"]
    assert (transfer.from_unit, transfer.to_unit) == (tree["branch_a"], tree["unit_b"])
    (stayed,) = member_history(Member.objects.get(ten="Hai"))
    assert stayed.to_unit == tree["branch_a"]
    # Anonymising clears saved entries; the admission is told from the import and is not one of them.
    from hoiccb.members.privacy.services import anonymisation_preview

    assert anonymisation_preview(moved)["events"] == 1


def test_row_fix_refused_once_the_commit_has_begun(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Văn Sai", "năm ngoái"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    row = batch.rows.get(status=RowStatus.ERROR)
    counts = dict(batch.counts)
    # The clerk's form was opened while the import was READY; the commit starts before it is sent.
    batch.__class__.objects.filter(pk=batch.pk).update(state=ImportState.COMMITTING)
    with pytest.raises(ValidationError, match="không còn ở bước xem trước"):
        services.row_fix(actor=khoi, row=row, cells={1: "1960"})
    batch.refresh_from_db()
    assert batch.counts == counts and batch.rows.get(pk=row.pk).status == RowStatus.ERROR


def test_reading_again_forgets_every_side_file_and_the_last_counts(cast, tree, monkeypatch):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1961"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    assert batch.counts["new"] == 2 and len(batch.counts["new_parts"]) == 1
    # A reading that died midway left a part no count lists.
    storage.save_new_values(batch, 1, [(9, {"ho": "Đỗ"})])
    parts = [storage.new_values_file(batch, part) for part in (0, 1)]
    assert all(lib_storage.exists(name) for name in parts)

    def dies(*args):
        raise RuntimeError("the worker died")

    monkeypatch.setattr(analysis, "_store", dies)
    with pytest.raises(RuntimeError):
        analysis.analyse(batch, khoi)
    assert not any(lib_storage.exists(name) for name in parts)
    batch.refresh_from_db()
    assert "new" not in batch.counts and "new_parts" not in batch.counts and not batch.rows.exists()


def test_undo_refused_after_a_later_change(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    committing.commit(batch, khoi)
    member = Member.objects.get(ten="Mới")
    from hoiccb.members import services as member_services

    member_services.member_update(actor=khoi, member=member, expected_version=1, changes={"phone": "0912345678"})
    with pytest.raises(committing.CommitRefused, match="đã có thay đổi sau lần nhập"):
        committing.undo(batch, khoi)
    assert Member.objects.filter(pk=member.pk).exists()


def test_commit_is_all_or_nothing(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh", "Số CCCD"], ["Đỗ Văn Một", "1960", ""], ["Đỗ Văn Hai", "1961", "001061000002"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    # Someone registers the second person's CCCD between the preview and the commit.
    admit(khoi, tree["unit_b"], "Người Khác", cccd="001061000002")
    count = Member.objects.count()
    services.start_job(actor=khoi, batch=batch, job="commit")
    tasks.run_job("commit", batch.pk, khoi.pk)
    batch.refresh_from_db()
    assert batch.state == ImportState.READY
    assert "Dòng 3: Số CCCD 001061000002 vừa được ghi" in batch.message
    assert Member.objects.count() == count
    assert not MemberEvent.objects.filter(batch=batch).exists()


@pytest.mark.django_db(transaction=True)
def test_jobs_run_in_the_background_worker(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1962"]]
    batch = upload(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    services.start_job(actor=khoi, batch=batch, job="analyse")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportState.READY and batch.counts["new"] == 2
    services.start_job(actor=khoi, batch=batch, job="commit")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    batch.refresh_from_db()
    assert batch.state == ImportState.COMMITTED
    assert Member.objects.filter(ten__in=["Mới", "Hai"]).count() == 2


def test_fix_a_row(cast, tree):
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Ngày sinh"], ["Nguyễn Văn Hùng", "31/02/1950"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    row = batch.rows.get()
    assert row.status == RowStatus.ERROR
    row = services.row_fix(actor=khoi, row=row, cells={1: "28/02/1950"})
    assert row.status == RowStatus.NEW and row.decision == RowDecision.CREATE
    assert row.values["birth_date"] == "1950-02-28"
    batch.refresh_from_db()
    assert batch.counts["new"] == 1 and batch.counts["error"] == 0


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("ds.exe", b"MZ\x90\x00", "Không nhận tệp “.exe”"),
        ("ds.xlsx", b"", "Tệp rỗng"),
        ("ds.xlsx", b"hello world, not a zip", "không phải là tệp .xlsx thật"),
        ("ds.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "đặt mật khẩu"),
        ("ds.xls", b"PK\x03\x04garbage", "hỏng"),
        ("ds.csv", b"\x00\x01\x02binary", "nhị phân"),
        ("ds.csv", "Chỉ một dòng chữ\n".encode(), "tiêu đề"),
    ],
)
def test_hostile_files_get_a_clear_message(cast, tree, name, data, message):
    count = Member.objects.count()
    with pytest.raises(FileRejected, match=message):
        upload(cast["khoi"], name, data, tree["branch_a"]) if "tiêu đề" not in message else _upload_csv(
            cast, tree, data
        )
    assert Member.objects.count() == count


def _upload_csv(cast, tree, data):
    return upload(cast["khoi"], "ds.csv", data, tree["branch_a"])


def test_a_match_that_would_break_the_record_is_an_error(cast, tree):
    """The file's enlistment year after the registered discharge: not an update, a row to fix."""
    khoi = cast["khoi"]
    admit(
        khoi,
        tree["branch_a"],
        "Nguyễn Văn Hùng",
        birth_date=PartialDate(1950),
        enlisted_on=PartialDate(1968),
        discharged_on=PartialDate(1975),
    )
    rows = [["Họ và tên", "Năm sinh", "Ngày nhập ngũ"], ["Nguyễn Văn Hùng", "1950", "1980"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    row = batch.rows.get()
    assert row.status == RowStatus.ERROR and row.decision == RowDecision.SKIP
    assert "Ngày xuất ngũ phải sau ngày nhập ngũ" in row.errors[0] and "Nguyễn Văn Hùng" in row.errors[0]


def test_undo_takes_back_an_import_committed_with_admission_entries(cast, tree):
    """Imports committed before members carried their import wrote one admission entry per member."""
    khoi = cast["khoi"]
    rows = [["Họ và tên", "Năm sinh"], ["Đỗ Văn Mới", "1960"], ["Đỗ Thị Hai", "1962"]]
    batch = analysed(khoi, "ds.csv", csv_bytes(rows), unit=tree["branch_a"])
    committing.commit(batch, khoi)
    batch.refresh_from_db()
    created = Member.objects.filter(imported_in=batch)
    for member in created:
        MemberEvent.objects.create(
            member=member, unit_path=member.unit_path, action=EventKind.ADMITTED, actor=khoi, batch=batch
        )
    created.update(imported_in=None)  # as the older commit left them
    count = Member.objects.count()
    committing.undo(batch, khoi)
    assert Member.objects.count() == count - 2

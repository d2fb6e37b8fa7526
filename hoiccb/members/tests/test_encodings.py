"""Lists that mix Unicode, TCVN3 and VNI cells land with every name exact, on the wizard's own guesses.

Legacy fixtures are encoded by glibc's iconv (TCVN5712-1, CP1258), not by our own tables.
"""

import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.lib.legacy_encodings import AUTO, Encoding, cell_encoding
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.lib.sheets.headings import readable
from hoiccb.lib.sheets.reading import read_upload
from hoiccb.members.imports import analysis, committing, services
from hoiccb.members.models import Member, MemberImport, RowStatus
from hoiccb.members.selectors import search_condition
from hoiccb.members.tests.spreadsheets import to_vni, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv (glibc) absent")


def iconv(text: str, encoding: str) -> str:
    """Return `text` as a legacy file holds it: iconv's bytes, one character per byte."""
    out = subprocess.run(["iconv", "-f", "UTF-8", "-t", encoding], input=text.encode(), capture_output=True, check=True)
    return out.stdout.decode("latin-1")


# Capitals without tone marks only: TCVN5712-1 puts toned capitals outside the VN3 range.
LEGACY = ["Nguyễn Văn Hùng", "Đỗ Thị Lương", "Trần Quốc Việt", "Phạm Thị Hằng", "Lê Đức Thắng", "Vũ Ngọc Bích"]
UNICODE = ["Lê Văn Hùng", "Trần Thị Bích", "Hoàng Văn Thái"]
PLACES = {"Nguyễn Văn Hùng": "Hà Nội", "Đỗ Thị Lương": "Yên Bái"}


def _rows(legacy_names, encode):
    head = [encode("Họ và tên"), encode("Năm sinh"), encode("Quê quán"), encode("Ghi chú")]
    rows = [[encode(n), 1950 + i, encode(PLACES.get(n, "Phú Thọ")), ""] for i, n in enumerate(legacy_names)]
    # Added later on a newer computer, at the bottom, in Unicode.
    rows += [[n, 1960 + i, "Hà Nội", "thêm sau"] for i, n in enumerate(UNICODE)]
    return [head, *rows]


def _import(actor, unit, name, data):
    batch = services.import_upload(actor=actor, file_name=name, data=data, default_unit=unit)
    batch = analysis.analyse(batch, actor)
    assert batch.counts.get(RowStatus.ERROR, 0) == 0, [r.errors for r in batch.rows.all()]
    committing.commit(batch, actor)
    return batch


def _names(unit) -> set[str]:
    return {m.full_name for m in Member.objects.filter(unit=unit)}


def test_tcvn3_list_with_unicode_rows_mixed_in(cast, tree):
    khoi, unit = cast["khoi"], tree["branch_a"]
    data = xls_bytes(_rows(LEGACY, lambda t: iconv(t, "TCVN5712-1")))
    batch = services.import_upload(actor=khoi, file_name="ds.xls", data=data, default_unit=unit)
    name = next(c for c in batch.columns if c["field"] == "full_name")
    assert name["encoding"] == AUTO and name["majority"] == Encoding.TCVN3
    assert [(p["label"], p["count"]) for p in name["mix"]] == [("TCVN3", 6), ("Unicode", 3)]
    assert next(c for c in batch.columns if c["label"] == "Ghi chú")["field"] == "notes"
    batch = analysis.analyse(batch, khoi)
    assert batch.counts.get(RowStatus.ERROR, 0) == 0
    committing.commit(batch, khoi)
    assert _names(unit) == {*LEGACY, *UNICODE}
    assert Member.objects.get(ten="Hùng", chu_dem="Văn", ho="Nguyễn").hometown == "Hà Nội"
    assert Member.objects.get(ho="Lê", chu_dem="Văn", ten="Hùng").hometown == "Hà Nội"


def test_vni_list_with_unicode_rows_mixed_in(cast, tree):
    khoi, unit = cast["khoi"], tree["branch_a"]
    _import(khoi, unit, "vni.xls", xls_bytes(_rows(LEGACY, to_vni)))
    assert _names(unit) == {*LEGACY, *UNICODE}
    assert Member.objects.get(ho="Đỗ").hometown == "Yên Bái"


def test_the_columns_page_shows_the_mix(client, cast, tree):
    client.force_login(cast["khoi"])
    data = xls_bytes(_rows(LEGACY, lambda t: iconv(t, "TCVN5712-1")))
    client.post("/hoi-vien/nhap/", {"file": SimpleUploadedFile("ds.xls", data), "unit": tree["branch_a"].pk})
    page = client.get(f"/hoi-vien/nhap/{MemberImport.objects.get().pk}/").content.decode()
    assert "TCVN3, 6 ô; Unicode, 3 ô" in page
    assert "Nguyễn Văn Hùng" in page and "Lê Văn Hùng" in page  # one example of each


@pytest.mark.parametrize("name", ["Lê Văn Hùng", "Bích", "Lê Hùng", "Trần Thị Bích", "Hoàng", "Hồ Chí Minh", "Tô Hà"])
@pytest.mark.parametrize("forced", [Encoding.TCVN3, Encoding.VNI])
def test_forcing_a_column_never_touches_unicode_cells(name, forced):
    assert cell_text(name, forced) == name
    assert cell_text(name, AUTO, forced) == name or name == "Hoàng"  # "Hoàng" alone is also VNI "Hồng"


def test_forcing_converts_the_legacy_cells_of_the_column(cast, tree):
    khoi, unit = cast["khoi"], tree["branch_a"]
    batch = services.import_upload(
        actor=khoi,
        file_name="ds.xls",
        data=xls_bytes(_rows(LEGACY, lambda t: iconv(t, "TCVN5712-1"))),
        default_unit=unit,
    )
    fields = {c["index"]: c["field"] for c in batch.columns}
    services.import_set_columns(
        actor=khoi,
        batch=batch,
        fields=fields,
        encodings=dict.fromkeys(fields, "tcvn3"),
        default_unit=unit,
        remember=False,
    )
    batch.refresh_from_db()
    _commit(khoi, batch)
    assert _names(unit) == {*LEGACY, *UNICODE}


def _commit(actor, batch):
    batch = analysis.analyse(batch, actor)
    assert batch.counts.get(RowStatus.ERROR, 0) == 0, [r.errors for r in batch.rows.all()]
    committing.commit(batch, actor)


def test_unconverted_legacy_names_are_errors_not_garbled_members(cast, tree):
    """Forced to Unicode, a TCVN3 name is not title-cased into something nobody can convert back."""
    khoi, unit = cast["khoi"], tree["branch_a"]
    rows = [["Họ và tên", "Năm sinh"], [iconv("Nguyễn Văn Hùng", "TCVN5712-1"), 1950]]
    batch = services.import_upload(actor=khoi, file_name="ds.xlsx", data=xlsx_bytes(rows), default_unit=unit)
    fields = {c["index"]: c["field"] for c in batch.columns}
    batch = services.import_set_columns(
        actor=khoi,
        batch=batch,
        fields=fields,
        encodings=dict.fromkeys(fields, "unicode"),
        default_unit=unit,
        remember=False,
    )
    batch = analysis.analyse(batch, khoi)
    row = batch.rows.get()
    assert row.status == RowStatus.ERROR and "ký tự lạ" in row.errors[0]


@pytest.mark.parametrize(
    "typed,expected",
    [
        (iconv("Ghi chú", "TCVN5712-1"), "Ghi chú"),  # "Ghi chó" is Unicode words too
        (iconv("Họ và tên", "TCVN5712-1"), "Họ và tên"),
        (iconv("Quê quán", "TCVN5712-1"), "Quê quán"),
        ("Ghi chú", "Ghi chú"),
        ("Nơi ở hiện nay", "Nơi ở hiện nay"),
    ],
)
def test_tcvn3_headings_that_are_also_unicode_words(typed, expected):
    assert readable(typed) == expected


def test_nfd_and_invisible_characters_in_names(cast, tree):
    import unicodedata

    khoi, unit = cast["khoi"], tree["branch_a"]
    rows = [
        ["Họ và tên", "Năm sinh"],
        [unicodedata.normalize("NFD", "Nguyễn Văn Hùng"), 1950],
        ["\ufeffTrần\u200b Thị\u00a0Lan\u200e", 1951],
        ["Lê Đức\u202e Thắng\u2060", 1952],
    ]
    _import(khoi, unit, "ds.xlsx", xlsx_bytes(rows))
    assert _names(unit) == {"Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Đức Thắng"}
    lan = Member.objects.get(ten="Lan")
    assert lan.ho == "Trần" and lan.chu_dem == "Thị"
    assert list(Member.objects.filter(search_condition(["tran", "lan"]))) == [lan]


def test_windows_1258_csv(cast, tree):
    """Excel on Vietnamese Windows saves CSV in Windows-1258: base letters plus combining tone marks."""
    khoi, unit = cast["khoi"], tree["branch_a"]
    names = [*LEGACY, *UNICODE, "Hồ Thị Ánh"]
    text = "Họ và tên;Năm sinh;Quê quán\n" + "".join(f"{n};{1950 + i};Hà Nội\n" for i, n in enumerate(names))
    data = iconv(text, "CP1258").encode("latin-1")
    assert read_upload("ds.csv", data).rows[1] == ["Nguyễn Văn Hùng", "1950", "Hà Nội"]
    _import(khoi, unit, "ds.csv", data)
    assert _names(unit) == set(names)


def test_each_cell_by_its_own_evidence():
    tcvn3 = iconv("Nguyễn Văn Hùng", "TCVN5712-1")
    assert cell_encoding(tcvn3) == Encoding.TCVN3
    assert cell_encoding("Nguyeãn Vaên Huøng") == Encoding.VNI
    assert cell_encoding("Lê Hùng", AUTO, Encoding.TCVN3) == Encoding.UNICODE  # not "Lờ Hựng"
    assert cell_encoding("Bích", AUTO, Encoding.TCVN3) == Encoding.UNICODE  # not "Bớch"
    assert cell_encoding("José Muñoz", AUTO, Encoding.TCVN3) == Encoding.UNICODE


@pytest.mark.parametrize(
    "data",
    [
        "Họ và tên;Quê quán\nNguyễn Văn Hùng;Hà Nội\n".encode("utf-16"),
        "Họ và tên;Quê quán\nNguyễn Văn Hùng;Hà Nội\n".encode("utf-8-sig"),
        iconv("Họ và tên;Quê quán\nNguyễn Văn Hùng;Hà Nội\n", "CP1258").encode("latin-1"),
    ],
)
def test_csv_encodings_are_told_apart(data):
    assert read_upload("ds.csv", data).rows[1] == ["Nguyễn Văn Hùng", "Hà Nội"]


def test_a_tcvn3_csv_is_not_taken_for_windows_1258():
    data = iconv("Họ và tên;Quê quán\nNguyễn Văn Hùng;Hà Nội\nĐỗ Thị Lương;Yên Bái\n", "TCVN5712-1").encode("latin-1")
    rows = read_upload("ds.csv", data).rows
    assert [cell_text(c) for c in rows[2]] == ["Đỗ Thị Lương", "Yên Bái"]

"""Decisions for a whole kind of rows on the preview: all matches, or the matches that differ in one field."""

from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.imports import analysis, committing
from hoiccb.members.imports.storage import with_values
from hoiccb.members.models import Member, MemberImport, RowDecision, RowStatus
from hoiccb.members.tests.spreadsheets import xlsx_bytes


def _preview(client, cast, tree):
    khoi, unit = cast["khoi"], tree["branch_a"]
    for name, year, hometown in [
        ("Nguyễn Văn Hùng", 1950, "Yên Bái"),
        ("Trần Văn An", 1951, "Phú Thọ"),
        ("Lê Văn Ba", 1952, "Hà Nội"),
    ]:
        admit(khoi, unit, name, birth_date=PartialDate(year), hometown=hometown)
    rows = [
        ["Họ và tên", "Năm sinh", "Quê quán"],
        ["Nguyễn Văn Hùng", 1950, "Lào Cai"],  # differs in the hometown
        ["Trần Văn An", 1951, "Tuyên Quang"],  # differs in the hometown
        ["Lê Văn Ba", 1952, "Hà Nội"],  # the same as registered
        ["Phạm Văn Mới", 1953, "Hà Nội"],  # new
    ]
    client.force_login(khoi)
    client.post("/hoi-vien/nhap/", {"file": SimpleUploadedFile("ds.xlsx", xlsx_bytes(rows)), "unit": unit.pk})
    batch = MemberImport.objects.get()
    mapping = {f"field_{c['index']}": c["field"] or "" for c in batch.columns}
    mapping.update({f"encoding_{c['index']}": c["encoding"] for c in batch.columns})
    client.post(f"/hoi-vien/nhap/{batch.pk}/cot/", {**mapping, "unit": unit.pk})
    batch.refresh_from_db()
    return analysis.analyse(batch, khoi)


def _decisions(batch) -> dict[str, str]:
    return {r.values["ten"]: r.decision for r in with_values(batch, batch.rows.order_by("number"))}


def test_skip_all_matches_then_update_those_that_differ_in_the_hometown(client, cast, tree):
    batch = _preview(client, cast, tree)
    assert batch.counts["match"] == 3 and batch.counts["new"] == 1
    page = client.get(f"/hoi-vien/nhap/{batch.pk}/").content.decode()
    assert "Khác quê quán" in page and "Không khác gì hồ sơ đã có" in page

    url = f"/hoi-vien/nhap/{batch.pk}/chon-ca-loai/"
    response = client.post(url, {"status": "match", "decision": "skip", "group": "*"}, follow=True)
    assert "Đã chọn “Bỏ qua” cho 3 dòng." in response.content.decode()
    assert _decisions(batch) == {"Hùng": "skip", "An": "skip", "Ba": "skip", "Mới": "create"}

    client.post(url, {"status": "match", "decision": "update", "group": "hometown"})
    assert _decisions(batch) == {"Hùng": "update", "An": "update", "Ba": "skip", "Mới": "create"}

    committing.commit(batch, cast["khoi"])
    assert Member.objects.get(ten="Hùng").hometown == "Lào Cai"
    assert Member.objects.filter(ten="Ba").count() == 1 and Member.objects.filter(ten="Mới").exists()


def test_a_decision_a_kind_of_row_cannot_take_is_refused(client, cast, tree):
    batch = _preview(client, cast, tree)
    url = f"/hoi-vien/nhap/{batch.pk}/chon-ca-loai/"
    page = client.post(url, {"status": "error", "decision": "create", "group": "*"}, follow=True).content.decode()
    assert "Lựa chọn không hợp lệ cho loại dòng này." in page
    assert set(batch.rows.filter(status=RowStatus.MATCH).values_list("decision", flat=True)) == {RowDecision.UPDATE}


def test_another_unit_cannot_decide_for_the_import(client, cast, tree):
    batch = _preview(client, cast, tree)
    client.force_login(cast["coso2"])
    response = client.post(f"/hoi-vien/nhap/{batch.pk}/chon-ca-loai/", {"status": "match", "decision": "skip"})
    assert response.status_code == 404
    assert set(batch.rows.filter(status=RowStatus.MATCH).values_list("decision", flat=True)) == {RowDecision.UPDATE}

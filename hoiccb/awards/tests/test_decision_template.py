"""The decision's Word template: upload (checked), download, back to the default, who and when."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from hoiccb.awards.documents import decision_template
from hoiccb.awards.models import AwardEvent
from hoiccb.awards.tests.test_flow import full_round
from hoiccb.lib import storage
from hoiccb.lib.word import to_bytes
from hoiccb.news.samples import pdf_bytes

URL = "/thi-dua/mau-quyet-dinh/"


def word(*paragraphs: str, rows: bool = False) -> bytes:
    """A .docx with these paragraphs (and, with rows=True, the recipients as table rows)."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if rows:
        table = doc.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "{%tr for r in recipients %}"
        table.rows[1].cells[0].text, table.rows[1].cells[1].text = "{{ r.stt }}", "{{ r.name }}"
        table.rows[2].cells[0].text = "{%tr endfor %}"
    return to_bytes(doc)


GOOD = word("MẪU RIÊNG CỦA VĂN PHÒNG", "Số: {{ number }}", "{{ unit_name|upper }} – {{ date_line }}", rows=True)


def upload(client, data: bytes, name="mau.docx"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_only_system_administrators_reach_the_page(login, cast):
    assert login(cast["admin"]).get(URL).status_code == 200
    for user in ("khoi", "coso1", "uyvien"):
        client = login(cast[user])
        assert client.get(URL).status_code == 404
        assert client.get(URL + "tai-ve.docx").status_code == 404
        assert client.post(URL, {"file": SimpleUploadedFile("m.docx", GOOD)}).status_code == 404
        assert client.post(URL + "mac-dinh/").status_code == 404
    assert not storage.exists(decision_template.template_path())


def test_a_good_template_is_used_for_decisions_and_kept_with_who_and_when(login, cast, round_, tree, people, forms):
    decision = full_round(round_, cast, tree, people, forms)
    client = login(cast["admin"])
    page = upload(client, GOOD, "Mẫu của văn phòng.docx").content.decode()
    assert "Đã thay mẫu quyết định" in page and "Mẫu do quản trị tải lên" in page
    assert "Thay mẫu quyết định khen thưởng bằng tệp «Mẫu của văn phòng.docx»" in page and "admin" in page
    event = AwardEvent.objects.get(action="template_upload")
    assert event.actor == cast["admin"] and event.changes["size"] == len(GOOD)
    assert storage.read(decision_template.template_path()) == GOOD
    doc = Document(io.BytesIO(login(cast["khoi"]).get(f"/thi-dua/quyet-dinh/{decision.pk}/tai-ve.docx").content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [
        "MẪU RIÊNG CỦA VĂN PHÒNG",
        "Số: 01/QĐ-CCB",
        "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH – Yên Bái, ngày 05 tháng 6 năm 2024",
    ]
    assert [(r.cells[0].text, r.cells[1].text) for r in doc.tables[0].rows] == [
        ("1", "Lê Thị Ân"),
        ("2", "Nguyễn Văn Hùng"),
        ("3", "Trần Văn Hải"),
    ]
    download = login(cast["admin"]).get(URL + "tai-ve.docx")
    assert b"".join(download.streaming_content) == GOOD
    assert "M%E1%BA%ABu%20quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh" in download["Content-Disposition"]


@pytest.mark.parametrize(
    "data,message",
    [
        (word("Số: {{ number }"), "Mẫu không dùng được: thẻ «{{ number }» viết sai"),
        (word("{% for r in recipients %}{{ r.name }}"), "Mẫu không dùng được: thiếu thẻ đóng {% endfor %}"),
        (word("Số: {{ so_quyet_dinh }}"), "Mẫu dùng trường «so_quyet_dinh» không có trong quyết định."),
        (pdf_bytes(["QUYET DINH"]), "Tệp không phải văn bản Word .docx"),
        (b"PK\x03\x04 not really a zip", "Tệp không phải văn bản Word .docx"),
    ],
    ids=["broken-tag", "unclosed-loop", "unknown-field", "pdf", "truncated"],
)
def test_a_bad_template_is_refused_with_a_message_and_the_old_one_stays(login, cast, data, message):
    client = login(cast["admin"])
    upload(client, GOOD)
    page = upload(client, data).content.decode()
    assert message in page, page[page.find("invalid-feedback") - 200 :][:800]
    assert storage.read(decision_template.template_path()) == GOOD
    assert AwardEvent.objects.filter(action="template_upload").count() == 1


def test_too_large_a_file_is_refused(login, cast, monkeypatch):
    monkeypatch.setattr(decision_template, "TEMPLATE_MAX_BYTES", 1000)
    with pytest.raises(Exception, match="lớn hơn"):
        decision_template.check(GOOD)
    assert "Tệp lớn hơn" in upload(login(cast["admin"]), GOOD).content.decode()
    assert not storage.exists(decision_template.template_path())


def test_default_downloaded_and_restored(login, cast, round_, tree, people, forms):
    client = login(cast["admin"])
    default = Document(io.BytesIO(b"".join(client.get(URL + "tai-ve.docx").streaming_content)))
    left = [p.text for row in default.tables[0].rows for p in row.cells[0].paragraphs if p.text]
    assert left == ["{{ parent_name|upper }}", "{{ unit_name|upper }}", "Số: {{ number }}"]
    decision_template.check(decision_template.default_template())  # the default passes its own check
    assert "Đang dùng mẫu mặc định." in client.post(URL + "mac-dinh/", follow=True).content.decode()
    upload(client, GOOD)
    page = client.post(URL + "mac-dinh/", follow=True).content.decode()
    assert "Đã quay về mẫu quyết định mặc định." in page and "Mẫu mặc định" in page
    assert not storage.exists(decision_template.template_path())
    assert AwardEvent.objects.filter(action="template_reset", actor=cast["admin"]).count() == 1
    decision = full_round(round_, cast, tree, people, forms)
    assert "QUYẾT ĐỊNH" in [p.text for p in Document(io.BytesIO(decision_template.decision_docx(decision))).paragraphs]


def test_a_template_broken_on_the_server_falls_back_to_the_default(cast, round_, tree, people, forms, caplog):
    decision = full_round(round_, cast, tree, people, forms)
    storage.write(decision_template.template_path(), word("Số: {{ number }"))  # put there by hand, never checked
    doc = Document(io.BytesIO(decision_template.decision_docx(decision)))
    assert "QUYẾT ĐỊNH" in [p.text for p in doc.paragraphs]
    assert "does not render" in caplog.text


MALICIOUS = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
]


@pytest.mark.parametrize("tag", MALICIOUS)
def test_a_template_reaching_into_the_server_is_refused_and_never_run(login, cast, tag, tmp_path):
    marker = tmp_path / "da-chay-lenh"
    data = word("Số: {{ number }}", tag.replace("MARKER", str(marker)))
    page = upload(login(cast["admin"]), data).content.decode()
    assert "Mẫu bị từ chối: có thẻ {{ … }} truy cập vào bên trong hệ thống" in page
    assert not storage.exists(decision_template.template_path()) and not marker.exists()
    assert "subclasses" not in page and "&lt;class" not in page


def test_a_malicious_template_put_on_the_server_by_hand_renders_the_default(
    round_, cast, tree, people, forms, tmp_path
):
    decision = full_round(round_, cast, tree, people, forms)
    marker = tmp_path / "da-chay-lenh"
    storage.write(
        decision_template.template_path(), word("Số: {{ number }}", MALICIOUS[1].replace("MARKER", str(marker)))
    )
    doc = Document(io.BytesIO(decision_template.decision_docx(decision)))
    assert not marker.exists()
    assert any(p.text == "QUYẾT ĐỊNH" for p in doc.paragraphs)  # the default, not the planted one

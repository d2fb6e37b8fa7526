"""The Decree 30 layout: numbers and dates, column widths, the header grid, page numbers, the sandbox."""

import datetime
import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from jinja2.exceptions import SecurityError

from hoiccb.lib import word
from hoiccb.lib.pdf import docx_to_pdf, soffice
from hoiccb.lib.tests import pdfcheck


@pytest.mark.parametrize(
    "seq,suffix,expected",
    [
        (1, "QĐ-CCB", "01/QĐ-CCB"),
        (9, "TTr-CCB", "09/TTr-CCB"),
        (12, "QĐ-CCB", "12/QĐ-CCB"),
        (105, "BC-CCB", "105/BC-CCB"),
    ],
)
def test_numbers_below_10_take_a_leading_zero(seq, suffix, expected):
    assert word.doc_number(seq, suffix) == expected


def test_a_document_without_a_number_leaves_room_to_write_it():
    assert word.doc_number(None, "GM-CCB") == "……/GM-CCB"


@pytest.mark.parametrize(
    "day,expected",
    [
        (datetime.date(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (datetime.date(2024, 1, 31), "ngày 31 tháng 01 năm 2024"),
        (datetime.date(2024, 6, 5), "ngày 05 tháng 6 năm 2024"),
        (datetime.date(2024, 3, 10), "ngày 10 tháng 3 năm 2024"),
        (datetime.date(2024, 12, 1), "ngày 01 tháng 12 năm 2024"),
        (datetime.date(2025, 11, 20), "ngày 20 tháng 11 năm 2025"),
    ],
)
def test_dates_as_decree_30_writes_them(day, expected):
    assert word.day_text(day) == expected
    assert word.date_line("Yên Bái", day) == f"Yên Bái, {expected}"


def test_date_line_without_a_date_leaves_blanks():
    assert word.date_line("", None) == "……, ngày …… tháng …… năm ……"


def test_columns_are_sized_to_their_content():
    rows = [
        (str(i), "Nguyễn Thị Phương Thảo", "1955", "Hội CCB Sở Tài nguyên và Môi trường tỉnh") for i in range(1, 30)
    ]
    widths = word.fit_widths(("STT", "Họ và tên", "Năm sinh", "Đơn vị"), rows)
    assert sum(widths) == pytest.approx(word.TEXT_WIDTH)
    stt, name, year, unit = widths
    assert stt < 18 and stt >= 3 * word.HEADING_MM_PER_CHAR  # narrow, but "STT" does not break
    assert name > 2 * stt and unit > name and year < name


def test_header_grid_and_cells_agree():
    doc = word.new()
    header = word.decree_header(doc, parent_name="A", unit_name="B", number="01/QĐ-CCB", date_line="Yên Bái")
    grid = [int(c.get(qn("w:w"))) for c in header._tbl.tblGrid.findall(qn("w:gridCol"))]
    for row in header.rows:
        assert [int(cell._tc.tcPr.tcW.get(qn("w:w"))) for cell in row.cells] == grid
    assert sum(grid) == pytest.approx(word.TEXT_WIDTH * 1440 / 25.4, abs=2)
    assert header._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"


def test_page_numbers_from_page_2_and_the_header_on_one_line():
    doc = word.new()
    word.decree_header(
        doc,
        parent_name="HỘI CCB TỈNH YÊN BÁI",
        unit_name="HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH",
        number=word.doc_number(5, "BC-CCB"),
        date_line=word.date_line("Yên Bái", datetime.date(2024, 2, 5)),
    )
    word.doc_title(doc, "BÁO CÁO", "Kết quả công tác Hội 6 tháng đầu năm 2024")
    word.body(doc, ["Hội viên tham gia đầy đủ các buổi sinh hoạt chi hội, giữ gìn phẩm chất. " * 6] * 24)
    word.signature(doc, receivers=["- Lưu: VT."], signer=word.Signature(name="Nguyễn Văn Thắng"))
    pages = pdfcheck.read(docx_to_pdf(word.to_bytes(doc)))
    assert len(pages.pages) >= 3
    pdfcheck.check_decree_30(pages, signer="Nguyễn Văn Thắng")
    assert "Số: 05/BC-CCB" in pages.text and "ngày 05 tháng 02 năm 2024" in pages.text


def test_a_check_that_would_catch_a_wrapped_motto():
    # The checker itself must fail on a document whose national name is broken over two lines.
    doc = word.new()
    word.para(doc, "CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM")
    word.para(doc, "Nguyễn Văn Thắng")
    with pytest.raises(AssertionError, match="national name"):
        pdfcheck.check_decree_30(pdfcheck.read(docx_to_pdf(word.to_bytes(doc))), signer="Nguyễn Văn Thắng")


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__['os'].popen('touch /tmp/hoiccb-pwned').read() }}",
    ],
)
def test_a_template_cannot_reach_python_internals(tag):
    doc = Document()
    doc.add_paragraph(tag)
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(SecurityError):
        word.render_template(out.getvalue(), {})


def page_break_paragraphs(doc) -> list[str]:
    """The text of every paragraph that holds a page break run (a break paragraph)."""
    return [p.text for p in doc.paragraphs if p._p.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")]


def full_page_then(start_next_part) -> bytes:
    """A first page filled to its last line (36 lines of exactly 20 pt in the 257 mm between the
    margins: no room for a 37th), then `start_next_part(doc)`, then a part that opens with the header."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    doc = word.new(page_numbers=False)
    for line in range(36):
        p = word.para(doc, f"Dòng {line + 1}", after=0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(20)
    start_next_part(doc)
    word.decree_header(doc, parent_name="HỘI CCB TỈNH", unit_name="HỘI CCB KHỐI", number="01/GM-CCB", date_line="")
    word.para(doc, "Phần sau")
    return word.to_bytes(doc)


def test_a_new_page_after_a_full_page_leaves_no_blank_page():
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    docx = full_page_then(word.new_page)
    doc = Document(io.BytesIO(docx))
    assert page_break_paragraphs(doc) == []
    (starter,) = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert starter._p.getnext().tag == qn("w:tbl")  # it stands between the page and the header table
    pages = pdfcheck.read(docx_to_pdf(docx)).pages
    assert len(pages) == 2 and "Dòng 36" in pages[0]
    assert "CỘNG HÒA" in pages[1] and "Phần sau" in pages[1]
    # The control: a break paragraph in its place leaves page 2 blank, so the first page is full indeed.
    old = pdfcheck.read(docx_to_pdf(full_page_then(lambda doc: doc.add_page_break()))).pages
    assert len(old) == 3 and old[1].strip() == "" and "CỘNG HÒA" in old[2]

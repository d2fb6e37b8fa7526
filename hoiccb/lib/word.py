"""Word layout of official documents (Decree 30/2020/NĐ-CP), in python-docx.

Every DOCX the system produces is laid out here, on plain values (strings, dates, lists;
never models):

- `doc_number`, `day_text`, `date_line`: "05/QĐ-CCB", "ngày 05 tháng 02 năm 2024" (days
  below 10 and the months 1 and 2 take a leading zero, as the Decree writes them);
- `setup_page`: A4 portrait, margins 20/20/30/15 mm, Times New Roman 14, page numbers centred
  in the top margin from page 2;
- `decree_header`: the two-column header, a table whose grid and cell widths agree: parent
  body over issuing body with a short rule, the national name and motto with a rule, then
  "Số: …" level with the italic place-and-date line (same table row);
- `doc_title`: document type and subject, centred bold, a short rule under the subject;
- `para`, `titles`, `body`: one-run paragraphs, centred bold headings, justified indented text;
- `signature_block`: "Nơi nhận:" (bold italic 12) and its list (11) on the left; on behalf of
  whom, the title, room for signature and seal, and the name on the right;
- `list_table`: a bordered table whose columns are sized to their content (STT narrow, names
  wide) unless widths are given;
- `to_bytes`: the document as .docx bytes;
- `render_template`: a Word template (docxtpl) rendered in Jinja's sandbox, for every template
  a user may replace.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
# The header's columns: the right one holds "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold 12 pt,
# about 88 mm) on one line in Word and LibreOffice alike, cell margins included.
HEADER_WIDTHS = (65, 100)
SIGNATURE_WIDTHS = (75, 90)
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


# --- Numbers and dates, as Decree 30 writes them --------------------------------------------


def doc_number(seq: int | None, suffix: str) -> str:
    """Return "05/QĐ-CCB" for (5, "QĐ-CCB"): numbers below 10 take a leading zero; "……/QĐ-CCB" without one."""
    if seq is None:
        return f"……/{suffix}"
    return f"{seq:02d}/{suffix}"


def day_text(day: datetime.date) -> str:
    """Return "ngày 05 tháng 02 năm 2024": a day below 10 and the months 1 and 2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place: str, day: datetime.date | None) -> str:
    """Return "Yên Bái, ngày 05 tháng 6 năm 2024"; blanks to fill by hand without a date."""
    place = place or "……"
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, {day_text(day)}"


# --- Low-level pieces ----------------------------------------------------------------------


def _font(run, size: float) -> None:
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    run.font.size = Pt(size)


def para(
    doc_or_cell: Document | _Cell,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    after: float = 3,
) -> Paragraph:
    """Add a paragraph of one Times New Roman run; returns the paragraph."""
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(12.7)
    p.paragraph_format.space_before = Pt(0)
    p.paragraph_format.space_after = Pt(after)
    run = p.add_run(text)
    _font(run, size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return p


def new_page(doc: Document) -> Paragraph:
    """Start what follows on a new page; returns the paragraph that does it.

    Not a paragraph holding a page break: after a page filled to its last line that paragraph
    lands alone on the next page and its break leaves that page blank. A paragraph with
    "page break before" starts a page only if it is not already at the top of one. Where the
    next part begins with a paragraph, set `page_break_before` on it; this one, empty and one
    point high, is for a part that begins with a table (a Decree 30 header), since Word joins
    two tables that nothing separates.
    """
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.page_break_before = True
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    p._p.get_or_add_pPr().append(mark)
    return p


def _first(cell: _Cell) -> None:
    """Drop the empty paragraph a new cell starts with (content is added after it)."""
    p = cell.paragraphs[0]
    if not p.text and len(cell.paragraphs) > 1:
        p._element.getparent().remove(p._element)


def rule(container: Document | _Cell, length_mm: float, width_mm: float) -> Paragraph:
    """Add a short centred horizontal rule (a thin paragraph with a bottom border) `length_mm` long."""
    p = container.add_paragraph()
    side = max(0.0, (width_mm - length_mm) / 2)
    fmt = p.paragraph_format
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_before, fmt.space_after = Pt(0), Pt(4)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"
    )
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    p_pr.insert_element_before(mark, "w:sectPr", "w:pPrChange")
    return p


def set_widths(table: Table, widths_mm: Sequence[float]) -> Table:
    """Fix the table's layout: the grid, every cell and the table width agree (Word and LibreOffice
    otherwise each pick one of them)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(int(sum(widths_mm) * 1440 / 25.4)))
    tbl_w.set(qn("w:type"), "dxa")
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _keep_rows_whole(table: Table) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)


def _page_field(paragraph: Paragraph, size: float) -> None:
    """Append a PAGE field (the page's number) to the paragraph."""

    def run_with(element):
        run = paragraph.add_run()
        _font(run, size)
        run._r.append(element)
        return run

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    number = paragraph.add_run("2")
    _font(number, size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# --- The page ------------------------------------------------------------------------------


def setup_page(doc: Document, *, page_numbers: bool = True) -> None:
    """A4 portrait, margins 20/20/30/15 mm, Times New Roman 14; page numbers centred in the top
    margin from page 2 (the first page's header is a separate, empty one)."""
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    for section in doc.sections:
        number_pages(section, page_numbers)
    # A new document starts with one empty paragraph: drop it so the header is at the very top.
    body = doc.element.body
    if len(doc.paragraphs) == 1 and not doc.paragraphs[0].text:
        body.remove(doc.paragraphs[0]._element)


def number_pages(section, page_numbers: bool = True) -> None:
    """Give one section the page size, margins and (from its page 2) the page number."""
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    if not page_numbers:
        return
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    if not p.runs:
        p.alignment = CENTER
        _page_field(p, 13)
    section.first_page_header.is_linked_to_previous = False


def new(*, page_numbers: bool = True) -> Document:
    """Return a new document with the page set up."""
    doc = new_document()
    setup_page(doc, page_numbers=page_numbers)
    return doc


# --- The parts of an official document ------------------------------------------------------


def decree_header(
    doc: Document,
    *,
    parent_name: str,
    unit_name: str,
    number: str | None,
    date_line: str,
) -> Table:
    """Add the header table and return it.

    Row 1: parent body (caps, regular) over issuing body (caps, bold) and a short rule on the
    left; the national name and the motto with a rule on the right. Row 2: "Số: …" and the
    italic place-and-date line, level with each other. `number=None` leaves the number row's
    left cell empty (documents without a number). Texts are written as given (callers pass
    the bodies in capitals).
    """
    left_w, right_w = HEADER_WIDTHS
    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(header, HEADER_WIDTHS)
    (left, right), (num, when) = header.rows[0].cells, header.rows[1].cells
    if parent_name:
        para(left, parent_name, size=13, align=CENTER, after=0)
    para(left, unit_name, size=13, bold=True, align=CENTER, after=0)
    rule(left, 25, left_w - 4)
    para(right, NATION, size=12, bold=True, align=CENTER, after=0)
    para(right, MOTTO, size=13, bold=True, align=CENTER, after=0)
    rule(right, 62, right_w - 4)
    para(num, f"Số: {number}" if number is not None else "", size=13, align=CENTER, after=0)
    para(when, date_line, size=13, italic=True, align=CENTER, after=0)
    for cell in (left, right, num, when):
        _first(cell)
    para(doc, "", after=6)
    return header


def nation_heading(doc: Document) -> None:
    """Add the national name and motto centred on the page, with the rule (documents without the two columns)."""
    para(doc, NATION, size=13, bold=True, align=CENTER, after=0)
    para(doc, MOTTO, size=14, bold=True, align=CENTER, after=0)
    rule(doc, 65, TEXT_WIDTH)
    para(doc, "", size=6, after=0)


def doc_title(doc: Document, kind: str, *subject: str) -> None:
    """Add the document type (e.g. "QUYẾT ĐỊNH") and its subject, centred bold, a short rule under the subject."""
    para(doc, kind, bold=True, align=CENTER, after=0)
    for line in subject:
        para(doc, line, bold=True, align=CENTER, after=0)
    rule(doc, 35, TEXT_WIDTH)
    para(doc, "", size=6, after=0)


def titles(doc: Document, *lines: str) -> None:
    """Add each line as a centred bold heading."""
    for line in lines:
        para(doc, line, bold=True, align=CENTER)


def body(doc: Document, lines: Sequence[str], *, italic: bool = False, bold: bool = False) -> None:
    """Add each line as a justified paragraph with a first-line indent."""
    for line in lines:
        para(doc, line, italic=italic, bold=bold, indent=True, align=JUSTIFY, after=4)


@dataclass
class Signature:
    """Who signs: on behalf of whom ("TM. BAN THƯỜNG VỤ"), a deputy's "KT. CHỦ TỊCH", the title, the name."""

    name: str = ""
    title: str = "CHỦ TỊCH"
    on_behalf: str = "TM. BAN THƯỜNG VỤ"
    deputy_for: str = ""  # "KT. CHỦ TỊCH" when a deputy signs for the chairman
    extra: list[str] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        lines = [self.on_behalf] if self.on_behalf else []
        if self.deputy_for:
            lines.append(self.deputy_for)
        return [*lines, self.title.upper(), *self.extra]


def signature_block(
    doc: Document,
    *,
    receivers: Sequence[str],
    signer_lines: Sequence[str],
    signer: str,
) -> Table:
    """Add the signature table and return it.

    "Nơi nhận:" (bold italic 12, its list in 11) on the left; on behalf of whom, the title
    and, after room for the signature and seal, the name on the right. The row does not
    split across pages.
    """
    para(doc, "", size=8, after=0)
    sign = doc.add_table(rows=1, cols=2)
    set_widths(sign, SIGNATURE_WIDTHS)
    where, who = sign.rows[0].cells
    if receivers:
        para(where, "Nơi nhận:", size=12, bold=True, italic=True, after=0)
        for line in receivers:
            para(where, line, size=11, after=0)
    for line in signer_lines:
        para(who, line, bold=True, align=CENTER, after=0)
    for _ in range(5):
        para(who, "", after=0)
    para(who, signer, bold=True, align=CENTER, after=0)
    _first(where)
    _first(who)
    _keep_rows_whole(sign)
    return sign


def signature(doc: Document, *, receivers: Sequence[str], signer: Signature) -> Table:
    """`signature_block` for a `Signature`."""
    return signature_block(doc, receivers=receivers, signer_lines=signer.lines, signer=signer.name)


# --- Tables --------------------------------------------------------------------------------

MM_PER_CHAR = 2.3  # a Times 13 pt character, on average, with Vietnamese tone marks
HEADING_MM_PER_CHAR = 3.2  # a heading's longest word, bold capitals at worst: it must never break
HEADING_LINE_MM_PER_CHAR = 2.7  # a heading on one line, bold
CELL_PADDING = 4.0


def fit_widths(headings: Sequence[str], rows: Sequence[Sequence[str]], total: float = TEXT_WIDTH) -> list[float]:
    """Column widths (mm) that add up to `total`, sized to the content.

    Each column gets at least its longest word (or heading word); the rest of the width goes
    to the columns whose text would otherwise wrap, in proportion to how much they need.
    """
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in headings]
    natural, minimum = [], []
    for heading, texts in zip(headings, columns, strict=True):
        longest_line = max((len(t) for text in texts for t in str(text).splitlines() or [""]), default=1)
        longest_word = max((len(w) for text in texts for w in str(text).split()), default=1)
        # A heading is bold capitals: wider per character, and its words must not break.
        heading_word = max((len(w) for w in heading.split()), default=1) * HEADING_MM_PER_CHAR
        heading_line = len(heading) * HEADING_LINE_MM_PER_CHAR
        natural.append(max(min(longest_line, 60) * MM_PER_CHAR, heading_line, heading_word) + CELL_PADDING)
        minimum.append(max(longest_word * MM_PER_CHAR, heading_word) + CELL_PADDING)
    if sum(natural) <= total:
        spare = total - sum(natural)
        # Spare room goes to the wider columns (names, units), not to STT.
        weights = [n if n > 20 else 0 for n in natural]
        weight = sum(weights) or 1
        return [n + spare * k / weight for n, k in zip(natural, weights, strict=True)]
    base = sum(minimum)
    if base >= total:
        return [m * total / base for m in minimum]
    need = [n - m for n, m in zip(natural, minimum, strict=True)]
    spare, weight = total - base, sum(need) or 1
    return [m + spare * k / weight for m, k in zip(minimum, need, strict=True)]


def list_table(
    doc: Document | _Cell,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    size: float = 13,
    widths: Sequence[float] | None = None,
    align: Sequence[WD_ALIGN_PARAGRAPH | None] | None = None,
) -> Table:
    """Add a bordered table, a bold centred heading row, then one row per item; returns it.

    Columns are sized to their content (`fit_widths`) unless `widths` (mm) are given.
    """
    table = doc.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # The heading row repeats at the top of every page the table runs onto.
    repeat = OxmlElement("w:tblHeader")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].alignment = CENTER
        run = cell.paragraphs[0].add_run(text)
        _font(run, size)
        run.bold = True
    for values in rows:
        for i, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
            if align is not None and align[i] is not None:
                cell.paragraphs[0].alignment = align[i]
            run = cell.paragraphs[0].add_run(str(text))
            _font(run, size)
    set_widths(table, widths or fit_widths(headings, rows))
    return table


def to_bytes(doc: Document) -> bytes:
    """Return the document as .docx bytes."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- Templates users can replace -----------------------------------------------------------


def sandbox() -> SandboxedEnvironment:
    """The Jinja environment of every template a user may supply: sandboxed (no attribute starting
    with "_", no calls into Python internals), an unknown field is an error, text is escaped."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def render_template(source: bytes, fields: dict) -> bytes:
    """Render a docxtpl Word template with `fields` in the sandbox; returns the .docx bytes.

    Raises jinja2's TemplateError (SecurityError for a template reaching into Python internals).
    """
    template = DocxTemplate(io.BytesIO(source))
    template.render(fields, jinja_env=sandbox(), autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()

"""Writing .xlsx lists the way offices print them (XlsxWriter): the one place for the layout.

Unit lines and a title on top, a header row repeated on every printed page, an STT
column, A4 landscape fitted to the page width, page numbers in the footer. Every
cell is written as text, a number or a date, never as a formula or a link: a name
that starts with "=", "+", "-" or "@" stays inert text in Excel and LibreOffice.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter

from hoiccb.lib.files import CONTENT_TYPES

XLSX_TYPE = CONTENT_TYPES["xlsx"]
SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,  # rows stream to disk: 100,000 rows in a few MB of memory
}


@dataclass(frozen=True)
class Subtotal:
    """A bold line between the numbered rows ("Cộng khối …"): no STT, not in the count or the totals."""

    values: Sequence


@dataclass
class Column:
    title: str
    width: float
    kind: str = "text"  # text, date (a real date cell), int, money (summed in a "Tổng cộng" row)


def write_list(
    *,
    heading: Sequence[str],
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence | Subtotal],
    note: str = "",
    sheet_name: str = "Danh sách",
):
    """Write a numbered list to a temporary .xlsx file; returns (file rewound, row count).

    heading: the unit lines at the top left (printed in capitals); rows: one sequence of
    values per item, in the order of `columns` (STT is added). The file is handed to the
    response, which closes, and so deletes, it.
    """
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    book = xlsxwriter.Workbook(output, SAFE_OPTIONS)
    sheet = book.add_worksheet(sheet_name[:31])
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    fmt = {
        "unit": book.add_format({**base, "bold": True}),
        "title": book.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "subtitle": book.add_format({**base, "italic": True, "align": "center"}),
        "header": book.add_format({**base, "bold": True, "align": "center", "border": 1, "bg_color": "#E2EFDA"}),
        "text": book.add_format({**base, "border": 1}),
        "int": book.add_format({**base, "border": 1, "num_format": "#,##0"}),
        "money": book.add_format({**base, "border": 1, "num_format": "#,##0"}),
        "date": book.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy", "align": "center"}),
        "stt": book.add_format({**base, "border": 1, "align": "center"}),
        "total": book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0"}),
        "note": book.add_format({**base, "italic": True, "font_size": 11}),
    }
    last_col = max(len(columns), 1)  # column 0 is STT
    row = 0
    for line in heading:
        sheet.merge_range(row, 0, row, last_col, line.upper(), fmt["unit"])
        row += 1
    sheet.merge_range(row, 0, row, last_col, title.upper(), fmt["title"])
    sheet.merge_range(row + 1, 0, row + 1, last_col, subtitle, fmt["subtitle"])
    header_row = row + 3
    sheet.set_column(0, 0, 5)
    sheet.write_string(header_row, 0, "STT", fmt["header"])
    for i, column in enumerate(columns, start=1):
        sheet.set_column(i, i, column.width)
        sheet.write_string(header_row, i, column.title, fmt["header"])
    kinds = [column.kind for column in columns]
    totals = {i: 0 for i, kind in enumerate(kinds, start=1) if kind == "money"}
    row = header_row
    count = 0
    for values in rows:
        row += 1
        if isinstance(values, Subtotal):
            _write_subtotal(sheet, row, values, fmt["total"])
            continue
        count += 1
        sheet.write_number(row, 0, count, fmt["stt"])
        for i, (kind, value) in enumerate(zip(kinds, values, strict=True), start=1):
            if value is None or value == "":
                sheet.write_blank(row, i, None, fmt["text"])
            elif kind == "date" and isinstance(value, datetime.date):
                sheet.write_datetime(row, i, datetime.datetime.combine(value, datetime.time()), fmt["date"])
            elif kind in ("money", "int") or (isinstance(value, int | float) and not isinstance(value, bool)):
                sheet.write_number(row, i, value, fmt["money" if kind == "money" else "int"])
                if i in totals:
                    totals[i] += value
            else:
                sheet.write_string(row, i, str(value), fmt["text"])
    if totals and count:
        row += 1
        sheet.write_string(row, 0, "", fmt["total"])
        for i in range(1, last_col + 1):
            if i in totals:
                sheet.write_number(row, i, totals[i], fmt["total"])
            else:
                sheet.write_string(row, i, "Tổng cộng" if i == 1 else "", fmt["total"])
    if note:
        sheet.merge_range(row + 2, 0, row + 2, last_col, note, fmt["note"])
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as needed
    sheet.freeze_panes(header_row + 1, 0)
    sheet.set_footer("&CTrang &P/&N")
    book.close()
    output.seek(0)
    return output, count


def _write_subtotal(sheet, row: int, subtotal: Subtotal, fmt) -> None:
    sheet.write_blank(row, 0, None, fmt)
    for i, value in enumerate(subtotal.values, start=1):
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, i, value, fmt)
        else:
            sheet.write_string(row, i, str(value or ""), fmt)

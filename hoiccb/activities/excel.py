"""Excel lists the way offices print them: title rows, STT column, A4, header repeated on each page."""

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Column:
    title: str
    width: float
    kind: str = "text"  # text, date, money, int


def workbook_bytes(
    *, title: str, subtitle: str, unit_name: str, columns: Sequence[Column], rows: Iterable[Sequence], note: str = ""
) -> bytes:
    """Return an .xlsx file: unit and title rows, a header, then one numbered row per item."""
    buffer = io.BytesIO()
    # Text typed by users must stay text: "=…" is not a formula, "http…" not a link.
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Danh sách")
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
    last_col = len(columns)  # column 0 is STT
    sheet.merge_range(0, 0, 0, last_col, unit_name.upper(), fmt["unit"])
    sheet.merge_range(1, 0, 1, last_col, title.upper(), fmt["title"])
    sheet.merge_range(2, 0, 2, last_col, subtitle or f"Lập ngày {timezone.localdate():%d/%m/%Y}", fmt["subtitle"])
    header_row = 4
    sheet.write(header_row, 0, "STT", fmt["header"])
    sheet.set_column(0, 0, 5)
    for i, column in enumerate(columns, start=1):
        sheet.write(header_row, i, column.title, fmt["header"])
        sheet.set_column(i, i, column.width)
    money_totals = {i: 0 for i, c in enumerate(columns, start=1) if c.kind == "money"}
    row_number = header_row
    for n, values in enumerate(rows, start=1):
        row_number = header_row + n
        sheet.write_number(row_number, 0, n, fmt["stt"])
        for i, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            if value is None or value == "":
                sheet.write_blank(row_number, i, None, fmt["text"])
            elif column.kind == "date" and isinstance(value, datetime.date):
                sheet.write_datetime(row_number, i, datetime.datetime.combine(value, datetime.time()), fmt["date"])
            elif column.kind in ("money", "int"):
                sheet.write_number(row_number, i, value, fmt[column.kind])
                if column.kind == "money":
                    money_totals[i] += value
            else:
                sheet.write_string(row_number, i, str(value), fmt["text"])
    if money_totals and row_number > header_row:
        row_number += 1
        sheet.write_string(row_number, 0, "", fmt["total"])
        for i in range(1, last_col + 1):
            if i in money_totals:
                sheet.write_number(row_number, i, money_totals[i], fmt["total"])
            else:
                sheet.write_string(row_number, i, "Tổng cộng" if i == 1 else "", fmt["total"])
    if note:
        sheet.merge_range(row_number + 2, 0, row_number + 2, last_col, note, fmt["note"])
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(header_row)
    sheet.fit_to_pages(1, 0)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.set_footer("&CTrang &P/&N")
    book.close()
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

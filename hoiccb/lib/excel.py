"""Writing .xlsx files the way offices print them (XlsxWriter).

Every cell is written as text or a number, never as a formula or a link: a name
that starts with "=", "+", "-" or "@" stays inert text in Excel and LibreOffice.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence

import xlsxwriter

SAFE_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "constant_memory": True,  # rows stream to disk: 100,000 rows in a few MB of memory
    "default_date_format": "dd/mm/yyyy",
}


class ListWorkbook:
    """A one-sheet list: title lines, a header row repeated on every printed page, then rows."""

    def __init__(self, *, sheet_name: str = "Danh sách"):
        # A temporary file, handed to the response, which closes (and so deletes) it.
        self.output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
        self.book = xlsxwriter.Workbook(self.output, SAFE_OPTIONS)
        self.sheet = self.book.add_worksheet(sheet_name[:31])
        self.title = self.book.add_format({"bold": True, "align": "center", "font_name": "Times New Roman"})
        self.heading = self.book.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#E7EEF7",
            }
        )
        self.cell = self.book.add_format({"border": 1, "valign": "top", "text_wrap": True})
        self.number = self.book.add_format({"border": 1, "valign": "top", "align": "center"})
        self.row = 0

    def titles(self, lines: Sequence[str], width: int) -> None:
        for line in lines:
            self.sheet.merge_range(self.row, 0, self.row, max(width - 1, 1), line, self.title)
            self.row += 1
        self.row += 1

    def header(self, labels: Sequence[str], widths: Sequence[int]) -> None:
        for col, (label, width) in enumerate(zip(labels, widths, strict=True)):
            self.sheet.set_column(col, col, width)
            self.sheet.write_string(self.row, col, label, self.heading)
        self.sheet.repeat_rows(self.row)
        self.sheet.freeze_panes(self.row + 1, 0)
        self.header_row = self.row
        self.row += 1

    def rows(self, rows: Iterable[Sequence]) -> int:
        count = 0
        for values in rows:
            for col, value in enumerate(values):
                self.write(self.row, col, value)
            self.row += 1
            count += 1
        return count

    def write(self, row: int, col: int, value) -> None:
        if value is None or value == "":
            self.sheet.write_blank(row, col, None, self.cell)
        elif isinstance(value, bool):
            self.sheet.write_string(row, col, "x" if value else "", self.cell)
        elif isinstance(value, int | float):
            self.sheet.write_number(row, col, value, self.number)
        elif isinstance(value, datetime.date):
            self.sheet.write_string(row, col, value.strftime("%d/%m/%Y"), self.cell)
        else:
            self.sheet.write_string(row, col, str(value), self.cell)

    def close(self, *, landscape: bool = True):
        """Finish the file and return it, rewound, ready to send."""
        self.sheet.set_paper(9)  # A4
        if landscape:
            self.sheet.set_landscape()
        self.sheet.fit_to_pages(1, 0)  # fit to the page width, as many pages down as needed
        self.sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.sheet.set_footer("&CTrang &P/&N")
        self.book.close()
        self.output.seek(0)
        return self.output

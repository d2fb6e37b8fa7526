"""Real spreadsheet files for the import tests, written by the libraries offices' tools produce."""

import csv
import datetime
import io
import zipfile

import openpyxl
import xlsxwriter
import xlwt

from hoiccb.lib.legacy_encodings import TCVN3_TABLE, VNI_TABLE

_TO_TCVN3 = {unicode: legacy for legacy, unicode in TCVN3_TABLE.items()}
_TO_VNI = {unicode: legacy for legacy, unicode in sorted(VNI_TABLE.items(), key=lambda kv: len(kv[0]))}


def to_tcvn3(text: str, capitals_font: bool = False) -> str:
    """Encode Unicode text as a .VnTime font would hold it (.VnTimeH: ASCII capitals, lower-case codes)."""
    if capitals_font:
        return "".join(_TO_TCVN3.get(ch.lower(), ch.upper()) if not ch.isascii() else ch.upper() for ch in text)
    out = []
    for ch in text:
        if ch in _TO_TCVN3:
            out.append(_TO_TCVN3[ch])
        elif ch.lower() in _TO_TCVN3 and ch.isupper():
            out.append(_TO_TCVN3[ch.lower()])  # VN3 has no toned capitals: the lower-case code
        else:
            out.append(ch)
    return "".join(out)


def to_vni(text: str) -> str:
    return "".join(_TO_VNI.get(ch, ch) for ch in text)


def xlsx_bytes(rows, merges=(), title_rows=()) -> bytes:
    """An .xlsx made with openpyxl: optional title rows, merged ranges ("C3:D3"), then rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sach"
    for row in title_rows:
        sheet.append(list(row))
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsxwriter_bytes(rows) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            elif value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def xls_bytes(rows) -> bytes:
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("DS")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime.date):
                sheet.write(r, c, value, date_style)
            elif value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(rows) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="DS")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text="" if value is None else str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def csv_bytes(rows, *, bom: bool = False, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def zip_bomb_xlsx() -> bytes:
    """A zip named .xlsx whose one entry unpacks to 400 MB of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(400):
            entry.write(chunk)
    return buffer.getvalue()


def _rewrite_xlsx(data: bytes, part: str, change) -> bytes:
    """Return the xlsx with one part's XML passed through `change` (the rest copied as it is)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == part else content)
    return buffer.getvalue()


def dimension_bomb_xlsx(ref: str = "A1:XFD1048576") -> bytes:
    """A few KB of .xlsx whose sheet declares `ref` and holds a cell in its far corner.

    A reader that makes a dense range of the sheet allocates every cell in between
    (A1:XFD1048576: 17 billion cells, 512 GiB).
    """
    import re

    corner = ref.split(":")[1]
    row = re.sub(r"[A-Z]+", "", corner)
    cell = f'<row r="{row}"><c r="{corner}" t="inlineStr"><is><t>x</t></is></c></row>'.encode()
    data = xlsx_bytes([["Họ và tên", "Năm sinh"], ["Nguyễn Văn Hùng", 1950]])

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), xml)
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    return _rewrite_xlsx(data, "xl/worksheets/sheet1.xml", change)


def entity_bomb_xlsx() -> bytes:
    """An .xlsx whose shared strings declare nested XML entities ("billion laughs")."""
    data = xlsxwriter_bytes([["Họ và tên", "Năm sinh"], ["Nguyễn Văn Hùng", 1950]])
    entities = b'<!ENTITY a0 "hahahahahahahahahaha">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"&a%d;" % (i - 1) * 10) for i in range(1, 10)
    )

    def change(xml: bytes) -> bytes:
        head, _, body = xml.partition(b"?>")
        return head + b"?><!DOCTYPE sst [" + entities + b"]>" + body.replace(b"Nguy", b"&a9;Nguy", 1)

    return _rewrite_xlsx(data, "xl/sharedStrings.xml", change)


def encrypted_zip_xlsx() -> bytes:
    """An .xlsx-named zip whose entries carry the "encrypted" flag."""
    data = bytearray(xlsx_bytes([["Họ và tên"], ["An"]]))
    # General purpose flag of every local header and central directory entry: bit 0 set.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 1
            start += 4
    return bytes(data)


def truncated_xlsx() -> bytes:
    data = xlsx_bytes([["Họ và tên", "Năm sinh"], *[[f"Hội viên {i}", 1950] for i in range(200)]])
    return data[: len(data) // 2]

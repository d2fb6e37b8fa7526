"""Open an uploaded spreadsheet safely and return its cells.

Everything a user uploads is hostile until proven otherwise: the size, the kind
(by content, not by name), the compression ratio and total unpacked size of zip
containers (xlsx, ods) are checked before any parser sees the bytes; password
protection, truncation and garbage end in `FileRejected` with a Vietnamese message.

The parse itself runs in a forked child under a memory and time limit
(`lib.sandbox.run_limited`): a sheet that declares a million rows by sixteen
thousand columns in 5 KB makes calamine allocate before any count can be checked,
and only the child dies. The child sends the cells back as lists of plain values.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import python_calamine
from django.conf import settings

from hoiccb.lib.legacy_encodings import legacy_byte_score, unicode_score
from hoiccb.lib.sandbox import ChildError, LimitExceeded, run_limited

KINDS = ("xlsx", "xls", "ods", "csv")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRejected(Exception):
    """The upload cannot be read; the message says why, in Vietnamese, for the user."""


@dataclass
class Sheet:
    name: str
    rows: list[list]  # cells from A1: str, float, int, bool, date, datetime or ""
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # Set when `rows` holds only the first rows of the sheet (lib.sheets.store.read_upload_kept).
    full_width: int | None = None

    @property
    def width(self) -> int:
        """The number of columns of the widest row of the whole sheet."""
        if self.full_width is not None:
            return self.full_width
        return max((len(r) for r in self.rows), default=0)


def limits() -> dict:
    return {
        "max_bytes": getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024),
        "max_unpacked": getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 300 * 1024 * 1024),
        "max_ratio": getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 150),
        "max_rows": getattr(settings, "IMPORT_MAX_ROWS", 200_000),
        "max_columns": getattr(settings, "IMPORT_MAX_COLUMNS", 100),
    }


def file_kind(name: str, head: bytes) -> str:
    """Return xlsx/xls/ods/csv from the file's name and first bytes, or raise FileRejected."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise FileRejected(
            f"Không nhận tệp “.{extension or '?'}”: chỉ nhận tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc .csv."
        )
    if extension == "xlsx" and head.startswith(_OLE):
        # An xlsx saved with a password is an OLE container holding the encrypted package.
        raise FileRejected("Tệp được đặt mật khẩu. Hãy mở tệp trong Excel, bỏ mật khẩu rồi tải lên lại.")
    expected = {"xlsx": _ZIP, "ods": _ZIP, "xls": _OLE}.get(extension)
    if expected and not head.startswith(expected):
        if extension == "xls" and head.startswith(_ZIP):
            return "xlsx"  # an xlsx renamed to .xls: read it for what it is
        raise FileRejected(f"Tệp không phải là tệp .{extension} thật (nội dung không đúng định dạng) hoặc đã bị hỏng.")
    if extension == "csv" and b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected("Tệp .csv chứa dữ liệu nhị phân, không phải văn bản.")
    return extension


def check_zip(data: bytes) -> None:
    """Refuse zip bombs before unpacking: entry count, total unpacked size, compression ratio."""
    lim = limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > 2000:
                raise FileRejected("Tệp chứa quá nhiều thành phần, không phải một bảng tính bình thường.")
            total = 0
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise FileRejected("Tệp được đặt mật khẩu. Hãy bỏ mật khẩu rồi tải lên lại.")
                total += entry.file_size
                if entry.file_size > 1_000_000 and entry.file_size > lim["max_ratio"] * max(entry.compress_size, 1):
                    raise FileRejected("Tệp nén bất thường (tỷ lệ nén quá lớn), không đọc để bảo vệ hệ thống.")
            if total > lim["max_unpacked"]:
                raise FileRejected(
                    f"Tệp khi giải nén quá lớn ({total // 1_048_576} MB), vượt giới hạn "
                    f"{lim['max_unpacked'] // 1_048_576} MB."
                )
    except zipfile.BadZipFile:
        raise FileRejected("Tệp bị hỏng hoặc không đầy đủ (không mở được).") from None


def read_upload(name: str, data: bytes) -> Sheet:
    """Return the first sheet of an uploaded file, after every safety check.

    The cheap checks run here; the parse runs in a child process under
    settings.UNTRUSTED_PARSE_MEMORY_BYTES and UNTRUSTED_PARSE_SECONDS.
    """
    sheet_name, rows, merged = read_checked(name, data, parse_in_child)
    return Sheet(sheet_name, rows, merged)


def read_checked(name: str, data: bytes, parse: Callable[..., Any], *args: Any) -> Any:
    """Run the safety checks, then `parse(kind, data, limits, *args)` in the sandbox child; its result.

    `parse` is parse_in_child or a function built on it (lib.sheets.store sends the sheet back as JSON)."""
    lim = limits()
    if not data:
        raise FileRejected("Tệp rỗng.")
    if len(data) > lim["max_bytes"]:
        raise FileRejected(f"Tệp quá lớn: tối đa {lim['max_bytes'] // 1_048_576} MB.")
    kind = file_kind(name, data[:8])
    if kind in ("xlsx", "ods"):
        check_zip(data)
    try:
        return run_limited(parse, kind, data, lim, *args)
    except LimitExceeded as exc:
        what = "quá nhiều thời gian" if exc.reason == "time" else "quá nhiều bộ nhớ"
        raise FileRejected(
            f"Tệp cần {what} để đọc (bảng tính khai báo vùng dữ liệu quá lớn hoặc bị làm hỏng), "
            "không đọc để bảo vệ hệ thống. Hãy chép dữ liệu sang một tệp mới rồi tải lên lại."
        ) from None
    except ChildError as exc:
        if exc.kind == "FileRejected":
            raise FileRejected(exc.message) from None
        raise FileRejected("Tệp bị hỏng hoặc không đúng định dạng bảng tính, không đọc được.") from None


def parse_in_child(kind: str, data: bytes, lim: dict) -> tuple[str, list[list], list]:
    """Runs in the sandbox child: parse and check counts there, so a huge result never crosses over."""
    sheet = _read_csv(data) if kind == "csv" else _read_workbook(data)
    if len(sheet.rows) > lim["max_rows"]:
        raise FileRejected(
            f"Tệp có {len(sheet.rows):,} dòng, vượt giới hạn {lim['max_rows']:,} dòng.".replace(",", ".")
        )
    if sheet.rows and max(len(r) for r in sheet.rows) > lim["max_columns"]:
        raise FileRejected(f"Tệp có quá nhiều cột (tối đa {lim['max_columns']} cột).")
    return sheet.name, sheet.rows, [tuple(map(tuple, m)) for m in sheet.merged]


def _read_workbook(data: bytes) -> Sheet:
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_index(index)
            lim = limits()
            if sheet.total_height > lim["max_rows"] + 100 or sheet.total_width > lim["max_columns"] * 4:
                raise FileRejected(
                    f"Trang “{sheet.name}” quá lớn ({sheet.total_height} dòng × {sheet.total_width} cột)."
                )
            rows = sheet.to_python(skip_empty_area=False)
            if any(any(cell != "" for cell in row) for row in rows):
                return Sheet(sheet.name, rows, list(sheet.merged_cell_ranges or []))
        raise FileRejected("Tệp không có trang tính nào chứa dữ liệu.")
    except python_calamine.PasswordError:
        raise FileRejected("Tệp được đặt mật khẩu. Hãy mở tệp trong Excel, bỏ mật khẩu rồi tải lên lại.") from None
    except FileRejected:
        raise
    except Exception:  # calamine raises many kinds (CalamineError, XmlError, ZipError, ValueError…)
        raise FileRejected("Tệp bị hỏng hoặc không đúng định dạng bảng tính, không đọc được.") from None


def _read_csv(data: bytes) -> Sheet:
    text = decode_csv(data)
    if "\x00" in text:
        raise FileRejected("Tệp .csv chứa dữ liệu nhị phân (ký tự NUL), không phải văn bản.")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [list(row) for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error:
        raise FileRejected("Tệp .csv sai định dạng (dấu ngoặc kép không khớp hoặc dòng quá dài).") from None
    if not any(any(cell.strip() for cell in row) for row in rows):
        raise FileRejected("Tệp .csv không có dữ liệu.")
    return Sheet("CSV", rows)


_SCORE_SAMPLE = 65_536


def decode_csv(data: bytes) -> str:
    """Return a CSV file's text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258, or legacy bytes.

    Excel on Vietnamese Windows saves "CSV" in Windows-1258 (base letters plus combining
    tone marks). Files typed in TCVN3/VNI fonts are one byte per character too; they are
    kept as Latin-1 (each byte the same code point, what the TCVN3/VNI tables expect)
    and each cell is read in its own encoding later. Between the two, the reading whose
    words spell more Vietnamese syllables wins.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRejected("Tệp .csv (UTF-16) bị hỏng, không đọc được.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    latin = data.decode("latin-1")
    try:
        windows = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return latin  # bytes Windows-1258 leaves undefined
    sample = slice(0, _SCORE_SAMPLE)
    if unicode_score(windows[sample]) > legacy_byte_score(latin[sample]):
        return windows
    return latin


def excel_serial_to_date(value: float) -> datetime.date | None:
    """Return the date an Excel serial number stands for (1900 system), or None when out of range."""
    if not 1 <= value < 80_000:
        return None
    return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters

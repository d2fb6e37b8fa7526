"""One spreadsheet row → the member fields it states, with a Vietnamese message per bad cell."""

import datetime
import re
from functools import lru_cache

from django.core.exceptions import ValidationError

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.legacy_encodings import Encoding, cell_encoding, legacy_leftovers
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.lib.sheets.reading import excel_serial_to_date
from hoiccb.lib.vietnamese import normalize_search, split_full_name, title_case_name
from hoiccb.members.imports.columns import FIELD_BY_KEY, Column
from hoiccb.members.models import Member, MemberKind

_TRUE = {"x", "co", "1", "dv", "dang vien", "v", "yes", "y", "true", "✓", "✔", "+"}
_FALSE = {"", "0", "khong", "k", "no", "n", "false", "-"}
_DIGITS = re.compile(r"\D+")
_MAX_LENGTHS: dict[str, int] = {
    f.name: length for f in Member._meta.concrete_fields if (length := getattr(f, "max_length", None))
}


def parse_date(value, *, untyped: bool = False) -> PartialDate:
    """Read a date as units write it: a real date cell, an Excel serial, "05/6/1950", "6/1950", "1950".

    untyped: the cell comes from a CSV file, where an Excel serial arrives as text;
    elsewhere text is read as typed, and "19500" is a typo, not a serial."""
    if isinstance(value, datetime.datetime | datetime.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1880 <= value <= 2100 and float(value).is_integer():
            return PartialDate(int(value))
        serial = excel_serial_to_date(float(value))
        if serial is None:
            raise ValidationError("Ngày không hợp lệ: “%(value)s”.", params={"value": value})
        return PartialDate.from_date(serial)
    text = str(value).strip().removesuffix(".0")
    if untyped and re.fullmatch(r"\d{5}", text):
        return parse_date(float(text))
    return PartialDate.parse(text)


@lru_cache(maxsize=65_536)  # a list of thousands holds a few hundred distinct dates
def _date_storage(raw, untyped: bool) -> str:
    return parse_date(raw, untyped=untyped).to_storage()


def parse_bool(text: str) -> bool:
    key = normalize_search(text)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(
        "Ghi “x” (hoặc “có”) nếu đúng, để trống nếu không; không hiểu “%(value)s”.", params={"value": text}
    )


# A cell's reading: the values it sets, its error message (or None), its conversion note (or None).
CellReading = tuple[dict, str | None, str | None]
MEMO_LIMIT = 50_000  # readings kept per column: the distinct places, ranks, units and most names
_NAME_PARTS = ("ho", "chu_dem", "ten")
_BIRTH_BY_GENDER = {"birth_date_male": "nam", "birth_date_female": "nu"}


def parse_row(
    columns: list[Column],
    cells: list,
    row_number: int,
    *,
    untyped: bool = False,
    memo: dict | None = None,
) -> tuple[dict, list[str], list[str]]:
    """Return (values, errors, conversions) for one data row.

    values holds field values in storage form (partial dates as "1950-06", …) plus
    "unit_text" for the unit column; each error names the row, the column and the cause.
    memo: a dict kept across the rows of one file, so that a cell read once (a place,
    a rank, a unit, a name) is not read again further down the list.
    """
    return RowParser(columns, untyped=untyped, memo=memo).parse(cells, row_number)


class RowParser:
    """Parses the rows of one file: the columns' plan is worked out once, not per row.

    With a memo, each distinct cell of a column is read once (a list of thousands holds a
    few hundred places, ranks and units); the rows come out exactly as without it.
    """

    def __init__(self, columns: list[Column], *, untyped: bool = False, memo: dict | None = None) -> None:
        self.untyped = untyped
        self.memo = memo
        # Per column: is it a date, and (with a memo) the readings of its text cells by text.
        self.plan = [
            (
                column,
                FIELD_BY_KEY[column.field].kind == "date",
                None if memo is None else memo.setdefault((column.index, "text"), {}),
            )
            for column in columns
            if column.field and column.field != "stt"
        ]
        self.name_column = next((c for c in columns if c.field in ("full_name", "ten", "ho_dem")), None)
        by_field = {c.field: c for c in reversed(columns) if c.field}  # the first column of a field wins
        self.part_columns = {key: by_field.get(key, self.name_column) for key in _NAME_PARTS}

    def parse(self, cells: list, row_number: int) -> tuple[dict, list[str], list[str]]:
        values: dict = {}
        errors: list[str] = []
        conversions: list[str] = []  # cells converted from a legacy encoding, before → after
        width = len(cells)
        memo = self.memo
        for column, is_date, texts in self.plan:
            index = column.index
            raw = cells[index] if index < width else ""
            if is_date:
                if raw != "" and (type(raw) is not str or raw.strip()):
                    self._read_date(values, errors, column, raw, row_number)
                continue
            if texts is not None and type(raw) is str:  # most cells: one dict lookup, no key to build
                reading = texts.get(raw)
                if reading is None:
                    reading = _read_cell(column, raw)
                    if len(texts) < MEMO_LIMIT:
                        texts[raw] = reading
                updates, message, conversion = reading
            else:
                updates, message, conversion = (
                    _read_cell(column, raw) if memo is None else _remembered(memo, column, raw)
                )
            if conversion:
                conversions.append(conversion)
            if message:
                errors.append(_message(row_number, column, message))
            elif updates:
                values.update(updates)
        _fill_name(values)
        self._check_name(values, errors, row_number)
        return values, errors, conversions

    def _read_date(self, values: dict, errors: list[str], column: Column, raw, row_number: int) -> None:
        try:
            stored = _date_storage(raw, self.untyped)
        except ValidationError as exc:
            errors.append(_message(row_number, column, exc.messages[0]))
            return
        key = column.field or ""
        gender = _BIRTH_BY_GENDER.get(key)
        if gender:
            values["gender"] = gender
            key = "birth_date"
        values[key] = stored

    def _check_name(self, values: dict, errors: list[str], row_number: int) -> None:
        if not values["ten"]:
            if self.name_column:
                errors.append(_message(row_number, self.name_column, "Thiếu họ tên."))
            else:
                errors.append(f"Dòng {row_number}: Thiếu họ tên.")
        for key in _NAME_PARTS:  # split from a full name here; every other cell was measured as it was read
            if len(values[key]) > _MAX_LENGTHS[key]:
                long_column = self.part_columns[key]
                message = f"Dài quá {_MAX_LENGTHS[key]} ký tự."
                if long_column:
                    errors.append(_message(row_number, long_column, message))
                else:
                    errors.append(f"Dòng {row_number}: {message}")


def _message(row_number: int, column: Column, message: str) -> str:
    return f"Dòng {row_number}, cột {column.letter} “{column.label}”: {message}"


def _remembered(memo: dict[tuple, CellReading], column: Column, raw) -> CellReading:
    # The type is part of the key: True, 1 and 1.0 are equal but read differently.
    key = (column.index, type(raw), raw)
    reading = memo.get(key)
    if reading is None:
        reading = _read_cell(column, raw)
        if len(memo) < MEMO_LIMIT:
            memo[key] = reading
    return reading


def _read_cell(column: Column, raw) -> CellReading:
    """Read one text cell under its column's field (never mutate the returned dict: it may be shared)."""
    text = cell_text(raw, column.encoding, column.majority)
    conversion = None
    if text and type(raw) is str and text != raw and not raw.isascii():
        encoding = cell_encoding(raw, column.encoding, column.majority)
        if encoding not in (None, Encoding.UNICODE):
            conversion = f"Cột {column.letter}: “{raw}” → “{text}” ({encoding.label} → Unicode)"
    updates: dict = {}
    if text:
        try:
            _set_value(updates, column.field or "", text)
        except ValidationError as exc:
            return {}, exc.messages[0], conversion
    for key, value in updates.items():
        limit = _MAX_LENGTHS.get(key)
        if limit and key not in _NAME_PARTS and isinstance(value, str) and len(value) > limit:
            return {}, f"Dài quá {limit} ký tự.", conversion
    return updates, None, conversion


def _gender(values: dict, text: str) -> None:
    folded = normalize_search(text)
    if folded in ("nam", "m", "male"):
        values["gender"] = "nam"
    elif folded in ("nu", "f", "female"):
        values["gender"] = "nu"
    else:
        raise ValidationError("Giới tính ghi “Nam” hoặc “Nữ”; không hiểu “%(value)s”.", params={"value": text})


def _cccd(values: dict, text: str) -> None:
    digits = _DIGITS.sub("", text)
    if len(digits) == 11:  # Excel dropped the leading zero of a number cell
        digits = "0" + digits
    if len(digits) != 12:
        raise ValidationError("Số CCCD phải gồm đúng 12 chữ số; “%(value)s” không đúng.", params={"value": text})
    values["cccd"] = digits


def _phone(values: dict, text: str) -> None:
    digits = _DIGITS.sub("", text)
    if len(digits) == 9 and digits[0] in "35789":  # leading zero dropped by Excel
        digits = "0" + digits
    if not 8 <= len(digits) <= 12:
        raise ValidationError("Số điện thoại không hợp lệ: “%(value)s”.", params={"value": text})
    values["phone"] = digits


def _kind(values: dict, text: str) -> None:
    folded = normalize_search(text)
    if folded in ("ccb", "cuu chien binh"):
        values["kind"] = MemberKind.VETERAN
    elif folded in ("cqn", "cuu quan nhan"):
        values["kind"] = MemberKind.FORMER_SOLDIER
    else:
        raise ValidationError("Đối tượng ghi “CCB” hoặc “CQN”; không hiểu “%(value)s”.", params={"value": text})


def _party_member(values: dict, text: str) -> None:
    try:
        values["party_member"] = parse_bool(text)
    except ValidationError:
        # Many lists write the date of joining the Party in this column.
        values["party_joined_on"] = parse_date(text).to_storage()
        values["party_member"] = True


def _war_invalid_rate(values: dict, text: str) -> None:
    digits = text.replace("%", "").strip()
    if not digits.isdigit() or not 1 <= int(digits) <= 100:
        raise ValidationError("Tỷ lệ thương tật ghi số từ 1 đến 100; không hiểu “%(value)s”.", params={"value": text})
    values["war_invalid_rate"] = int(digits)


def _name_part(key: str):
    def set_name(values: dict, text: str) -> None:
        leftovers = legacy_leftovers(text)
        if leftovers:
            # Title-casing legacy bytes would lose them (Ô→ô): refuse rather than store a garbled name.
            raise ValidationError(
                "Họ tên còn ký tự lạ “%(chars)s”: ô này có thể gõ bằng bảng mã cũ (TCVN3/VNI) chưa nhận ra; "
                "hãy chọn bảng mã cho cột ở bước ghép cột hoặc sửa dòng.",
                params={"chars": leftovers},
            )
        values[key] = title_case_name(text)

    return set_name


def _unit(values: dict, text: str) -> None:
    values["unit_text"] = text


# Columns whose text needs reading; every other column is kept as written.
_READERS = {
    **{key: _name_part(key) for key in ("full_name", "ho_dem", "ho", "chu_dem", "ten")},
    "gender": _gender,
    "cccd": _cccd,
    "phone": _phone,
    "kind": _kind,
    "party_member": _party_member,
    "war_invalid_rate": _war_invalid_rate,
    "unit": _unit,
}


def _set_value(values: dict, key: str, text: str) -> None:
    """Store one cell's text under its field, read as the field needs; raises ValidationError."""
    reader = _READERS.get(key)
    if reader is None:
        values[key] = text
    else:
        reader(values, text)


_split_name = lru_cache(maxsize=65_536)(split_full_name)  # returns a tuple: safe to share


def _fill_name(values: dict) -> None:
    """Split the name columns into họ / chữ đệm / tên, whichever way the file wrote them."""
    if "full_name" in values:
        values["ho"], values["chu_dem"], values["ten"] = _split_name(values.pop("full_name"))
    elif "ho_dem" in values:
        ho, middle, last = _split_name(values.pop("ho_dem"))
        # "Nguyễn Văn" | "Hùng": the first word is the họ, the rest the chữ đệm.
        values["ho"], values["chu_dem"] = ho, " ".join(p for p in (middle, last) if p)
        if not ho:
            values["ho"], values["chu_dem"] = last, ""
    for key in ("ho", "chu_dem", "ten"):
        values.setdefault(key, "")


def name_key(values: dict) -> str:
    """Return the accent-insensitive full name used to match rows with registered members."""
    # Word by word: the words repeat down a list (the whole names hardly do), and normalize_search
    # of a name is its words' forms joined by one space.
    words = " ".join(p for p in (values.get("ho"), values.get("chu_dem"), values.get("ten")) if p).split()
    return " ".join(form for form in map(_search_form, words) if form)


_search_form = lru_cache(maxsize=65_536)(normalize_search)

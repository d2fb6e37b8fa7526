"""The sheet kept beside an upload comes back cell for cell, types included."""

import datetime

import pytest

from hoiccb.lib.sheets.reading import Sheet
from hoiccb.lib.sheets.store import dump_sheet, load_sheet


def test_every_kind_of_cell_comes_back_as_it_went_in():
    rows: list[list] = [
        ["Họ và tên", "Ngày sinh", "Số", "Đảng viên", "Giờ"],
        ["Nguyễn Văn Hùng", datetime.date(1950, 6, 5), 12.5, True, datetime.datetime(2020, 1, 2, 3, 4)],
        ['{"$d": "2020-01-01"}', "", 3, False, 1.0],  # text that looks like a stored date stays text
        [],
    ]
    sheet = load_sheet(dump_sheet(Sheet("Danh sách", rows, [((0, 0), (0, 1))])))
    assert sheet.name == "Danh sách" and sheet.merged == [((0, 0), (0, 1))]
    assert sheet.rows == rows
    assert [type(c) for c in sheet.rows[1]] == [str, datetime.date, float, bool, datetime.datetime]
    assert [type(c) for c in sheet.rows[2]] == [str, str, int, bool, float]


@pytest.mark.parametrize("damaged", [b"", b"{", b'{"name": "x", "rows": [[{"$x": 1}]], "merged": []}', b"[]"])
def test_a_damaged_file_raises_what_read_sheet_catches(damaged):
    with pytest.raises((ValueError, KeyError, TypeError)):
        load_sheet(damaged)

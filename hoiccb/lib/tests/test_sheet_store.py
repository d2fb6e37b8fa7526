"""The sheet kept beside an upload comes back cell for cell, types included."""

import datetime
import gc

import pytest

from hoiccb.lib.bulk import collector_paused
from hoiccb.lib.sheets.reading import Sheet, read_upload
from hoiccb.lib.sheets.store import dump_sheet, load_sheet, read_upload_kept
from hoiccb.members.tests.spreadsheets import csv_bytes, xlsx_bytes


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


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_upload_read_for_keeping_gives_its_head_and_the_whole_sheet(kind):
    rows: list[list] = [["Họ và tên", "Năm sinh"], *([f"Người {i}", 1950 + i % 40] for i in range(40))]
    rows.append(["Người cuối", 1960, "một cột thêm ở dòng cuối"])  # the widest row is past the head
    data = (xlsx_bytes if kind == "xlsx" else csv_bytes)(rows)
    whole = read_upload(f"ds.{kind}", data)
    head, document = read_upload_kept(f"ds.{kind}", data, head_rows=10)
    assert head.rows == whole.rows[:10] and head.name == whole.name
    assert head.width == whole.width == 3
    assert load_sheet(document).rows == whole.rows


def test_the_cycle_collector_is_paused_over_a_bulk_step_and_back_after():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()

"""The analysis reads each distinct cell of a column once (parse_row's memo): the rows must come
out exactly as when every cell is read afresh — values, messages and conversion notes."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from hoiccb.members.imports.columns import Column
from hoiccb.members.imports.parsing import parse_row

COLUMNS = [
    Column(0, "Họ và tên", "full_name", "auto", "tcvn3"),
    Column(1, "Ngày sinh", "birth_date"),
    Column(2, "Giới tính", "gender"),
    Column(3, "Số CCCD", "cccd"),
    Column(4, "Đảng viên", "party_member"),
    Column(5, "Quê quán", "hometown", "vni", "unicode"),
    Column(6, "Tỷ lệ thương tật", "war_invalid_rate"),
    Column(7, "Chi hội", "unit"),
]
# Cells that look alike but read differently (True, 1 and 1.0 are equal in Python), legacy
# bytes, Unicode, bad values and blanks: what a real list holds.
CELLS = st.sampled_from(
    [
        "",
        " ",
        True,
        False,
        1,
        1.0,
        "1",
        "x",
        "có",
        "12/3/1970",
        "Nguyễn Văn Hùng",
        "NguyÔn V¨n Hïng",  # TCVN3
        "§ç Thþ L­¬ng",  # TCVN3 with the soft-hyphen ư
        "Nguyeãn Vaên Huøng",  # VNI
        "V¨n Lª",
        "Nam",
        "Nữ",
        "Khác",
        "001234567890",
        "1234567890",  # too short for a CCCD
        12345678901.0,  # a CCCD whose leading zero Excel dropped
        "81%",
        "150",
        datetime.date(1950, 6, 5),
        datetime.datetime(1968, 2, 1),
        "Chi hội 1",
        "Hà Nội",
        "Haø Noäi",  # VNI
    ]
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=len(COLUMNS)), min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(ROWS)
def test_remembered_readings_give_the_same_rows(rows):
    memo: dict = {}
    for number, cells in enumerate(rows, start=5):
        assert parse_row(COLUMNS, cells, number, memo=memo) == parse_row(COLUMNS, cells, number)


def test_equal_cells_of_different_types_are_not_confused():
    memo: dict = {}
    # In "Đảng viên", True is "x" (a member); 1.0 reads as "1", also yes; 0 reads as "0", no.
    first, _, _ = parse_row(COLUMNS, ["A", "", "", "", True], 5, memo=memo)
    second, _, _ = parse_row(COLUMNS, ["A", "", "", "", 0], 6, memo=memo)
    third, errors, _ = parse_row(COLUMNS, ["A", "", "", "", False], 7, memo=memo)
    assert first["party_member"] is True
    assert second["party_member"] is False
    assert "party_member" not in third and not errors  # False is an empty cell


def test_messages_name_each_row_even_when_the_reading_is_remembered():
    memo: dict = {}
    _, first, _ = parse_row(COLUMNS, ["A", "", "Khác"], 5, memo=memo)
    _, second, _ = parse_row(COLUMNS, ["B", "", "Khác"], 9, memo=memo)
    assert first[0].startswith("Dòng 5, cột C “Giới tính”:")
    assert second[0].startswith("Dòng 9, cột C “Giới tính”:")

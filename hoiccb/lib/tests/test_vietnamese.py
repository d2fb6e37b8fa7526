import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hoiccb.lib.dates import PartialDate, may_precede
from hoiccb.lib.vietnamese import (
    collation_key,
    format_money,
    name_sort_key,
    normalize_search,
    split_full_name,
)

VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ", max_size=40)


def test_normalize_strips_tones_marks_and_d_bar():
    assert normalize_search("Nguyễn Văn Hùng") == "nguyen van hung"
    assert normalize_search("  ĐẶNG   Thị  Ưng ") == "dang thi ung"
    assert normalize_search("Đoàn Ngọc Ẩn") == "doan ngoc an"


@given(vietnamese_text)
def test_normalize_is_idempotent_and_plain_ascii(text):
    once = normalize_search(text)
    assert normalize_search(once) == once
    assert once.isascii()
    assert once == once.lower()


@given(vietnamese_text)
def test_normalize_ignores_case_and_unicode_form(text):
    import unicodedata

    assert normalize_search(text.upper()) == normalize_search(text.lower())
    assert normalize_search(unicodedata.normalize("NFD", text)) == normalize_search(text)


def test_vietnamese_alphabet_order():
    words = ["Ơn", "Hứng", "Đức", "Ăn", "An", "Dung", "Ôn", "Hùng", "Hưng", "Anh", "Hung", "On", "Ân"]
    assert sorted(words, key=collation_key) == [
        "An",
        "Anh",
        "Ăn",
        "Ân",
        "Dung",
        "Đức",
        "Hung",
        "Hùng",
        "Hưng",
        "Hứng",
        "On",
        "Ôn",
        "Ơn",
    ]


def test_people_sort_by_ten_then_chu_dem_then_ho():
    people = [("Trần", "Văn", "Bình"), ("Nguyễn", "Văn", "An"), ("Lê", "Thị", "Bình"), ("Bùi", "Văn", "Bình")]
    ordered = sorted(people, key=lambda p: name_sort_key(*p))
    assert ordered == [("Nguyễn", "Văn", "An"), ("Lê", "Thị", "Bình"), ("Bùi", "Văn", "Bình"), ("Trần", "Văn", "Bình")]


name_part = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=8)


@given(name_part, name_part, name_part, name_part)
def test_tên_decides_before_chữ_đệm(ten1, ten2, dem1, dem2):
    if collation_key(ten1) < collation_key(ten2):
        assert name_sort_key("A", dem1, ten1) < name_sort_key("A", dem2, ten2)


def test_split_full_name():
    assert split_full_name("nguyễn văn hùng") == ("Nguyễn", "Văn", "Hùng")
    assert split_full_name("Tôn Nữ Thị Minh Châu") == ("Tôn", "Nữ Thị Minh", "Châu")
    assert split_full_name("Hùng") == ("", "", "Hùng")
    assert split_full_name("  ") == ("", "", "")


def test_money():
    assert format_money(1234567) == "1.234.567 đ"
    assert format_money(0) == "0 đ"


@pytest.mark.parametrize(
    "typed,stored,shown",
    [
        ("05/6/1950", "1950-06-05", "05/06/1950"),
        ("5-6-1950", "1950-06-05", "05/06/1950"),
        ("6/1950", "1950-06", "06/1950"),
        ("1950", "1950", "1950"),
        (" 31.12.1949 ", "1949-12-31", "31/12/1949"),
    ],
)
def test_partial_dates_as_clerks_type_them(typed, stored, shown):
    value = PartialDate.parse(typed)
    assert value.to_storage() == stored
    assert str(value) == shown
    assert PartialDate.from_storage(stored) == value


@pytest.mark.parametrize("bad", ["31/02/1950", "13/1950", "50", "abc", "1/2/3/1950", "", "1508195", "32011950"])
def test_bad_partial_dates_get_vietnamese_messages(bad):
    with pytest.raises(ValidationError) as info:
        PartialDate.parse(bad)
    assert "Ngày" in info.value.messages[0]


@given(
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)),
    st.sampled_from(["day", "month", "year"]),
)
def test_partial_date_round_trips_and_sorts_as_text(day, precision):
    value = PartialDate(day.year, None if precision == "year" else day.month, day.day if precision == "day" else None)
    assert PartialDate.parse(str(value)) == value
    assert PartialDate.from_storage(value.to_storage()) == value
    assert value.earliest() <= day <= value.latest()


def test_may_precede_is_lenient_with_unknown_parts():
    assert may_precede(PartialDate(1950), PartialDate(1950, 3))
    assert not may_precede(PartialDate(1951), PartialDate(1950, 12, 31))
    assert may_precede(None, PartialDate(1950))

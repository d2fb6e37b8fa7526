import unicodedata

import pytest

from hoiccb.lib.text import clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        (unicodedata.normalize("NFD", "Nguyễn Văn Hùng"), "Nguyễn Văn Hùng"),
        ("Hù\u200bng", "Hùng"),
        ("\ufeffLê Văn A", "Lê Văn A"),
        ("Trần\u202e Thị\u202c B", "Trần Thị B"),
        ("Bích\x00", "Bích"),
        ("  Đỗ \t  Thị\u00a0Lương  ", "Đỗ Thị Lương"),
        ("dòng 1\r\ndòng 2", "dòng 1 dòng 2"),
    ],
)
def test_clean_text_one_line(raw, expected):
    cleaned = clean_text(raw)
    assert cleaned == expected
    assert unicodedata.is_normalized("NFC", cleaned)


def test_clean_text_multiline_keeps_paragraphs():
    raw = "  Dòng đầu \r\n\r\n\r\n\r\nDòng\u200b hai  \n\tba"
    assert clean_text(raw, multiline=True) == "Dòng đầu\n\nDòng hai\nba"

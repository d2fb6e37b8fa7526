import pytest

from hoiccb.lib.money_words import money_words, number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (101, "một trăm linh một"),
        (1050, "một nghìn không trăm năm mươi"),
        (2015, "hai nghìn không trăm mười lăm"),
        (1_000_000, "một triệu"),
        (1_250_500_000, "một tỷ hai trăm năm mươi triệu năm trăm nghìn"),
        (11, "mười một"),
        (25, "hai mươi lăm"),
        (40, "bốn mươi"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1_005, "một nghìn không trăm linh năm"),
        (120_000, "một trăm hai mươi nghìn"),
        (30_000, "ba mươi nghìn"),
        (1_000_001, "một triệu không trăm linh một"),
        (2_000_000_000_000, "hai nghìn tỷ"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


def test_money_words_capitalised_with_currency():
    assert money_words(120_000) == "Một trăm hai mươi nghìn đồng"
    assert money_words(0) == "Không đồng"


def test_negative_refused():
    with pytest.raises(ValueError):
        number_words(-1)

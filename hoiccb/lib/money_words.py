"""Numbers in Vietnamese words, as receipts write amounts ("Bằng chữ: …").

The rules the common libraries get wrong: a zero hundreds digit inside a number is read
("một nghìn không trăm năm mươi" for 1050), a zero tens digit before a units digit is
"linh" ("một trăm linh một"), 1 after a tens digit of 2 or more is "mốt", 5 after a
tens digit is "lăm", 4 after a tens digit of 2 or more stays "tư" only in speech (we write
"bốn", as accounting forms do), and 10–19 use "mười".
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Group names by power of 1000; after "tỷ" the cycle repeats (nghìn tỷ, triệu tỷ…).
GROUPS = ("", "nghìn", "triệu")


def _triple(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` reads a zero hundreds digit (not the leading group)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("linh")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens >= 2 else "một")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 10**9; `full` when a higher group precedes (inner zero hundreds are read)."""
    groups = []
    while n:
        n, part = divmod(n, 1000)
        groups.append(part)
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        part = groups[index]
        if part == 0:
            continue
        words += _triple(part, full=full or index < top)
        if GROUPS[index]:
            words.append(GROUPS[index])
    return words


def _words(n: int, *, full: bool) -> list[str]:
    """Words for n > 0; above a billion the part before "tỷ" is read the same way again."""
    if n >= 10**9:
        high, low = divmod(n, 10**9)
        words = [*_words(high, full=full), "tỷ"]
        return words + _below_billion(low, full=True) if low else words
    return _below_billion(n, full=full)


def number_words(n: int) -> str:
    """Return `n` (an integer ≥ 0) in Vietnamese words, lower case: 2015 → "hai nghìn không trăm mười lăm"."""
    if n < 0:
        raise ValueError("negative amounts have no words here")
    return " ".join(_words(n, full=False)) if n else DIGITS[0]


def money_words(amount: int) -> str:
    """Return the amount as a receipt writes it: "Một triệu hai trăm nghìn đồng"."""
    text = f"{number_words(amount)} đồng"
    return text[0].upper() + text[1:]

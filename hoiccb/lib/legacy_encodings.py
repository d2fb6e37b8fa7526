"""Vietnamese text typed in the legacy font encodings TCVN3 (ABC) and VNI, back to Unicode.

Lists made before Unicode took over were typed in ".Vn" fonts (TCVN3) or "VNI-" fonts.
Opened today, their cells hold Latin-1 look-alikes: "NguyÔn V¨n Hïng" (TCVN3) or
"Nguyeãn Vaên Huøng" (VNI). Which encoding a column is in is decided from many of
its cells together, because one short cell can be read several ways.
"""

import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum


class Encoding(StrEnum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"

    @property
    def label(self) -> str:
        return {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}[self.value]


# TCVN 5712:1993 "VN3", the ABC fonts (.VnTime…): one byte per letter. The same bytes
# as glibc's TCVN5712-1 in 0xA1–0xFE (a test compares them with `iconv`). VN3 has
# no capitals with tone marks: capitals are typed in the ".VnTimeH" fonts, whose
# lower-case codes are drawn as capitals (see _capitals_font_words).
TCVN3_TABLE: dict[str, str] = {
    "µ": "à", "¸": "á", "¶": "ả", "·": "ã", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¾": "ắ", "¼": "ẳ", "½": "ẵ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "Ê": "ấ", "È": "ẩ", "É": "ẫ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Ð": "é", "Î": "ẻ", "Ï": "ẽ", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Õ": "ế", "Ó": "ể", "Ô": "ễ", "Ö": "ệ",
    "×": "ì", "Ý": "í", "Ø": "ỉ", "Ü": "ĩ", "Þ": "ị",
    "ß": "ò", "ã": "ó", "á": "ỏ", "â": "õ", "ä": "ọ",
    "«": "ô", "å": "ồ", "è": "ố", "æ": "ổ", "ç": "ỗ", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "í": "ớ", "ë": "ở", "ì": "ỡ", "î": "ợ",
    "ï": "ù", "ó": "ú", "ñ": "ủ", "ò": "ũ", "ô": "ụ",
    "\xad": "ư", "õ": "ừ", "ø": "ứ", "ö": "ử", "÷": "ữ", "ù": "ự",
    "ú": "ỳ", "ý": "ý", "û": "ỷ", "ü": "ỹ", "þ": "ỵ",
    "¡": "Ă", "¢": "Â", "§": "Đ", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư",
}  # fmt: skip
_TCVN3_TRANSLATION = str.maketrans(TCVN3_TABLE)

# VNI for Windows: a base letter followed by a mark character (two characters for
# most toned vowels), plus a few single characters. Longest sequences match first.
_VNI_VOWELS = {
    # base: (grave, acute, hook, tilde, dot) written as VNI suffixes
    "a": "aø aù aû aõ aï",
    "ă": "aè aé aú aü aë",
    "â": "aà aá aå aã aä",
    "e": "eø eù eû eõ eï",
    "ê": "eà eá eå eã eä",
    "i": "ì í æ ó ò",
    "o": "oø où oû oõ oï",
    "ô": "oà oá oå oã oä",
    "ơ": "ôø ôù ôû ôõ ôï",
    "u": "uø uù uû uõ uï",
    "ư": "öø öù öû öõ öï",
    "y": "yø yù yû yõ î",
}
_TONES = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _vni_table() -> dict[str, str]:
    table = {"aê": "ă", "aâ": "â", "eâ": "ê", "oâ": "ô", "ô": "ơ", "ö": "ư", "ñ": "đ"}
    for base, sequences in _VNI_VOWELS.items():
        for sequence, tone in zip(sequences.split(), _TONES, strict=True):
            table[sequence] = unicodedata.normalize("NFC", base + tone)
    # Capitals: the same sequences in upper case (VNI has capital mark characters too).
    for sequence, letter in list(table.items()):
        table[sequence.upper()] = letter.upper()
    return table


VNI_TABLE: dict[str, str] = _vni_table()
_VNI_PATTERN = re.compile("|".join(sorted(map(re.escape, VNI_TABLE), key=len, reverse=True)))

# Vietnamese letters outside Latin-1 (ă đ ơ ư ĩ ũ and the toned vowels, precomposed
# or as combining marks): legacy text cannot hold them, so one settles a column as Unicode.
_VIETNAMESE_UNICODE = re.compile("[ăđơưĩũĂĐƠƯĨŨ\u1ea0-\u1ef9\u0300-\u0303\u0309\u0323]")
_LEGACY_RANGE = re.compile("[\u00a1-\u00ff]")


def decode_tcvn3(text: str) -> str:
    """Return TCVN3 text in Unicode NFC, capitals restored for words typed in the capitals font."""
    return unicodedata.normalize("NFC", _capitals_font_words(text, text.translate(_TCVN3_TRANSLATION)))


def _capitals_font_words(raw: str, converted: str) -> str:
    """Upper-case the words typed in a ".VnTimeH" capitals font.

    In those fonts the lower-case codes are drawn as capitals, so "NGUYÔN" (ASCII
    capitals around a lower-case code) is "NGUYỄN". A word with two or more plain
    letters, all capitals, is taken as typed in that font; then so is every word of
    the cell whose plain letters are capitals ("Hå" alone is "Hồ", beside "NGUYÔN" "HỒ").
    """
    raw_words, words = raw.split(" "), converted.split(" ")
    if len(raw_words) != len(words):  # translation keeps spaces; defensive only
        return converted
    plain = [[c for c in w if c.isascii() and c.isalpha()] for w in raw_words]
    capitals = [bool(p) and all(c.isupper() for c in p) for p in plain]
    if not any(cap and len(p) >= 2 for cap, p in zip(capitals, plain, strict=True)):
        return converted
    return " ".join(w.upper() if cap else w for w, cap in zip(words, capitals, strict=True))


def decode_vni(text: str) -> str:
    """Return VNI text in Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TABLE[m.group(0)], text))


_DECODERS = {Encoding.TCVN3: decode_tcvn3, Encoding.VNI: decode_vni}


def decode(text: str, encoding: Encoding) -> str:
    """Return `text` converted from `encoding` to Unicode NFC (Unicode text is only normalised)."""
    if encoding == Encoding.UNICODE:
        return unicodedata.normalize("NFC", text)
    return _DECODERS[encoding](text)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
    r"(uyê|uya|uyu|iêu|yêu|oai|oay|oeo|uây|uôi|ươi|ươu|ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi"
    r"|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|[aăâeêioôơuưy])"
    r"(ch|ng|nh|[cmnpt])?$"
)


def _is_syllable(word: str) -> bool:
    """Return True when `word` (one letter run) spells a Vietnamese syllable with at most one tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(1 for c in decomposed if c in _TONE_MARKS) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return bool(_SYLLABLE.match(bare))


_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _syllable_score(text: str) -> int:
    """Count the words that read as Vietnamese syllables, minus those that cannot be."""
    score = 0
    for word in _LETTER_RUN.findall(text):
        if word.isascii():
            continue  # reads the same in every encoding
        score += 1 if _is_syllable(word) else -1
    return score


def detect_encoding(values: Iterable[str], sample: int = 300) -> Encoding:
    """Return the encoding the text cells of one column were typed in.

    Unicode as soon as a cell holds a Vietnamese letter outside Latin-1; otherwise
    the reading under which most words spell Vietnamese syllables (ties and plain
    ASCII stay Unicode).
    """
    texts = [v for v in values if isinstance(v, str) and _LEGACY_RANGE.search(v)][:sample]
    if not texts:
        return Encoding.UNICODE
    joined = "\n".join(texts)
    if _VIETNAMESE_UNICODE.search(unicodedata.normalize("NFC", joined)):
        return Encoding.UNICODE
    scores = {Encoding.UNICODE: _syllable_score(joined)}
    scores.update({enc: _syllable_score(decoder(joined)) for enc, decoder in _DECODERS.items()})
    best = max(scores, key=lambda enc: (scores[enc], enc == Encoding.UNICODE))
    return best

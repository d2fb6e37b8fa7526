"""Vietnamese text typed in the legacy font encodings TCVN3 (ABC) and VNI, back to Unicode.

Lists made before Unicode took over were typed in ".Vn" fonts (TCVN3) or "VNI-" fonts.
Opened today, their cells hold Latin-1 look-alikes: "NguyÔn V¨n Hïng" (TCVN3) or
"Nguyeãn Vaên Huøng" (VNI). Lists mix them: a clerk adds a member at the bottom in
Unicode on a newer computer. So each cell is read by its own evidence
(`cell_encoding`): a cell holding a Vietnamese letter outside Latin-1 is Unicode and
is never converted; otherwise the reading under which its words spell Vietnamese
syllables wins, the column's majority breaking ties.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from functools import lru_cache

from hoiccb.lib.text import INVISIBLE


class Encoding(StrEnum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"

    @property
    def label(self) -> str:
        return {"unicode": "Unicode", "tcvn3": "TCVN3 (ABC)", "vni": "VNI"}[self.value]


# A column's setting: AUTO reads each cell by its own evidence; an Encoding forces it
# (for every cell that is not evidently Unicode).
AUTO = "auto"


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
    letters, all capitals, around a legacy code is taken as typed in that font; then so is every word of
    the cell whose plain letters are capitals ("Hå" alone is "Hồ", beside "NGUYÔN" "HỒ").
    """
    raw_words, words = raw.split(" "), converted.split(" ")
    if len(raw_words) != len(words):  # translation keeps spaces; defensive only
        return converted
    plain = [[c for c in w if c.isascii() and c.isalpha()] for w in raw_words]
    capitals = [bool(p) and all(c.isupper() for c in p) for p in plain]
    # Evidence is a capitals word holding a legacy code ("NGUYÔN"); "CCB" alone is an acronym.
    evidence = zip(capitals, plain, raw_words, strict=True)
    if not any(cap and len(p) >= 2 and not w.isascii() for cap, p, w in evidence):
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
# Nuclei that end in a vowel take no final consonant; those that need one.
_OPEN = "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oeo uây uôi ươi ươu uya uyu"
_OPEN_NUCLEI = frozenset(_OPEN.split())
_CLOSED = "ă â iê yê uô ươ oă uâ uyê"
_CLOSED_NUCLEI = frozenset(_CLOSED.split())
_PALATAL = "a ê i y oa uê uy"
_PALATAL_NUCLEI = frozenset(_PALATAL.split())  # the only ones before -ch, -nh


def _is_syllable(word: str) -> bool:
    """Return True when `word` (one letter run) spells a Vietnamese syllable with at most one tone.

    Beyond the spelling, the rules that tell readings apart: -c -ch -p -t take only the
    acute or the dot tone, -ch -nh follow a ê i (oa uê uy) only, vowel endings take no
    final consonant and ă â iê uô ươ need one ("Bớch" is no syllable, "Bích" is).
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONE_MARKS]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    for match in _parses(bare):
        _initial, nucleus, coda = match
        if coda in ("c", "ch", "p", "t") and tones and tones[0] not in ("\u0301", "\u0323"):
            continue
        if coda in ("ch", "nh") and nucleus not in _PALATAL_NUCLEI:
            continue
        if (coda and nucleus in _OPEN_NUCLEI) or (not coda and nucleus in _CLOSED_NUCLEI):
            continue
        return True
    return False


def _parses(bare: str) -> list[tuple[str, str, str]]:
    """Return the ways a toneless word splits into initial, nucleus and final ("gin": g-i-n)."""
    found = []
    match = _SYLLABLE.match(bare)
    if match:
        found.append((match.group(1) or "", match.group(2), match.group(3) or ""))
        if bare.startswith(("gi", "qu")) and len(bare) > 2:
            rest = _SYLLABLE.match(bare[1:])  # "gìn", "quốc" read with a one-letter initial
            if rest and not rest.group(1):
                found.append((bare[0], rest.group(2), rest.group(3) or ""))
    return found


# Syllables that fill member lists: family and given names, places, ranks, the
# headings' words. A reading made of these beats one made of rare syllables
# ("Lê Hùng" over its TCVN3 reading "Lờ Hựng").
_COMMON_TEXT = """
    nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh đào đoàn lương trịnh mai
    tô hà lưu chu cao quách thái tạ lâm la vương kiều khúc triệu lại văn thị hữu đức đình công quang
    minh thanh xuân thu hồng ngọc kim bích thúy thủy lan hương hoa hùng dũng cường tuấn tú anh bình an
    hòa hoà hải sơn nam bắc trung đông tây tiến thắng lợi việt long phong phúc lộc thọ hạnh nhung nga
    hằng loan liên linh ly my mỹ trang trâm vân yến uyên oanh phương phượng tâm tài trí nghĩa dung hiền
    hiếu thảo nhân lực chiến chính sĩ hiệp hiển huy khánh khang khải kiên lực mạnh nhật quốc quý sáng
    thành thế thịnh toàn trọng tùng vinh vĩnh hưng hợp hiệu hạ hậu giang hội điền điệp đạt đại đăng đông
    định hiệp hoàn hưởng kha khoa lâm lĩnh luân nghị ninh phú phụng quyết sinh sửu tám tân thân thiện
    thông thuận tiên tín tịnh toản trường tư tự tường vũ xã huyện tỉnh thôn xóm ấp khu phố phường thị
    trấn đội tiểu đoàn sư lữ trung úy tá tướng binh nhì nhất thượng hạ sĩ quan chiến sĩ cựu ghi chú họ
    và tên ngày tháng năm sinh giới tính nữ quê quán nơi ở hiện nay chỗ địa chỉ đơn vị chi cơ sở cấp bậc
    chức vụ đảng viên vào kết nạp nhập ngũ xuất ngũ số thẻ điện thoại dân tộc kinh tôn giáo phật không
    học vấn văn hóa hoá trình độ nghề nghiệp hưu trí nông thương tỷ lệ đối tượng danh sách khen thưởng
    huân chương kháng pháp mỹ bằng khen
"""
_COMMON = frozenset(_COMMON_TEXT.split())

# Latin-1 letters that Vietnamese in Unicode uses; any other character of 0xA1–0xFF
# in a word means the word is not Unicode Vietnamese.
_VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_FOREIGN = frozenset(chr(c) for c in range(0xA1, 0x100)) - _VIETNAMESE_LATIN1
_FOREIGN_PATTERN = re.compile("[" + re.escape("".join(sorted(_FOREIGN))) + "]")
_WORD = re.compile("[^\\s\\d.,;:!?()\\[\\]{}/\\\\|\"'\u201c\u201d\u2018\u2019*+=<>\u2013\u2014-]+")


@lru_cache(maxsize=65_536)
def _word_score(word: str) -> int:
    """2 for a common syllable, 1 for a syllable, -1 for none, -2 for a word holding a non-letter."""
    if word.isascii():
        return 0  # reads the same in every encoding
    if not _FOREIGN.isdisjoint(word):
        return -2
    lower = word.lower()
    if not _is_syllable(lower):
        return -1
    return 2 if lower in _COMMON else 1


def _syllable_score(text: str) -> int:
    """Sum the words' scores: how much a reading of `text` looks like Vietnamese."""
    return sum(_word_score(word) for word in _WORD.findall(text))


_STRIP_INVISIBLE = {ord(ch): None for ch in INVISIBLE if ch != "\xad"}  # 0xAD is TCVN3's "ư"


def _readings(text: str) -> dict[Encoding, int]:
    """Score each reading of `text`; a legacy reading that changes nothing is left out (it is Unicode)."""
    unicode_text = unicodedata.normalize("NFC", text)
    scores = {Encoding.UNICODE: _syllable_score(unicode_text)}
    for encoding, decoder in _DECODERS.items():
        converted = decoder(text)
        if converted != unicode_text:
            scores[encoding] = _syllable_score(converted)
    return scores


def is_unicode(text: str) -> bool:
    """Return True when `text` is certainly Unicode: no legacy byte, or a Vietnamese letter outside Latin-1."""
    return not _LEGACY_RANGE.search(text) or bool(_VIETNAMESE_UNICODE.search(text))


@lru_cache(maxsize=131_072)  # names repeat little, but places, ranks and units do
def cell_encoding(text: str, setting: str = AUTO, majority: str | None = Encoding.UNICODE) -> Encoding | None:
    """Return the encoding one cell was typed in.

    A cell that is certainly Unicode (see is_unicode) is Unicode whatever the
    setting. AUTO: the reading with the best syllable score; on a tie, `majority`
    when it is among the best, else Unicode, else TCVN3 (None as majority: None on a tie,
    for counting the decisive cells). A forced setting: that encoding, unless the
    cell already reads as Vietnamese in Unicode at least as well.
    """
    text = text.translate(_STRIP_INVISIBLE)
    if is_unicode(text):
        return Encoding.UNICODE
    if setting == Encoding.UNICODE:
        return Encoding.UNICODE
    scores = _readings(text)
    unicode_score = scores[Encoding.UNICODE]
    if setting != AUTO:
        forced = Encoding(setting)
        if forced not in scores or (unicode_score > 0 and unicode_score >= scores[forced]):
            return Encoding.UNICODE  # reads as Vietnamese already: forcing leaves it alone
        return forced
    best_score = max(scores.values())
    if best_score <= 0:
        return Encoding.UNICODE  # no reading looks Vietnamese ("José Muñoz"): keep it as typed
    best = [enc for enc, score in scores.items() if score == best_score]
    if len(best) == 1:
        return best[0]
    if majority is None:
        return None
    for choice in (Encoding(majority), Encoding.UNICODE, Encoding.TCVN3):
        if choice in best:
            return choice
    return best[0]


def decode_cell(text: str, setting: str = AUTO, majority: str = Encoding.UNICODE) -> str:
    """Return one cell in Unicode NFC, read as cell_encoding decides."""
    encoding = cell_encoding(text, setting, majority) or Encoding.UNICODE
    return decode(text.translate(_STRIP_INVISIBLE), encoding)


def column_mix(values: Iterable, setting: str = AUTO) -> tuple[Encoding, Counter]:
    """Return a column's majority encoding and how many of its text cells are in each.

    The majority is counted over the cells that decide on their own (ties left out);
    Unicode when none does.
    """
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    decisive = Counter(e for t in texts if (e := cell_encoding(t, AUTO, None)) is not None and not is_unicode(t))
    majority = decisive.most_common(1)[0][0] if decisive else Encoding.UNICODE
    if setting != AUTO:
        majority = Encoding(setting)
    mix = Counter(cell_encoding(t, setting, majority) or Encoding.UNICODE for t in texts)
    return majority, mix


def detect_encoding(values: Iterable[str], sample: int = 300) -> Encoding:
    """Return the encoding most of the text cells of one column were typed in (Unicode when unsure)."""
    texts = [v for v in values if isinstance(v, str) and _LEGACY_RANGE.search(v)][:sample]
    if not texts:
        return Encoding.UNICODE
    decisive = Counter(e for t in texts if (e := cell_encoding(t, AUTO, None)) is not None)
    if not decisive:
        return Encoding.UNICODE
    return max(decisive, key=lambda enc: (decisive[enc], enc == Encoding.UNICODE))


def legacy_leftovers(text: str) -> str:
    """Return the characters of `text` that no Vietnamese word holds in Unicode ("¨ª" of "V¨n Lª"), once each."""
    if not _FOREIGN_PATTERN.search(text):
        return ""  # the usual name: one search in C instead of a look at every letter
    return "".join(dict.fromkeys(c for c in text if c in _FOREIGN))


def legacy_byte_score(text: str) -> int:
    """Return how Vietnamese `text` (one byte per character, read as Latin-1) looks, each cell at its best reading."""
    return sum(max(_readings(line).values()) for line in text.splitlines() if _LEGACY_RANGE.search(line))


def unicode_score(text: str) -> int:
    """Return how Vietnamese `text` looks read as Unicode (for telling Windows-1258 from legacy bytes)."""
    return _syllable_score(unicodedata.normalize("NFC", text))

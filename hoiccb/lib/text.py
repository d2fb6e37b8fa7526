"""One clean-up for every piece of text that comes in, typed or imported.

Names and notes arrive from forms, spreadsheets and legacy files with NFD
letters, zero-width spaces, a BOM, bidi overrides or NUL bytes. Stored as they
came, they never match a search ("Hùng" with a zero-width space is not "Hùng")
and a NUL byte breaks PostgreSQL. Every text field passes through here on the
way in: forms through ``CleanTextMixin``-style field cleaning, imports after
their legacy conversion (legacy TCVN3 uses byte 0xAD as a letter, so the
conversion must come first).
"""

import re
import unicodedata

# Characters that carry no visible meaning in a name or a note: zero-width
# spaces and joiners, the word joiner, the BOM, bidi marks and overrides, the
# soft hyphen, and the interlinear annotation marks.
INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff\ufff9\ufffa\ufffb"
)
_INVISIBLE_TABLE = {ord(ch): None for ch in INVISIBLE}
# C0 and C1 controls other than tab and newline (CR is folded into newline first).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[^\S\n]+")  # white space other than newlines
_ANY_SPACE = re.compile(r"\s+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def clean_text(text: str | None, *, multiline: bool = False) -> str:
    """Return text in NFC without invisible or control characters, spaces folded.

    One line (the default): every run of white space becomes one space.
    ``multiline``: line breaks are kept (at most one empty line in a row) and
    each line is trimmed.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text.translate(_INVISIBLE_TABLE))
    text = unicodedata.normalize("NFC", text)
    if not multiline:
        return _ANY_SPACE.sub(" ", text).strip()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()

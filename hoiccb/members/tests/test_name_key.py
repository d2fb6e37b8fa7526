"""The shortcuts taken on every row of a large import give what the plain forms give."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hoiccb.lib.legacy_encodings import _FOREIGN, legacy_leftovers
from hoiccb.lib.vietnamese import nfc, normalize_search, title_case_name
from hoiccb.members.imports.parsing import name_key

# Words of Vietnamese letters, combining marks, invisible and legacy characters, and anything
# else, joined by spaces of several kinds: a word of marks alone has an empty search form.
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯàáảãạầấẩẫậềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
WORD = st.text(alphabet=st.sampled_from(list(LETTERS + "\u0301\u0300\u200b¨ª§")), max_size=5) | st.text(max_size=3)
TEXT = st.lists(WORD, max_size=4).flatmap(
    lambda words: st.sampled_from([" ", "\u00a0", "\t"]).map(lambda s: s.join(words))
)


@settings(max_examples=500)
@given(TEXT, TEXT, TEXT)
@example("Nguyễn", "\u0301", "Hùng")
def test_name_key_word_by_word_is_the_whole_names_search_form(ho, chu_dem, ten):
    whole = normalize_search(" ".join(p for p in (ho, chu_dem, ten) if p))
    assert name_key({"ho": ho, "chu_dem": chu_dem, "ten": ten}) == whole


@settings(max_examples=500)
@given(TEXT)
def test_title_case_and_leftovers_match_their_plain_forms(text):
    assert title_case_name(text) == " ".join(w[:1].upper() + w[1:].lower() for w in nfc(text).split(" "))
    assert legacy_leftovers(text) == "".join(dict.fromkeys(c for c in text if c in _FOREIGN))

"""One validation for every search box: cleaned text, bounded length, a message when cut.

A NUL byte in a query breaks PostgreSQL ("string literal cannot contain NUL"), and a
thousand words build a condition SQLite refuses ("Expression tree is too large"). Every
`q` passes here first: cleaned like any incoming text (hoiccb.lib.text), then cut to
SEARCH_MAX_WORDS words and SEARCH_MAX_CHARS characters, with a message saying so.
"""

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from hoiccb.lib.text import clean_text

SEARCH_MAX_CHARS = 100
SEARCH_MAX_WORDS = 12
TOO_LONG = (
    f"Từ khóa tìm kiếm dài quá: chỉ tìm theo {SEARCH_MAX_WORDS} từ và {SEARCH_MAX_CHARS} ký tự đầu. "
    "Hãy gõ ngắn gọn hơn (ví dụ họ tên hoặc vài từ chính)."
)


def clean_search(raw: str | None) -> tuple[str, str]:
    """Return the query to search for and a message for the user ("" when none is needed)."""
    text = clean_text(raw or "")
    words = text.split(" ")
    if len(words) <= SEARCH_MAX_WORDS and len(text) <= SEARCH_MAX_CHARS:
        return text, ""
    return " ".join(words[:SEARCH_MAX_WORDS])[:SEARCH_MAX_CHARS].strip(), TOO_LONG


def search_param(request: HttpRequest, name: str = "q") -> str:
    """Return the request's cleaned query parameter; a cut query leaves a warning message."""
    query, message = clean_search(request.GET.get(name, ""))
    if message:
        messages.warning(request, message)
    return query


class SearchField(forms.CharField):
    """A search box in a form: cleaned and cut like `search_param`, never an error.

    The view warns the user with `search_param(request)` when the query was cut.
    """

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> str:
        return clean_search(super().to_python(value))[0]

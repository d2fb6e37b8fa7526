"""What may reach a page: Markdown rendered to HTML, then cleaned by nh3 (Ammonia).

The stored body_html is cleaned on save, and templates clean it again on output
(`news_html` filter), so a row written by other means still cannot carry a script.
"""

import re

import markdown
import nh3
from django.utils.text import slugify

from hoiccb.lib.vietnamese import normalize_search

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote",
    "h2", "h3", "h4", "hr", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Return HTML with only harmless tags and attributes (no script, no on* handlers, no js: URLs)."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_body(source: str) -> str:
    """Return the sanitised HTML of a Markdown body."""
    html = markdown.markdown(source or "", extensions=["sane_lists", "tables"], output_format="html")
    return clean_html(html)


def plain_text(html: str) -> str:
    """Return the text of sanitised HTML (for feeds' summaries and search)."""
    return re.sub(r"\s+", " ", nh3.clean(html or "", tags=set())).strip()


def slug_base(title: str) -> str:
    """ "Hội nghị tổng kết" → "hoi-nghi-tong-ket" (ASCII, at most 120 characters)."""
    return slugify(normalize_search(title))[:120].strip("-") or "bai-viet"

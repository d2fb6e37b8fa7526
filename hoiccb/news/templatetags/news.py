from django import template
from django.utils.safestring import mark_safe

from hoiccb.news.content import clean_html

register = template.Library()


@register.filter
def news_html(value: str) -> str:
    """Mark stored article HTML safe only after cleaning it again (it was cleaned on save too)."""
    return mark_safe(clean_html(value))  # noqa: S308 - cleaned by nh3 on the line above

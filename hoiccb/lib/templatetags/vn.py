from django import template

from hoiccb.lib.dates import PartialDate
from hoiccb.lib.vietnamese import format_money

register = template.Library()


@register.filter
def money(value):
    """1234567 → "1.234.567 đ"."""
    return format_money(value)


@register.filter
def partial_date(value):
    """Show a PartialDate, or its stored text ("1950-06"), as "05/06/1950", "06/1950" or "1950"."""
    if isinstance(value, str) and value:
        try:
            return str(PartialDate.from_storage(value))
        except ValueError:
            return value
    return str(value) if value else ""


@register.filter
def get_item(mapping, key):
    """Return mapping[key] (None when absent): for per-row data prepared by a view."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"

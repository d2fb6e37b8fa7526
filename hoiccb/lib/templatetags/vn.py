from django import template

from hoiccb.lib.vietnamese import format_money

register = template.Library()


@register.filter
def money(value):
    """1234567 → "1.234.567 đ"."""
    return format_money(value)


@register.filter
def partial_date(value):
    """Show a PartialDate (or nothing) as "05/06/1950", "06/1950" or "1950"."""
    return str(value) if value else ""


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

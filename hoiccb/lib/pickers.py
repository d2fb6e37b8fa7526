"""One widget for choosing a member, a unit or several units by typing, never by scrolling.

The widget renders what is chosen as checked radio buttons (checkboxes when several may be
chosen) and a search box. With JavaScript, htmx asks the search URL as the user types and
shows the matches as more radio buttons or checkboxes; `static/js/picker.js` moves a ticked
match to the chosen ones. Without JavaScript the same happens on submit: the form comes back
with "choose one" and the matches for what was typed, as radio buttons; the search URL is
also a plain page of its own. The app that owns the data supplies two functions, bound to
the user: `search(query, filters) -> (options, more)` and `describe(ids) -> options`.

Hand-written on htmx (vendored already) rather than a library such as Tom Select: the
matches are the scoped selectors' own rows rendered on the server (name, unit, birth year,
card number), the no-JavaScript path comes for free, and there is no extra CSS or JSON API.
"""

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from hoiccb.lib.search import clean_search

RESULT_LIMIT = 20


@dataclass(frozen=True)
class Option:
    """One choosable row: its value, its name and what tells it apart (unit, birth year, card)."""

    value: str
    label: str
    detail: str = ""


Search = Callable[[str, Mapping[str, str]], tuple[list[Option], bool]]
Describe = Callable[[Sequence[str]], list[Option]]


def query_key(name: str) -> str:
    return f"{name}__q"


class SearchPicker(forms.Widget):
    template_name = "widgets/picker.html"

    def __init__(
        self,
        *,
        url_name: str,
        search: Search,
        describe: Describe,
        multiple: bool = False,
        placeholder: str = "Gõ tên, có dấu hoặc không dấu…",
        include: str = "",
        params: Mapping[str, str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        """`include`: the name of another field of the form whose value narrows the search (e.g. "unit");
        `params`: fixed narrowing sent with every search (e.g. {"parent": "12"})."""
        super().__init__(attrs)
        self.params = dict(params or {})
        self.url_name = url_name
        self.search = search
        self.describe = describe
        self.multiple = multiple
        self.placeholder = placeholder
        self.include = include
        self.query = ""
        self.filters: dict[str, str] = dict(self.params)

    @property
    def allow_multiple_selected(self) -> bool:  # read by ModelMultipleChoiceField's has_changed
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = clean_search(data.get(query_key(name)))[0]
        if self.include:
            self.filters = {**self.params, self.include: str(data.get(self.include) or "")}
        if self.multiple:
            return data.getlist(name) if isinstance(data, MultiValueDict) else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def format_value(self, value: Any) -> list[str]:
        if value is None or value == "":
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values if v not in (None, "")]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        chosen_values = self.format_value(value)
        chosen = self.describe(chosen_values) if chosen_values else []
        results: list[Option] = []
        more = False
        if self.query and (self.multiple or not chosen):
            results, more = self.search(self.query, self.filters)
            results = [o for o in results if o.value not in chosen_values]
        context["picker"] = {
            "name": name,
            "id": context["widget"]["attrs"].get("id") or f"id_{name}",
            "multiple": self.multiple,
            "input_type": "checkbox" if self.multiple else "radio",
            "chosen": chosen,
            "results": results,
            "more": more,
            "query": self.query,
            "query_name": query_key(name),
            "url": reverse(self.url_name),
            "placeholder": self.placeholder,
            "include": self.include,
            "vals": json.dumps({"name": name, "type": "checkbox" if self.multiple else "radio", **self.params}),
        }
        return context


def picker_page(request, search: Callable, *, default_name: str, title: str, detail_url: str):
    """A picker's matches: the fragment htmx swaps in under the field, else a plain search page
    (the widget works without JavaScript). `search(user, query, params)` → (options, more)."""
    from django.shortcuts import render

    raw = request.GET.get("q") or next((str(v) for k, v in request.GET.items() if k.endswith("__q")), "")
    # Cleaned like every search box: a NUL byte would reach PostgreSQL and fail there.
    query = clean_search(raw)[0]
    options, more = search(request.user, query, request.GET)
    if request.headers.get("HX-Request"):
        context = {
            "options": options,
            "more": more,
            "query": query,
            "name": request.GET.get("name", default_name)[:50],
            "input_type": "checkbox" if request.GET.get("type") == "checkbox" else "radio",
        }
        return render(request, "widgets/_picker_results.html", context)
    context = {"title": title, "options": options, "more": more, "query": query, "detail_url": detail_url}
    return render(request, "widgets/search_page.html", context)

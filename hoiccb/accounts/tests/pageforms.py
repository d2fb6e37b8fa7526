"""Read the forms of a page the way a browser would submit them, for the no-leaks walks."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)  # name → option values

    def data(self) -> dict[str, list[str]]:
        """Return what submitting the form unchanged sends (a select without a selected option sends its first)."""
        sent = {name: list(values) for name, values in self.fields.items()}
        for name, options in self.selects.items():
            if name not in sent and options:
                sent[name] = [options[0]]
        return sent


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = PageForm(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
        if self._form is None or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.fields.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a["name"]
            self._form.selects.setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._form.selects[self._select].append(value)
            if "selected" in a:
                self._form.fields.setdefault(self._select, []).append(value)
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.setdefault(self._textarea, []).append("".join(self._text).lstrip("\n"))
            self._textarea = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def post_form(html: str, url: str) -> dict[str, list[str]] | None:
    """Return the data of the page's first POST form that posts back to `url`, or None."""
    for form in page_forms(html):
        if form.method == "post" and form.action in ("", url):
            return form.data()
    return None

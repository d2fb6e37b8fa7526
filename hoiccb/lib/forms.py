"""Form pieces shared by the apps: Vietnamese dates, Bootstrap classes, and one text clean-up.

Every text field of every form (they all take BootstrapMixin) is cleaned by
`hoiccb.lib.text.clean_text`: NFC, invisible and control characters removed,
spaces folded (line breaks kept in a textarea). A textarea without its own limit
takes NOTE_MAX_CHARS, or LONG_TEXT_MAX_CHARS for the long texts named below.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.validators import MaxLengthValidator

from hoiccb.lib.text import clean_text

# The mixin is only ever mixed into forms; type-check it as one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


DATE_WORD = "ngày/tháng/năm"
DATE_INVALID = f"Nhập ngày theo dạng {DATE_WORD}, ví dụ 05/06/2024."


class DatePickerInput(forms.DateInput):
    """The browser's date picker (<input type="date">), which sends yyyy-mm-dd and shows the
    date in the phone's own format; without it the field is a text box that still takes
    dd/mm/yyyy (the locale's input formats)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": DATE_WORD, **(attrs or {})}, format="%Y-%m-%d")


class VNDateField(forms.DateField):
    """A full date: a date picker, also accepting dd/mm/yyyy typed (and 5-6-1950)."""

    widget = DatePickerInput
    default_error_messages = {"invalid": DATE_INVALID}


NOTE_MAX_CHARS = 5_000
LONG_TEXT_MAX_CHARS = 50_000
# Textareas that hold a document rather than a note: an article, minutes, report sections.
LONG_TEXTS = frozenset(
    {
        "body_source",
        "minutes",
        "content",
        "building",
        "propaganda",
        "movement",
        "welfare",
        "inspection",
        "shortcomings",
        "plan",
        "strengths",
        "conclusion",
        "summary",
        "evidence",
    }
)


def clean_text_field(name: str, field: forms.Field) -> None:
    """Make a text field clean what it receives (and give a textarea a length limit)."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if getattr(field, "text_cleaned", False):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    original = field.to_python

    def to_python(value: Any) -> Any:
        value = original(value)
        return clean_text(value, multiline=multiline) if isinstance(value, str) and value else value

    field.to_python = to_python  # type: ignore[method-assign]
    field.text_cleaned = True  # type: ignore[attr-defined]
    if multiline and field.max_length is None:
        limit = LONG_TEXT_MAX_CHARS if name in LONG_TEXTS else NOTE_MAX_CHARS
        field.max_length = limit
        field.validators.append(
            MaxLengthValidator(limit, f"Tối đa {limit:,} ký tự (đang có %(show_value)d).".replace(",", "."))
        )
        field.widget.attrs.setdefault("maxlength", str(limit))


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class BootstrapMixin(_FormBase):
    """Give every widget Bootstrap's classes, clean every text field, and mark fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            clean_text_field(name, field)
            # Every full date gets the picker (partial dates are PartialDateFormField, plain text).
            if type(field) is forms.DateField or isinstance(field, VNDateField):
                if not isinstance(field.widget, DatePickerInput):
                    field.widget = DatePickerInput(attrs=field.widget.attrs)
                    field.widget.is_required = field.required
                field.error_messages["invalid"] = DATE_INVALID
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                css = ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            # Django's "---------" for an empty choice means nothing to a clerk.
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = "— Chọn —"
            elif isinstance(widget, forms.Select) and isinstance(field, forms.ChoiceField):
                choices: list[Any] = list(cast(Iterable[Any], field.choices))
                if choices and choices[0] == ("", "---------"):
                    field.choices = [("", "— Chọn —"), *choices[1:]]

    def add_error(self, field, error):
        super().add_error(field, error)
        # Every error, from cleaning or from a service, passes here: mark the inputs,
        # and put the cursor in the first wrong one (long forms hide errors below the fold).
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()
        if not any("autofocus" in f.widget.attrs for f in self.fields.values()):
            first = next((n for n in self.fields if n in self.errors), None)
            if first:
                self.fields[first].widget.attrs["autofocus"] = True

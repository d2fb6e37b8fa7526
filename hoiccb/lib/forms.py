"""Form pieces shared by the apps: Vietnamese dates and Bootstrap classes."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms

# The mixin is only ever mixed into forms; type-check it as one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (the locale's input formats also accept 5-6-1950)."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm"})
    default_error_messages = {"invalid": "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024."}


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class BootstrapMixin(_FormBase):
    """Give every widget Bootstrap's classes, and mark fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
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

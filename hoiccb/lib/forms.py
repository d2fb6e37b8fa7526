"""Form pieces shared by the apps: Vietnamese dates and Bootstrap classes."""

import datetime

from django import forms


class VNDateField(forms.DateField):
    """A date typed as dd/mm/yyyy (the locale's input formats also accept 5-6-1950)."""

    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
    default_error_messages = {"invalid": "Nhập ngày theo dạng dd/mm/yyyy."}


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


class BootstrapMixin:
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

    def add_error(self, field, error):
        super().add_error(field, error)
        # Every error, from cleaning or from a service, passes here: mark the inputs.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()

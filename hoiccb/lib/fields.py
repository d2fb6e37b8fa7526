"""Model and form fields shared by the apps."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from hoiccb.lib.dates import PartialDate


class PartialDateFormField(forms.Field):
    """Accepts "05/6/1950", "6/1950" or "1950" and cleans to a PartialDate (or None)."""

    widget = forms.TextInput(attrs={"placeholder": "vd 15/08/1950", "maxlength": 10})
    default_help = "Ngày/tháng/năm; nếu chỉ biết tháng và năm ghi 08/1950, chỉ biết năm ghi 1950."

    def __init__(self, *, max_length=None, empty_value=None, **kwargs):
        # ModelForm passes CharField arguments (max_length, empty_value); they do not apply.
        kwargs["help_text"] = kwargs.get("help_text") or self.default_help
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return str(value) if isinstance(value, PartialDate) else value

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        value = (value or "").strip()
        return PartialDate.parse(value) if value else None


class PartialDateField(models.CharField):
    """A date of which only the year, or the month and year, may be known."""

    if TYPE_CHECKING:
        # What django-stubs reads for a field's Python type: a PartialDate, not CharField's
        # str. The stubs declare CharField's as str, hence the two ignores, the only place.
        _pyi_private_set_type: PartialDate | str | None  # type: ignore[assignment]
        _pyi_private_get_type: PartialDate | None  # type: ignore[assignment]

    description = "Partial date (year, month/year or full date)"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 10
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", None)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return PartialDate.from_storage(value) if value else None

    def to_python(self, value):
        if value in (None, "") or isinstance(value, PartialDate):
            return value or None
        try:
            return PartialDate.from_storage(value)
        except ValueError:
            return PartialDate.parse(value)

    def get_prep_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, PartialDate):
            return value.to_storage()
        try:
            parsed: object = self.to_python(value)
            return parsed.to_storage() if isinstance(parsed, PartialDate) else ""
        except ValidationError:
            raise
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def value_to_string(self, obj):
        value: object = self.value_from_object(obj)
        return value.to_storage() if isinstance(value, PartialDate) else ""

    def validate(self, value, model_instance):
        if value is None and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value):
        # CharField's MaxLengthValidator would call len() on a PartialDate.
        return None

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", PartialDateFormField)
        return models.Field.formfield(self, **kwargs)

from django import forms

from hoiccb.lib.forms import BootstrapMixin
from hoiccb.lib.legacy_encodings import AUTO, Encoding
from hoiccb.lib.sheets.cells import cell_text
from hoiccb.members.imports.columns import FIELDS
from hoiccb.members.imports.storage import row_cells
from hoiccb.members.models import RowDecision, RowStatus
from hoiccb.org.fields import scoped_unit_field

FIELD_CHOICES = [("", "— Không nhập cột này —"), *((f.key, f.label) for f in FIELDS)]
ENCODING_CHOICES = [(AUTO, "Tự nhận từng ô"), *((e.value, f"Cả cột {e.label}") for e in Encoding)]


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="Tệp danh sách",
        help_text=(
            "Excel (.xlsx, .xls), OpenDocument (.ods) hoặc .csv (UTF-8 hoặc Windows-1258); chữ Unicode, "
            "TCVN3 (ABC) hay VNI, kể cả lẫn nhau trong một cột, đều được."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = scoped_unit_field(
            user,
            label="Đơn vị nhận (khi tệp không có cột đơn vị)",
            required=False,
            holds_members=True,
            empty_label="— Theo cột đơn vị trong tệp —",
        )
        self.order_fields(["file", "unit"])


class MappingForm(BootstrapMixin, forms.Form):
    """One field choice and one encoding choice per column of the file."""

    remember = forms.BooleanField(label="Ghi nhớ cách ghép cột này cho các tệp sau", required=False, initial=True)

    def __init__(self, *args, user, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = batch.columns
        self.fields["unit"] = scoped_unit_field(
            user,
            label="Đơn vị nhận (cho các dòng không ghi đơn vị)",
            required=False,
            holds_members=True,
            empty_label="— Theo cột đơn vị trong tệp —",
        )
        self.fields["unit"].initial = batch.default_unit_id
        for column in batch.columns:
            index = column["index"]
            self.fields[f"field_{index}"] = forms.ChoiceField(
                label=f"Cột {column['letter']} “{column['label'] or '(không tiêu đề)'}”",
                choices=FIELD_CHOICES,
                required=False,
                initial=column["field"] or "",
            )
            self.fields[f"encoding_{index}"] = forms.ChoiceField(
                label=f"Bảng mã cột {column['letter']}", choices=ENCODING_CHOICES, initial=column["encoding"]
            )
        self.order_fields(["unit", "remember"])

    def rows(self):
        """Yield (column, field bound field, encoding bound field) for the template."""
        for column in self.columns:
            yield column, self[f"field_{column['index']}"], self[f"encoding_{column['index']}"]

    def mapping(self) -> tuple[dict[int, str | None], dict[int, str]]:
        fields = {c["index"]: self.cleaned_data.get(f"field_{c['index']}") or None for c in self.columns}
        encodings = {c["index"]: self.cleaned_data[f"encoding_{c['index']}"] for c in self.columns}
        return fields, encodings


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=RowDecision.choices)


class BulkDecisionForm(forms.Form):
    """One decision for a whole kind of rows; `group` narrows matches to one kind of difference."""

    ALL = "*"
    status = forms.ChoiceField(choices=RowStatus.choices)
    decision = forms.ChoiceField(choices=RowDecision.choices)
    group = forms.CharField(required=False, max_length=40)

    def group_field(self) -> str | None:
        group = self.cleaned_data.get("group") or ""
        return None if group == self.ALL else group


class UnitChoicesForm(BootstrapMixin, forms.Form):
    """For each unit text in the file that matched nothing: which unit it means."""

    def __init__(self, *args, user, unresolved: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.unresolved = unresolved
        for i, entry in enumerate(unresolved):
            self.fields[f"unit_{i}"] = scoped_unit_field(
                user,
                label=f"“{entry['text']}” ({entry['rows']} dòng)",
                required=False,
                holds_members=True,
                empty_label="— Chọn đơn vị —",
            )

    def choices(self) -> dict:
        return {
            entry["text"]: self.cleaned_data[f"unit_{i}"]
            for i, entry in enumerate(self.unresolved)
            if self.cleaned_data.get(f"unit_{i}")
        }


class RowFixForm(BootstrapMixin, forms.Form):
    """The cells of one row, as text, for the user to correct."""

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, **kwargs)
        raw = row_cells(row)
        for column in row.batch.columns:
            if not column["field"] or column["field"] == "stt":
                continue
            index = column["index"]
            value = raw[index] if index < len(raw) else ""
            self.fields[f"cell_{index}"] = forms.CharField(
                label=f"{column['label'] or column['letter']}",
                required=False,
                # corrections are typed in Unicode
                initial=cell_text(value, column["encoding"], column.get("majority", "unicode")),
            )

    def cells(self) -> dict[int, str]:
        return {int(name.removeprefix("cell_")): value for name, value in self.cleaned_data.items()}

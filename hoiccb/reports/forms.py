from typing import cast

from django import forms
from django.db import models

from hoiccb.lib.forms import BootstrapMixin, VNDateField
from hoiccb.org.models import Unit, UnitKind
from hoiccb.reports.figures import Figure
from hoiccb.reports.models import TEXT_SECTIONS, Period, UnitReport

# A figure (a count or an amount in đồng) above this is a typo; roll-ups add figures of
# thousands of units and must stay far from any integer limit.
FIGURE_MAX = 1_000_000_000_000


class PeriodForm(BootstrapMixin, forms.ModelForm):
    start = VNDateField(label="Từ ngày")
    end = VNDateField(label="Đến ngày")
    deadline = VNDateField(label="Hạn nộp chung")
    locks_on = VNDateField(
        label="Khóa sổ sau ngày",
        required=False,
        help_text=(
            "Để trống: không khóa. Sau ngày này chỉ đơn vị được cấp trên cho phép nộp muộn mới lập, sửa, nộp được."
        ),
    )

    class Meta:
        model = Period
        fields = ["kind", "name", "start", "end", "title", "deadline", "locks_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.level_kinds = list(UnitKind.objects.filter(level__gte=1, level__lte=3).order_by("-level"))
        for kind in self.level_kinds:
            self.fields[f"deadline_{kind.code}"] = VNDateField(label=f"Hạn nộp của {kind.name}", required=False)
            self.fields[f"deadline_{kind.code}"].widget.attrs["class"] = "form-control"

    def level_deadlines(self) -> dict:
        return {k: self.cleaned_data.get(f"deadline_{k.code}") for k in self.level_kinds}


class ReportForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.CharField(label="Số", max_length=30, required=False)
    place = forms.CharField(label="Địa danh", max_length=100, required=False)
    dated_on = VNDateField(label="Ngày ban hành", required=False)
    signer = forms.CharField(label="Người ký (Chủ tịch)", max_length=150, required=False)

    def __init__(self, *args, report: UnitReport, catalogue: list[Figure], **kwargs):
        initial = {
            "version": report.version,
            "number": report.number,
            "place": report.place,
            "dated_on": report.dated_on,
            "signer": report.signer,
        }
        text_names = [*(code for code, _ in TEXT_SECTIONS), "shortcomings", "plan"]
        for name in text_names:
            initial[name] = getattr(report, name)
        for figure in catalogue:
            initial[f"f_{figure.code}"] = report.value(figure.code) if figure.code in report.values() else None
        super().__init__(*args, initial=initial, **kwargs)
        for name in text_names:
            label = cast(models.Field, UnitReport._meta.get_field(name)).verbose_name
            self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))
            self.fields[name].widget.attrs["class"] = "form-control"
        self.catalogue = catalogue
        self.report = report
        for figure in catalogue:
            field = forms.IntegerField(
                label=figure.label,
                required=False,
                min_value=0,
                max_value=FIGURE_MAX,
                error_messages={
                    "invalid": "Nhập một số nguyên.",
                    "min_value": "Số liệu không âm.",
                    "max_value": "Số liệu quá lớn (tối đa 1.000.000.000.000).",
                },
            )
            field.widget.attrs.update({"class": "form-control form-control-sm text-end", "inputmode": "numeric"})
            self.fields[f"f_{figure.code}"] = field
        self.text_names = text_names

    def figure_rows(self):
        return [
            (figure, self[f"f_{figure.code}"], self.report.computed.get(figure.code) if figure.computed else None)
            for figure in self.catalogue
        ]

    def text_fields(self):
        return [self[name] for name in self.text_names]

    def header_fields(self):
        return [self[name] for name in ("number", "place", "dated_on", "signer")]

    def parts(self) -> tuple[dict, dict, dict]:
        data = self.cleaned_data
        header = {name: data[name] for name in ("number", "place", "dated_on", "signer")}
        header = {k: (v if v is not None else None) for k, v in header.items()}
        texts = {name: data[name] for name in self.text_names}
        edited = {figure.code: data[f"f_{figure.code}"] for figure in self.catalogue}
        return header, texts, edited


class ReturnForm(BootstrapMixin, forms.Form):
    comment = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ExceptionForm(BootstrapMixin, forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none(), empty_label="— chọn đơn vị —")
    until = VNDateField(label="Được nộp đến ngày")
    reason = forms.CharField(label="Lý do", max_length=255)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units

"""Forms of the dues and funds pages."""

from __future__ import annotations

from typing import cast

from django import forms

from hoiccb.activities.models import Activity, Gift
from hoiccb.finance.models import INCOME, EntryCategory, FundKind
from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.org.fields import scoped_unit_field
from hoiccb.org.models import Unit

YEAR_MIN, YEAR_MAX = 1990, 2200


class UnitYearForm(BootstrapMixin, forms.Form):
    """Which unit and year a dues page shows (GET: `don_vi`, `nam`)."""

    don_vi = forms.IntegerField(required=False)
    nam = forms.IntegerField(label="Năm", min_value=YEAR_MIN, max_value=YEAR_MAX, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = scoped_unit_field(
            user, label="Đơn vị", required=False, empty_label="— Đơn vị của tôi —"
        )
        self.fields["don_vi"].widget.attrs["class"] = "form-select"
        self.user = user

    def unit_and_year(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("don_vi") or self.user.unit, data.get("nam") or today().year


class PayForm(BootstrapMixin, forms.Form):
    paid_on = VNDateField(label="Ngày nộp", initial=today)
    collected_by = forms.CharField(label="Người thu", max_length=150)


class RemittanceForm(BootstrapMixin, forms.Form):
    to_unit: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Nộp cho")
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1, max_value=10**12 - 1)
    paid_on = VNDateField(label="Ngày nộp", initial=today)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_unit"]).queryset = unit.ancestors()


class FundForm(BootstrapMixin, forms.Form):
    unit = forms.IntegerField()
    name = forms.CharField(label="Tên quỹ", max_length=150)
    kind = forms.ChoiceField(label="Loại quỹ", choices=FundKind.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = scoped_unit_field(user, label="Đơn vị")
        self.order_fields(["unit", "kind", "name"])


ENTRY_CHOICES = [(c.value, c.label) for c in EntryCategory if c != EntryCategory.REVERSAL]


class EntryForm(BootstrapMixin, forms.Form):
    on = VNDateField(label="Ngày", initial=today)
    category = forms.ChoiceField(label="Khoản", choices=ENTRY_CHOICES)
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1, max_value=10**12 - 1)
    description = forms.CharField(label="Nội dung", max_length=255)
    gift: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Gift.objects.none(), label="Chi cho suất quà", required=False
    )
    activity: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label="Chi cho hoạt động", required=False
    )

    def __init__(self, *args, gifts, activities, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["gift"]).queryset = gifts
        cast(forms.ModelChoiceField, self.fields["activity"]).queryset = activities

    def is_income(self) -> bool:
        return self.cleaned_data.get("category") in INCOME


class ReverseForm(BootstrapMixin, forms.Form):
    on = VNDateField(label="Ngày đảo", initial=today)
    reason = forms.CharField(label="Lý do", max_length=200)


class PeriodForm(BootstrapMixin, forms.Form):
    tu = VNDateField(label="Từ ngày", required=False)
    den = VNDateField(label="Đến ngày", required=False)

    def period(self):
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("den") or today()
        start = data.get("tu") or end.replace(month=1, day=1)
        return (start, end) if start <= end else (end, start)

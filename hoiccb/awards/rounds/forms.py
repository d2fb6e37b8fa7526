from __future__ import annotations

from typing import Any, cast

from django import forms

from hoiccb.awards.movements.models import Movement
from hoiccb.awards.rounds.models import AwardForm, QuotaBasis, Recipient
from hoiccb.lib.forms import BootstrapMixin, VNDateField
from hoiccb.members.models import Member
from hoiccb.org.models import Unit


class RoundForm(BootstrapMixin, forms.Form):
    movement: forms.ModelChoiceField[Movement] = forms.ModelChoiceField(label="Phong trào", queryset=None)
    name = forms.CharField(label="Tên đợt", max_length=255)
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100)
    approval_threshold = forms.IntegerField(label="Ngưỡng tán thành (%)", min_value=1, max_value=100, initial=50)
    unit_minimum = forms.IntegerField(label="Tối thiểu mỗi đơn vị", min_value=0, max_value=100, initial=0)
    group_minimum = forms.IntegerField(
        label="Tối thiểu mỗi khối",
        min_value=0,
        max_value=1000,
        initial=0,
        help_text="Số suất ít nhất cho mỗi khối (Đảng – đoàn thể, doanh nghiệp…) của mỗi chỉ tiêu; 0: không đặt.",
    )

    def __init__(self, *args, movements=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["movement"]).queryset = movements


ADJUSTMENTS = {"": None, "keep": True, "reset": False}


class QuotaForm(BootstrapMixin, forms.Form):
    form = forms.ModelChoiceField(label="Hình thức", queryset=AwardForm.objects.all())
    basis = forms.ChoiceField(label="Cách giao", choices=QuotaBasis.choices)
    value = forms.IntegerField(label="Số lượng hoặc %", min_value=0, max_value=100000)
    keep_adjustments = forms.TypedChoiceField(
        label="Điều chỉnh tay đã có",
        choices=[("", "Hỏi lại nếu có"), ("keep", "Giữ điều chỉnh tay"), ("reset", "Bỏ điều chỉnh, tính lại tất cả")],
        coerce=ADJUSTMENTS.get,
        empty_value=None,
        required=False,
        help_text="Chỉ dùng khi phân bổ lại một hình thức đã có đơn vị được điều chỉnh tay.",
    )


class ShareAdjustForm(BootstrapMixin, forms.Form):
    amount = forms.IntegerField(label="Số suất", min_value=0, max_value=100000)
    reason = forms.CharField(label="Lý do", max_length=255)


class NominationForm(BootstrapMixin, forms.Form):
    form = forms.ModelChoiceField(label="Hình thức", queryset=AwardForm.objects.all())
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(label="Đơn vị đề nghị", queryset=None)
    member: forms.ModelChoiceField[Member] = forms.ModelChoiceField(label="Cá nhân", queryset=None, required=False)
    nominee_unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Hoặc tập thể", queryset=None, required=False
    )
    summary = forms.CharField(label="Tóm tắt thành tích", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(label="Tệp đính kèm (PDF, DOCX)", required=False)

    def __init__(self, *args, units=None, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["nominee_unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = members

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        form = data.get("form")
        if form is not None:
            if form.recipient == Recipient.INDIVIDUAL and not data.get("member"):
                self.add_error("member", f"{form.name} dành cho cá nhân: chọn hội viên.")
            if form.recipient == Recipient.COLLECTIVE and not data.get("nominee_unit"):
                self.add_error("nominee_unit", f"{form.name} dành cho tập thể: chọn tập thể.")
            if form.recipient == Recipient.INDIVIDUAL:
                data["nominee_unit"] = None
            else:
                data["member"] = None
        # The attachment is checked by the service (lib.files' guard), its errors shown under the field.
        return data


class VoteForm(BootstrapMixin, forms.Form):
    present = forms.IntegerField(label="Có mặt", min_value=1, max_value=500)
    yes = forms.IntegerField(label="Đồng ý", min_value=0, max_value=500)
    no = forms.IntegerField(label="Không đồng ý", min_value=0, max_value=500, initial=0)
    abstain = forms.IntegerField(label="Không biểu quyết", min_value=0, max_value=500, initial=0)


class NominationEditForm(BootstrapMixin, forms.Form):
    summary = forms.CharField(label="Tóm tắt thành tích", widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(
        label="Thay tệp đính kèm (PDF, DOCX)", required=False, help_text="Để trống nếu giữ tệp đã có."
    )
    drop_attachment = forms.BooleanField(label="Bỏ tệp đính kèm đã có", required=False)


class VoteListForm(BootstrapMixin, forms.Form):
    """One council meeting: the members present, then yes / no / abstain for each nomination of the list.

    A row left blank is not voted this time (it stays before the council)."""

    present = forms.IntegerField(label="Số thành viên hội đồng có mặt", min_value=1, max_value=500)
    # field prefix, full label, the short label shown above a narrow input (phone)
    KINDS = (
        ("yes", "Đồng ý", "Đồng ý"),
        ("no", "Không đồng ý", "Không đồng ý"),
        ("abstain", "Không biểu quyết", "Không BQ"),
    )

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = list(nominations)
        for n in self.nominations:
            for kind, label, _short in self.KINDS:
                self.fields[f"{kind}_{n.pk}"] = forms.IntegerField(
                    label=f"{label} – {n.nominee_name}",
                    min_value=0,
                    max_value=500,
                    required=False,
                    # Added after BootstrapMixin styled the declared fields: styled here.
                    widget=forms.NumberInput(
                        attrs={"class": "form-control", "aria-label": f"{label} – {n.nominee_name}"}
                    ),
                )

    def rows(self):
        """(nomination, [(short label, bound field) for yes, no, abstain]) for the template."""
        return [(n, [(short, self[f"{kind}_{n.pk}"]) for kind, _, short in self.KINDS]) for n in self.nominations]

    def votes(self) -> dict[int, tuple[int, int, int]]:
        """The rows with a count typed: nomination id → (yes, no, abstain), a blank count read as 0."""
        data = self.cleaned_data
        out = {}
        for n in self.nominations:
            counts = [data.get(f"{kind}_{n.pk}") for kind, _, _ in self.KINDS]
            if any(c is not None for c in counts):
                yes, no, abstain = (c or 0 for c in counts)
                out[n.pk] = (yes, no, abstain)
        return out


class DecisionForm(BootstrapMixin, forms.Form):
    form = forms.ModelChoiceField(label="Hình thức", queryset=AwardForm.objects.filter(level="khoi"))
    issued_on = VNDateField(label="Ngày ký")
    signer = forms.CharField(label="Người ký", max_length=150)
    place = forms.CharField(label="Địa danh", max_length=100, initial="Yên Bái")


class DecisionAmendForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Loại quyết định",
        choices=[("correct", "Đính chính"), ("revoke", "Thu hồi, hủy bỏ")],
        widget=forms.RadioSelect,
    )
    issued_on = VNDateField(label="Ngày ký")
    signer = forms.CharField(label="Người ký", max_length=150)
    place = forms.CharField(label="Địa danh", max_length=100, initial="Yên Bái")
    content = forms.CharField(
        label="Nội dung đính chính hoặc lý do thu hồi", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

"""Forms of the personal-data pages."""

from typing import cast

from django import forms

from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.members.privacy.models import ConsentMethod, DataRequest, RequestKind, RequestState
from hoiccb.members.privacy.selectors import LogFilters


class LogFilterForm(BootstrapMixin, forms.Form):
    member = forms.CharField(label="Hội viên (tên hoặc mã)", required=False, max_length=100)
    user = forms.CharField(label="Người xem", required=False, max_length=100)
    date_from = VNDateField(label="Từ ngày", required=False)
    date_to = VNDateField(label="Đến ngày", required=False)

    def to_filters(self) -> LogFilters:
        """Return the filters to apply; a field with a bad value is ignored (and marked)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return LogFilters(
            member=data.get("member") or "",
            user=data.get("user") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class RequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại yêu cầu", choices=RequestKind.choices)
    received_on = VNDateField(label="Ngày nhận", initial=today)
    deadline = VNDateField(label="Hạn giải quyết", required=False, help_text="Để trống: hạn theo loại yêu cầu.")
    channel = forms.CharField(label="Hình thức gửi", required=False, max_length=100)
    details = forms.CharField(label="Nội dung yêu cầu", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class RequestUpdateForm(BootstrapMixin, forms.Form):
    state = forms.ChoiceField(label="Trạng thái", choices=RequestState.choices)
    outcome = forms.CharField(
        label="Kết quả, lý do", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsentForm(BootstrapMixin, forms.Form):
    purpose = forms.CharField(label="Mục đích", max_length=255)
    given_on = VNDateField(label="Ngày đồng ý", initial=today)
    method = forms.ChoiceField(label="Hình thức", choices=ConsentMethod.choices)
    upload = forms.FileField(label="Văn bản đồng ý (PDF, Word)", required=False)


class WithdrawForm(BootstrapMixin, forms.Form):
    on = VNDateField(label="Ngày rút lại", initial=today)


class AnonymiseForm(BootstrapMixin, forms.Form):
    request = forms.ModelChoiceField(
        label="Yêu cầu xoá của hội viên", queryset=DataRequest.objects.none(), required=False, empty_label="(không)"
    )
    reason = forms.CharField(label="Căn cứ", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["request"])
        field.queryset = DataRequest.objects.filter(member=member, kind=RequestKind.DELETION)

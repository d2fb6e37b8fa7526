import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone

from hoiccb.lib.forms import BootstrapMixin, VNDateField
from hoiccb.lib.search import SearchField
from hoiccb.meetings import services
from hoiccb.meetings.models import DocumentKind, Meeting, MeetingKind, MeetingStatus, Reply, TaskGroup, TaskStatus
from hoiccb.org.fields import scoped_unit_field


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.unit})" if obj.unit_id else str(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class MeetingForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=MeetingKind.choices)
    title = forms.CharField(label="Tên hội nghị, buổi làm việc", max_length=255)
    date = VNDateField(label="Ngày")
    time = forms.TimeField(label="Giờ", initial=datetime.time(8, 0), widget=forms.TimeInput(format="%H:%M"))
    venue = forms.CharField(label="Địa điểm", max_length=255, required=False)
    sums_up = forms.CharField(
        label="Phong trào, đợt thi đua tổng kết", max_length=255, required=False, help_text="Bỏ trống nếu không có."
    )
    status = forms.ChoiceField(label="Trạng thái", choices=MeetingStatus.choices, initial=MeetingStatus.PLANNED)

    def __init__(self, *args, user, meeting: Meeting | None = None, **kwargs):
        if meeting is not None and not kwargs.get("data"):
            local = timezone.localtime(meeting.starts_at)
            kwargs["initial"] = {
                "kind": meeting.kind,
                "title": meeting.title,
                "date": local.date(),
                "time": local.time(),
                "venue": meeting.venue,
                "sums_up": meeting.sums_up,
                "status": meeting.status,
            }
        super().__init__(*args, **kwargs)
        if meeting is None:
            self.fields = {"unit": scoped_unit_field(user, label="Đơn vị tổ chức"), **self.fields}
            self.fields["unit"].widget.attrs["class"] = "form-select"

    def service_fields(self) -> dict:
        data = self.cleaned_data
        starts = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return {
            "kind": data["kind"],
            "title": data["title"],
            "starts_at": starts,
            "venue": data["venue"],
            "sums_up": data["sums_up"],
            "status": data["status"],
        }


class AgendaForm(BootstrapMixin, forms.Form):
    time = forms.TimeField(
        label="Giờ", required=False, widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "08:00"})
    )
    content = forms.CharField(label="Nội dung", max_length=500)
    presenter = forms.CharField(label="Người trình bày", max_length=255, required=False)


class ProportionalForm(BootstrapMixin, forms.Form):
    total = forms.IntegerField(label="Tổng số đại biểu", min_value=1, max_value=100000)
    minimum = forms.IntegerField(label="Tối thiểu mỗi đơn vị", min_value=0, max_value=1000, initial=2)


class GuestForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="Họ và tên", max_length=255)
    title = forms.CharField(label="Chức vụ", max_length=255, required=False)
    organisation = forms.CharField(label="Cơ quan, đơn vị", max_length=255, required=False)


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(choices=Reply.choices)


class TaskForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label="Nhiệm vụ", max_length=255)
    group = forms.ChoiceField(label="Nhóm việc", choices=TaskGroup.choices)
    assignee = UserChoiceField(label="Người phụ trách", queryset=None)
    helpers = UsersChoiceField(
        label="Người phối hợp", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    deadline = VNDateField(label="Hạn hoàn thành")
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    notes = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        users = services.assignable_users(meeting).select_related("unit")
        cast(UserChoiceField, self.fields["assignee"]).queryset = users
        cast(UsersChoiceField, self.fields["helpers"]).queryset = users


class ProgressForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="Tình trạng", choices=TaskStatus.choices)
    notes = forms.CharField(label="Ghi chú, vướng mắc", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Tệp đính kèm")


class ChecklistForm(BootstrapMixin, forms.Form):
    assignee = UserChoiceField(label="Giao trước cho", queryset=None)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["assignee"]).queryset = services.assignable_users(meeting).select_related(
            "unit"
        )


class MinutesForm(BootstrapMixin, forms.Form):
    minutes = forms.CharField(label="Biên bản", required=False, widget=forms.Textarea(attrs={"rows": 8}))


class ConclusionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="Kết luận", widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label="Việc phải làm", max_length=255)
    owner = UserChoiceField(label="Người thực hiện", queryset=None)
    due_date = VNDateField(label="Hạn")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        cast(UserChoiceField, self.fields["owner"]).queryset = services.assignable_users(meeting).select_related("unit")


class DocumentForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại tài liệu", choices=DocumentKind.choices)
    title = forms.CharField(label="Tên tài liệu", max_length=255)
    upload = forms.FileField(label="Tệp (PDF, Word)", required=False)
    link = forms.URLField(label="Hoặc đường dẫn", required=False, assume_scheme="https")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("upload") and not data.get("link"):
            raise forms.ValidationError("Cần tải tệp lên hoặc nhập đường dẫn.")
        return data


class DelegateForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


class CheckInSearchForm(forms.Form):
    q = SearchField(label="Tìm đại biểu")

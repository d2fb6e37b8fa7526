import datetime
from typing import Any, cast

from django import forms
from django.db.models.functions import Length

from hoiccb.accounts import scoping
from hoiccb.activities import selectors, services
from hoiccb.activities.models import (
    ACTIVITY_COST_MAX,
    GIFT_VALUE_MAX,
    HEAD_COUNT_MAX,
    Activity,
    ActivityKind,
    Circumstance,
    FundingSource,
    GiftForm,
    Occasion,
    RecommendationStatus,
)
from hoiccb.activities.uploads import ALLOWED, human_size, max_bytes
from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.lib.pickers import SearchPicker
from hoiccb.lib.search import SearchField
from hoiccb.members import access as members_access
from hoiccb.members.models import Member
from hoiccb.members.pickers import member_field
from hoiccb.org.fields import UnitChoiceField, scoped_unit_field
from hoiccb.org.models import OfficerPosition, Unit, UnitStatus
from hoiccb.org.paths import STEP_LENGTH, subtree_filter
from hoiccb.org.pickers import unit_field

EMPTY = [("", "— Tất cả —")]


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    """Several units, each indented from the user's own unit as in UnitChoiceField."""

    def __init__(self, *args: Any, root_depth: int = 1, **kwargs: Any) -> None:
        self.root_depth = root_depth
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Unit) -> str:
        return UnitChoiceField.label_from_instance(cast(UnitChoiceField, self), obj)


class MemberNameChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.full_name


def _scoped_units_multiple(user, label: str, required: bool = False) -> forms.ModelChoiceField:
    """Several active units of the user's scope, chosen by typing (no multi-select of the whole tree)."""
    return unit_field(
        user,
        scoping.units(user).filter(status=UnitStatus.ACTIVE).select_related("kind"),
        label=label,
        required=required,
        multiple=True,
    )


def unit_filter_field(user) -> forms.ModelChoiceField:
    """The "unit (whole branch)" filter: the user's unit and two levels below it.

    Deeper units are reached through their parent's branch; listing all of them would
    put 17,000 options on a national admin's page.
    """
    field = scoped_unit_field(user, label="Đơn vị (cả nhánh)", required=False, active_only=False)
    root = scoping.root_unit(user)
    # A long list is a search picker already: any unit of the scope may be typed.
    if root is not None and field.queryset is not None and not isinstance(field.widget, SearchPicker):
        field.queryset = field.queryset.alias(path_length=Length("path")).filter(
            path_length__lte=len(root.path) + 2 * STEP_LENGTH
        )
    return field


class ActivityFilterForm(BootstrapMixin, forms.Form):
    kind = forms.ModelChoiceField(ActivityKind.objects.filter(is_active=True), label="Loại", required=False)
    date_from = VNDateField(label="Từ ngày", required=False)
    date_to = VNDateField(label="Đến ngày", required=False)
    funding_source = forms.ChoiceField(label="Nguồn kinh phí", choices=EMPTY + FundingSource.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_filter_field(user)
        cast(forms.ModelChoiceField, self.fields["kind"]).empty_label = "— Tất cả —"

    def to_filters(self) -> selectors.ActivityFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.ActivityFilters(
            kind=data.get("kind"),
            unit=data.get("unit"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            funding_source=data.get("funding_source", ""),
        )


class ActivityForm(BootstrapMixin, forms.ModelForm):
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày", required=False, help_text="Bỏ trống nếu diễn ra trong một ngày.")

    class Meta:
        model = Activity
        fields = services.ACTIVITY_FIELDS
        widgets = {"content": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["kind"]).queryset = ActivityKind.objects.filter(is_active=True)
        if creating:
            self.fields = {
                "unit": scoped_unit_field(user, label="Đơn vị tổ chức"),
                **self.fields,
            }
        self.fields["co_organisers"] = _scoped_units_multiple(user, "Đơn vị phối hợp")
        if not creating:
            self.fields["co_organisers"].initial = list(self.instance.co_organisers.all())
        self.fields["cost"].widget.attrs.update({"min": 0, "max": ACTIVITY_COST_MAX, "step": 1000})
        self.fields["head_count"].widget.attrs.update({"min": 0, "max": HEAD_COUNT_MAX})
        self.fields["occasion_year"].help_text = "Bỏ trống: năm của ngày bắt đầu."

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.ACTIVITY_FIELDS}


class ParticipantSearchForm(forms.Form):
    q = SearchField(label="Tìm hội viên")


class AttachmentUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Ảnh hoặc tài liệu")
    caption = forms.CharField(label="Chú thích", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"{ALLOWED[0].upper()}{ALLOWED[1:]}; tối đa {human_size(max_bytes())}."
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx"


class GiftEntryForm(BootstrapMixin, forms.Form):
    beneficiary_name = forms.CharField(
        label="Người, hộ được tặng",
        max_length=200,
        required=False,
        help_text="Chọn hội viên ở trên, hoặc gõ tên người, hộ ngoài Hội.",
    )
    address = forms.CharField(
        label="Địa chỉ", max_length=255, required=False, help_text="Bỏ trống với hội viên: lấy nơi ở trong hồ sơ."
    )
    circumstance = forms.ChoiceField(label="Hoàn cảnh", choices=Circumstance.choices)
    value = forms.IntegerField(
        label="Giá trị (đồng)",
        min_value=1,
        max_value=GIFT_VALUE_MAX,
        error_messages={
            "min_value": "Giá trị quà phải lớn hơn 0.",
            "max_value": "Giá trị một phần quà tối đa 1.000.000.000 đ.",
            "invalid": "Nhập giá trị bằng số đồng, ví dụ 500000.",
        },
    )
    form = forms.ChoiceField(label="Hình thức", choices=GiftForm.choices)
    description = forms.CharField(label="Quà gồm", max_length=255, required=False)
    funding_source = forms.ChoiceField(label="Nguồn kinh phí", choices=FundingSource.choices)
    given_on = VNDateField(label="Ngày tặng", required=False, help_text="Bỏ trống: ngày của đợt.")

    def __init__(self, *args, activity: Activity, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].widget.attrs.update({"step": 1000, "inputmode": "numeric"})
        if activity.funding_source:
            self.fields["funding_source"].initial = activity.funding_source
        if user is not None:
            # The beneficiary from the registry (searched, in the organiser's subtree) or typed in.
            members = members_access.members(user).filter(**subtree_filter("unit_path", activity.unit.path))
            self.fields = {
                "member": member_field(
                    user, members, label="Hội viên được tặng (nếu là hội viên)", required=False, within=activity.unit
                ),
                **self.fields,
            }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        member = data.get("member")
        if member is None and not (data.get("beneficiary_name") or "").strip():
            self.add_error("beneficiary_name", "Chọn hội viên được tặng hoặc gõ tên người, hộ được tặng.")
        if member is None and not (data.get("address") or "").strip():
            self.add_error("address", "Ghi địa chỉ người, hộ được tặng.")
        if member is not None and not (data.get("address") or "").strip() and not member.residence:
            self.add_error("address", "Hồ sơ hội viên chưa có nơi ở: ghi địa chỉ.")
        return data


class GiftFilterForm(BootstrapMixin, forms.Form):
    occasion = forms.ChoiceField(label="Dịp", choices=EMPTY + Occasion.choices, required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=1990, max_value=2100)
    funding_source = forms.ChoiceField(label="Nguồn kinh phí", choices=EMPTY + FundingSource.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_filter_field(user)

    def to_filters(self) -> selectors.GiftFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.GiftFilters(
            occasion=data.get("occasion", ""),
            year=data.get("year"),
            unit=data.get("unit"),
            funding_source=data.get("funding_source", ""),
        )


class PlanForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100)
    title = forms.CharField(label="Tên kế hoạch", max_length=255)
    content = forms.CharField(label="Nội dung kiểm tra, giám sát", widget=forms.Textarea(attrs={"rows": 3}))
    start_date = VNDateField(label="Từ ngày")
    end_date = VNDateField(label="Đến ngày")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "unit": scoped_unit_field(user, label="Đơn vị kiểm tra"),
            **self.fields,
            "inspected_units": _scoped_units_multiple(user, "Các đơn vị được kiểm tra", required=True),
        }
        self.fields["inspected_units"].help_text = "Gõ tên từng đơn vị rồi đánh dấu; chọn được nhiều đơn vị."
        self.fields["year"].initial = today().year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
        return data


class DelegateForm(BootstrapMixin, forms.Form):
    member = MemberNameChoiceField(Member.objects.none(), label="Cán bộ, hội viên", required=False)
    guest_name = forms.CharField(label="Hoặc khách mời (họ tên, nơi công tác)", max_length=200, required=False)
    role = forms.CharField(label="Nhiệm vụ trong đoàn", max_length=100, required=False)

    def __init__(self, *args, user, plan, **kwargs):
        super().__init__(*args, **kwargs)
        # The delegation is drawn from the inspecting unit's officers (its committee and inspection board).
        holders = OfficerPosition.objects.filter(unit=plan.unit, end_date__isnull=True).values("member_id")
        cast(MemberNameChoiceField, self.fields["member"]).queryset = (
            members_access.members(user).filter(pk__in=holders).order_by("sort_key", "id").select_related("unit")
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("member") and not (data.get("guest_name") or "").strip():
            raise forms.ValidationError("Chọn một cán bộ hoặc ghi tên khách mời.")
        return data


class RecordForm(BootstrapMixin, forms.Form):
    inspected_on = VNDateField(label="Ngày kiểm tra", required=False)
    strengths = forms.CharField(label="Ưu điểm", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    shortcomings = forms.CharField(label="Tồn tại, hạn chế", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    conclusion = forms.CharField(label="Kết luận", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RecommendationForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="Nội dung kiến nghị", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Người chịu trách nhiệm", max_length=200)
    due_date = VNDateField(label="Hạn hoàn thành")


class FollowUpForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label="Chuyển sang", choices=RecommendationStatus.choices)
    note = forms.CharField(
        label="Kết quả, minh chứng",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Bắt buộc khi đóng kiến nghị: đã làm gì, văn bản, số liệu chứng minh.",
    )
    on = VNDateField(label="Ngày", required=False, initial=today)

    def __init__(self, *args, recommendation, may_close: bool, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = services.TRANSITIONS[RecommendationStatus(recommendation.status)]
        if not may_close:
            allowed = {s for s in allowed if s != RecommendationStatus.CLOSED}
            if recommendation.status == RecommendationStatus.CLOSED:
                allowed = set()
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (v, label) for v, label in RecommendationStatus.choices if v in allowed
        ]


def month_param(value: str) -> tuple[int, int]:
    """Parse ?thang=2024-02 (or 02/2024); fall back to this month."""
    for fmt in ("%Y-%m", "%m/%Y"):
        try:
            day = datetime.datetime.strptime(value or "", fmt).date()
            if 1990 <= day.year <= 2100:
                return day.year, day.month
        except ValueError:
            continue
    now = today()
    return now.year, now.month

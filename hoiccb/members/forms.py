from collections.abc import Callable
from typing import ClassVar, cast

from django import forms

from hoiccb.accounts import scoping
from hoiccb.lib.fields import PartialDateFormField
from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.lib.search import SearchField
from hoiccb.members import services
from hoiccb.members.models import SENSITIVE_FIELDS, Member, MemberKind, MemberStatus, Theatre
from hoiccb.members.selectors import POLICY_FILTERS, MemberFilters
from hoiccb.members.services import EDITABLE_FIELDS
from hoiccb.org.fields import scoped_unit_field
from hoiccb.org.models import Unit, UnitQuerySet


class MemberForm(BootstrapMixin, forms.ModelForm):
    """The record form; sensitive fields appear only for roles allowed to see them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = ("unit", *EDITABLE_FIELDS)
        widgets = {
            "theatres": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["theatres"]).queryset = Theatre.objects.all()
        if creating:
            self.fields["unit"] = scoped_unit_field(user, label="Đơn vị sinh hoạt", holds_members=True)
            self.fields.pop("version")
        else:
            self.fields.pop("unit")
            self.fields["version"].initial = self.instance.version
        if not scoping.can(user, "sensitive"):
            for name in SENSITIVE_FIELDS:
                self.fields.pop(name, None)
        self.fields["ho"].required = True
        self.fields["phone"].widget.input_type = "tel"

    # The record page's sections, in the same order; the form shows what the role may see.
    SECTIONS = (
        (
            "Thông tin cá nhân",
            (
                "unit",
                "ho",
                "chu_dem",
                "ten",
                "gender",
                "birth_date",
                "ethnicity",
                "religion",
                "hometown",
                "residence",
                "phone",
                "education",
                "occupation",
                "retired",
            ),
            False,
        ),
        ("Hội viên", ("kind", "joined_on"), False),
        (
            "Quá trình quân ngũ",
            ("enlisted_on", "discharged_on", "discharge_kind", "rank", "served_unit", "theatres", "hero"),
            False,
        ),
        ("Dữ liệu cá nhân nhạy cảm", SENSITIVE_FIELDS, True),
        ("Ghi chú", ("notes",), False),
    )

    def sections(self):
        """Yield (title, bound fields, is_sensitive) for the sections that have fields."""
        for title, names, sensitive in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield title, fields, sensitive

    def changed_values(self) -> dict:
        """Return the cleaned values of the model fields the form shows."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("unit", "version")}


class LifecycleForm(BootstrapMixin, forms.Form):
    """One lifecycle step: its fields are the keyword arguments of its service."""

    # services.member_* taking actor=, member= and the form's fields; set by each step.
    service: ClassVar[Callable[..., Member]]
    title = button = done = ""
    # A step that cannot simply be undone asks first: the question, with {name} for the member.
    confirm = ""

    def __init__(self, *args, user, member: Member, **kwargs):
        self.user = user
        self.member = member
        super().__init__(*args, **kwargs)

    def run(self, cleaned_data: dict) -> Member:
        return type(self).service(actor=self.user, member=self.member, **cleaned_data)


class TransferForm(LifecycleForm):
    service = staticmethod(services.member_transfer)
    title, button, done = "Chuyển sinh hoạt", "Chuyển sinh hoạt", "Đã chuyển sinh hoạt."
    to_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Chuyển đến đơn vị")
    on = VNDateField(label="Ngày chuyển", initial=today)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = scoped_unit_field(self.user, label="Chuyển đến đơn vị", holds_members=True)
        field.queryset = cast(UnitQuerySet, field.queryset).exclude(pk=self.member.unit_id)
        self.fields["to_unit"] = field


class TransferOutForm(LifecycleForm):
    service = staticmethod(services.member_transfer_out)
    title, button, done = "Chuyển sinh hoạt ra ngoài", "Ghi nhận chuyển đi", "Đã ghi nhận chuyển đi."
    on = VNDateField(label="Ngày chuyển đi", initial=today)
    destination = forms.CharField(label="Chuyển đến (tên Hội, địa phương)", max_length=200)


class LeaveForm(LifecycleForm):
    service = staticmethod(services.member_leave)
    title, button, done = "Thôi sinh hoạt", "Ghi nhận thôi sinh hoạt", "Đã ghi nhận thôi sinh hoạt."
    confirm = (
        "Ghi nhận hội viên {name} thôi sinh hoạt? Hội viên ra khỏi danh sách đang sinh hoạt "
        "(sau này vẫn cho sinh hoạt trở lại được)."
    )
    on = VNDateField(label="Ngày thôi sinh hoạt", initial=today)
    reason = forms.CharField(label="Lý do", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DeathForm(LifecycleForm):
    service = staticmethod(services.member_record_death)
    title, button, done = "Ghi nhận từ trần", "Ghi nhận", "Đã ghi nhận hội viên từ trần."
    confirm = (
        "Ghi nhận hội viên {name} đã từ trần? Hội viên sẽ ra khỏi danh sách đang sinh hoạt và số liệu "
        "báo cáo, và không thể cho sinh hoạt trở lại. Nếu ghi nhầm, cán bộ có quyền sửa hồ sơ đính chính "
        "được, kèm lý do (ghi vào lịch sử)."
    )
    died_on = PartialDateFormField(label="Ngày từ trần")
    funeral = forms.CharField(
        label="Lễ tang (thời gian, địa điểm)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Đơn vị sẽ có việc thăm viếng với thông tin này.",
    )
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeathCorrectForm(LifecycleForm):
    service = staticmethod(services.member_death_correct)
    title, button, done = (
        "Đính chính ghi nhận từ trần",
        "Đính chính",
        "Đã đính chính: hội viên sinh hoạt trở lại, lý do được ghi vào lịch sử.",
    )
    confirm = "Đính chính: hội viên {name} chưa từ trần và sinh hoạt trở lại? Lý do sẽ được ghi vào lịch sử."
    reason = forms.CharField(label="Lý do đính chính", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ReinstateForm(LifecycleForm):
    service = staticmethod(services.member_reinstate)
    title, button, done = "Sinh hoạt trở lại", "Ghi nhận", "Hội viên đã sinh hoạt trở lại."
    on = VNDateField(label="Ngày sinh hoạt trở lại", initial=today)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)


class CardForm(LifecycleForm):
    service = staticmethod(services.member_issue_card)
    title, button, done = "Cấp thẻ hội viên", "Cấp thẻ", "Đã cấp thẻ hội viên."
    number = forms.CharField(label="Số thẻ hội viên", max_length=30)
    issued_on = VNDateField(label="Ngày cấp", initial=today)


YES_NO = [("", "Tất cả"), ("1", "Có"), ("0", "Không")]


class MemberFilterForm(BootstrapMixin, forms.Form):
    q = SearchField(label="Tìm theo tên hoặc số thẻ")
    kind = forms.ChoiceField(label="Đối tượng", required=False, choices=[("", "Tất cả"), *MemberKind.choices])
    status = forms.ChoiceField(
        label="Tình trạng", required=False, choices=[("", "Tất cả"), *MemberStatus.choices], initial=MemberStatus.ACTIVE
    )
    party_member = forms.ChoiceField(label="Đảng viên", required=False, choices=YES_NO)
    policy = forms.ChoiceField(
        label="Diện chính sách",
        required=False,
        choices=[
            ("", "Tất cả"),
            *((code, label) for code, (label, _) in POLICY_FILTERS.items()),
        ],
    )
    birth_year_from = forms.IntegerField(label="Sinh từ năm", required=False, min_value=1900, max_value=2100)
    birth_year_to = forms.IntegerField(label="đến năm", required=False, min_value=1900, max_value=2100)
    theatre = forms.ModelChoiceField(
        label="Thời kỳ, chiến trường",
        required=False,
        queryset=Theatre.objects.all(),
        to_field_name="code",
        empty_label="Tất cả",
    )

    def __init__(self, data=None, *args, user, **kwargs):
        # With no status asked for, the list shows active members, and the select says so.
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = MemberStatus.ACTIVE
        super().__init__(data, *args, **kwargs)
        self.fields["unit"] = scoped_unit_field(user, label="Đơn vị", required=False, active_only=False)
        if not scoping.can(user, "sensitive"):
            del self.fields["party_member"]
            del self.fields["policy"]

    def to_filters(self) -> MemberFilters:
        """Return the filters to apply; a field with a bad value is ignored."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        party = data.get("party_member")
        theatre = data.get("theatre")
        return MemberFilters(
            q=data.get("q") or "",
            unit=data.get("unit"),
            kind=data.get("kind") or "",
            status=data.get("status", MemberStatus.ACTIVE),
            party_member=None if party in (None, "") else party == "1",
            policy=data.get("policy") or "",
            birth_year_from=data.get("birth_year_from"),
            birth_year_to=data.get("birth_year_to"),
            theatre=theatre.code if theatre else "",
        )

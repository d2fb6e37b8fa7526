from django import forms

from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.members.forms import scoped_unit_field
from hoiccb.org.models import PositionRole, Term, Unit


class UnitForm(BootstrapMixin, forms.ModelForm):
    established_on = VNDateField(label="Ngày thành lập", required=False)

    class Meta:
        model = Unit
        fields = ("kind", "code", "name", "host_organisation", "group", "cluster", "established_on", "address", "phone")

    def __init__(self, *args, user, parent_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_required:
            self.fields = {"parent": scoped_unit_field(user, label="Đơn vị cấp trên"), **self.fields}


class MoveForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, user, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        field = scoped_unit_field(user, label="Đơn vị cấp trên mới")
        # The unit itself and its own descendants cannot become its parent.
        field.queryset = field.queryset.exclude(path__startswith=unit.path)
        self.fields["new_parent"] = field


class MergeForm(BootstrapMixin, forms.Form):
    on = VNDateField(label="Ngày sáp nhập", initial=today)
    confirm = forms.BooleanField(
        label="Tôi hiểu: toàn bộ hội viên và đơn vị trực thuộc sẽ chuyển sang đơn vị tiếp nhận.",
    )

    def __init__(self, *args, user, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        field = scoped_unit_field(user, label="Sáp nhập vào đơn vị")
        field.queryset = field.queryset.exclude(path__startswith=unit.path)
        self.fields = {"into": field, **self.fields}


class TermForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ("start_year", "end_year")


class OfficerForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(queryset=Term.objects.none(), label="Nhiệm kỳ", empty_label=None)
    member = forms.ModelChoiceField(queryset=None, label="Hội viên")
    role = forms.ChoiceField(label="Chức vụ", choices=PositionRole.choices)
    start_date = VNDateField(label="Từ ngày", initial=today)

    def __init__(self, *args, unit: Unit, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = unit.terms.all()
        self.fields["member"].queryset = members


class EndPositionForm(BootstrapMixin, forms.Form):
    end_date = VNDateField(label="Thôi giữ chức vụ từ ngày", initial=today)

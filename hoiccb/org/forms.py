from typing import cast

from django import forms

from hoiccb.accounts.models import User
from hoiccb.lib.forms import BootstrapMixin, VNDateField, today
from hoiccb.org.fields import scoped_unit_field
from hoiccb.org.models import PositionRole, Term, Unit
from hoiccb.org.people import people


class UnitForm(BootstrapMixin, forms.ModelForm):
    established_on = VNDateField(label="Ngày thành lập", required=False)

    class Meta:
        model = Unit
        fields = (
            "kind",
            "code",
            "name",
            "host_organisation",
            "group",
            "cluster",
            "established_on",
            "address",
            "place",
            "phone",
        )

    def __init__(self, *args, user, parent_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_required:
            # The lowest level cannot have units below it.
            parent = scoped_unit_field(user, label="Đơn vị cấp trên", above_level=self._lowest_level())
            self.fields = {"parent": parent, **self.fields}
        cast(forms.ModelChoiceField, self.fields["group"]).empty_label = "— Không thuộc khối nào —"
        cast(forms.ModelChoiceField, self.fields["cluster"]).empty_label = "— Không thuộc cụm nào —"
        cast(forms.ModelChoiceField, self.fields["kind"]).empty_label = "— Chọn cấp —"

    def _lowest_level(self) -> int:
        from hoiccb.org.models import UnitKind

        return UnitKind.objects.order_by("-level").values_list("level", flat=True).first() or 0


class MoveForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, user, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a higher level can be a parent, and never the unit's own subtree.
        self.fields["new_parent"] = scoped_unit_field(
            user, label="Đơn vị cấp trên mới", above_level=unit.kind.level, outside=unit
        )


class MergeForm(BootstrapMixin, forms.Form):
    on = VNDateField(label="Ngày sáp nhập", initial=today)
    confirm = forms.BooleanField(
        label="Tôi hiểu: toàn bộ hội viên và đơn vị trực thuộc sẽ chuyển sang đơn vị tiếp nhận.",
        error_messages={"required": "Hãy đánh dấu ô xác nhận để sáp nhập."},
    )

    def __init__(self, *args, user, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        into = scoped_unit_field(user, label="Sáp nhập vào đơn vị", at_most_level=unit.kind.level, outside=unit)
        self.fields = {"into": into, **self.fields}


class TermForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ("start_year", "end_year")


class OfficerForm(BootstrapMixin, forms.Form):
    term = forms.ModelChoiceField(queryset=Term.objects.none(), label="Nhiệm kỳ", empty_label=None)
    role = forms.ChoiceField(label="Chức vụ", choices=PositionRole.choices)
    start_date = VNDateField(label="Từ ngày", initial=today)

    def __init__(self, *args, user: User, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["term"]).queryset = unit.terms.all()
        # Members sit a floor above org: the members app supplies the picker field (org.people).
        member = people().officer_field(user, unit, label="Hội viên")
        member.help_text = "Chỉ hội viên của đơn vị này và các đơn vị trực thuộc."
        self.fields = {
            "term": self.fields["term"],
            "member": member,
            **{k: v for k, v in self.fields.items() if k != "term"},
        }


class EndPositionForm(BootstrapMixin, forms.Form):
    end_date = VNDateField(label="Thôi giữ chức vụ từ ngày", initial=today)

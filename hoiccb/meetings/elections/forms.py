"""Forms of the election pages."""

from django import forms

from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.elections.models import Election
from hoiccb.members import access as members_access
from hoiccb.members.pickers import member_field


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = ["body", "seats", "min_extra_pct", "max_extra_pct", "majority_base", "double_entry"]
        help_texts = {
            "seats": "Số lượng Đại hội quyết định bầu.",
            "min_extra_pct": "Để trống để dùng mặc định: 10% (bầu một người: 0%).",
            "max_extra_pct": "Để trống để dùng mặc định: 30% (bầu một người: 100%).",
            "majority_base": "Người trúng cử phải được quá một nửa của số này.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_extra_pct"].required = False
        self.fields["max_extra_pct"].required = False


class CandidateForm(forms.Form):
    def __init__(self, *args, user, election: Election, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = member_field(
            user, members_access.members(user), label="Người ứng cử", within=election.unit
        )


class BallotForm(forms.Form):
    """One ballot: its serial, the names crossed out (tapped), and why invalid if it is."""

    serial = forms.IntegerField(label="Số phiếu", min_value=1, error_messages={"required": "Nhập số in trên phiếu."})
    invalid = forms.ChoiceField(
        label="Phiếu không hợp lệ",
        choices=[("", "Phiếu hợp lệ"), *Invalid.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Phiếu để lại quá số lượng cần bầu được máy tự tính là không hợp lệ.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crossed"] = forms.MultipleChoiceField(
            label="Tên bị gạch",
            choices=[(str(c.pk), c.full_name) for c in candidates],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )


class FurtherRoundForm(forms.Form):
    seats = forms.IntegerField(label="Số lượng bầu thêm", min_value=1)

    def __init__(self, *args, candidates, initial_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"] = forms.ModelMultipleChoiceField(
            label="Bầu lại trong số",
            queryset=candidates,
            widget=forms.CheckboxSelectMultiple,
            initial=list(initial_ids),
            error_messages={"required": "Chọn người để bầu lại."},
        )


class RevertForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy xác nhận", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

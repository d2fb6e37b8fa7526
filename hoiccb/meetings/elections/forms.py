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


def _count_field(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        error_messages={"required": "Nhập một số (không có thì ghi 0).", "min_value": "Không được âm."},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        **kwargs,
    )


class TallyForm(forms.Form):
    """A tallied batch's totals from the team's paper: ballots, valid, invalid by reason, votes per name."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballots"] = _count_field("Số phiếu của tập", help_text="Số tờ phiếu trong tập đã kiểm.")
        self.fields["valid"] = _count_field("Số phiếu hợp lệ")
        for reason in Invalid:
            self.fields[f"invalid_{reason.value}"] = _count_field(reason.label, initial=0)
        for c in candidates:
            self.fields[f"vote_{c.pk}"] = _count_field(c.full_name, initial=0)
        self.candidates = list(candidates)

    def invalid_fields(self):
        return [self[f"invalid_{r.value}"] for r in Invalid]

    def vote_fields(self):
        return [self[f"vote_{c.pk}"] for c in self.candidates]

    def totals(self) -> dict:
        """The cleaned data as tally_enter takes it."""
        data = self.cleaned_data
        return {
            "ballots": data["ballots"],
            "valid": data["valid"],
            "invalid": {r.value: data[f"invalid_{r.value}"] for r in Invalid},
            "votes": {c.pk: data[f"vote_{c.pk}"] for c in self.candidates},
        }

    @staticmethod
    def initial_from(entry) -> dict:
        """The form's initial values from a counter's earlier entry, to correct it."""
        if entry is None:
            return {}
        return {
            "ballots": entry.ballots,
            "valid": entry.valid,
            **{f"invalid_{r}": n for r, n in entry.invalid.items()},
            **{f"vote_{c}": n for c, n in entry.votes.items()},
        }


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

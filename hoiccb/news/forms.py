from typing import cast

from django import forms

from hoiccb.lib.forms import BootstrapMixin, VNDateField
from hoiccb.news.models import Article, Category, DirectiveKind
from hoiccb.org.fields import scoped_unit_field


class ArticleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "lead", "body_source", "category", "unit", "author_name"]
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body_source": forms.Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = scoped_unit_field(user, label="Đơn vị đăng tin")
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = Category.objects.all()
        category.empty_label = "— Không chọn —"
        category.widget.attrs["class"] = "form-select"
        self.fields["unit"].widget.attrs["class"] = "form-select"
        if not self.instance.pk and user.unit_id:
            self.initial.setdefault("unit", user.unit_id)
            self.initial.setdefault("author_name", user.full_name)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PublishForm(BootstrapMixin, forms.Form):
    at = forms.DateTimeField(
        label="Hẹn giờ đăng",
        required=False,
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y"],
        help_text="Để trống để đăng ngay. Dạng ngày/tháng/năm giờ:phút, ví dụ 05/06/2024 07:30.",
        widget=forms.TextInput(attrs={"placeholder": "ngày/tháng/năm giờ:phút"}),
        error_messages={"invalid": "Nhập thời điểm theo dạng ngày/tháng/năm giờ:phút, ví dụ 05/06/2024 07:30."},
    )


class WithdrawForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label="Lý do gỡ", required=False, max_length=500)


class PhotoForm(BootstrapMixin, forms.Form):
    image = forms.FileField(label="Ảnh (JPEG, PNG, WebP)", widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label="Chú thích ảnh", required=False, max_length=300)


class DirectiveForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DirectiveKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=50, help_text="Ví dụ: 12/HD-CCB")
    issued_on = VNDateField(label="Ngày ban hành")
    summary = forms.CharField(label="Trích yếu", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    upload = forms.FileField(
        label="Tệp văn bản (PDF hoặc Word)",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx"}),
    )
    grassroots_only = forms.BooleanField(
        label="Chỉ gửi các Hội cơ sở (không gửi chi hội, tổ hội)", required=False, initial=True
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"] = scoped_unit_field(user, label="Đơn vị ban hành")
        self.fields["recipient_root"] = scoped_unit_field(user, label="Gửi đến (đơn vị và các đơn vị trực thuộc)")
        if user.unit_id:
            self.initial.setdefault("issuing_unit", user.unit_id)
            self.initial.setdefault("recipient_root", user.unit_id)
        self.order_fields(["issuing_unit", "kind", "number", "issued_on", "summary", "upload", "recipient_root"])

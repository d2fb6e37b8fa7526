from django import forms

from hoiccb.awards.documents.decision_template import TEMPLATE_MAX_BYTES
from hoiccb.awards.rounds.models import AwardForm
from hoiccb.lib.forms import BootstrapMixin, VNDateField


class DossierSendForm(BootstrapMixin, forms.Form):
    seq = forms.IntegerField(label="Số tờ trình", min_value=1, max_value=99999, help_text="Số trước «/TTr-CCB».")
    sent_on = VNDateField(label="Ngày gửi")
    place = forms.CharField(label="Địa danh", max_length=100, initial="Yên Bái")
    signer = forms.CharField(label="Người ký", max_length=150)


class UpwardResultForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label="Số quyết định của cấp trên", max_length=100, help_text="Ví dụ 125/QĐ-CCB.")
    decided_on = VNDateField(label="Ngày quyết định")
    issuer = forms.CharField(
        label="Cơ quan, người ký", max_length=200, required=False, help_text="Ví dụ Ban Thường vụ Hội CCB tỉnh."
    )
    awarded_form = forms.ModelChoiceField(
        label="Hình thức được khen",
        queryset=AwardForm.objects.exclude(level="khoi"),
        required=False,
        help_text="Để trống nếu đúng hình thức đã đề nghị.",
    )


class TemplateUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Tệp mẫu Word (.docx)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > TEMPLATE_MAX_BYTES:
            raise forms.ValidationError(f"Tệp lớn hơn {TEMPLATE_MAX_BYTES // 1_048_576} MB.")
        return upload

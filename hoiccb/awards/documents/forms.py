from django import forms

from hoiccb.awards.documents.decision_template import TEMPLATE_MAX_BYTES
from hoiccb.lib.forms import BootstrapMixin, VNDateField


class DossierSendForm(BootstrapMixin, forms.Form):
    seq = forms.IntegerField(label="Số tờ trình", min_value=1, max_value=99999, help_text="Số trước «/TTr-CCB».")
    sent_on = VNDateField(label="Ngày gửi")
    place = forms.CharField(label="Địa danh", max_length=100, initial="Yên Bái")
    signer = forms.CharField(label="Người ký", max_length=150)


class TemplateUploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="Tệp mẫu Word (.docx)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > TEMPLATE_MAX_BYTES:
            raise forms.ValidationError(f"Tệp lớn hơn {TEMPLATE_MAX_BYTES // 1_048_576} MB.")
        return upload

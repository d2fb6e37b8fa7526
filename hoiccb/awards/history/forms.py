from django import forms

from hoiccb.lib.files import sniff
from hoiccb.lib.forms import BootstrapMixin

HISTORY_MAX_BYTES = 5 * 1024 * 1024
HISTORY_KINDS: dict[str, set[str | None]] = {"xlsx": {"xlsx"}, "xls": {"doc", "xlsx"}, "ods": {None}, "csv": {None}}


class HistoryUploadForm(BootstrapMixin, forms.Form):
    """A list of awards received before the system: the real kind (by content) must match the name."""

    file = forms.FileField(
        label="Tệp danh sách khen thưởng",
        help_text="Excel (.xlsx, .xls), OpenDocument (.ods) hoặc .csv, tối đa 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in HISTORY_KINDS:
            raise forms.ValidationError("Chỉ nhận tệp Excel (.xlsx, .xls), OpenDocument (.ods) hoặc .csv.")
        if upload.size > HISTORY_MAX_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 5 MB: hãy chia thành nhiều tệp.")
        if sniff(upload) not in HISTORY_KINDS[extension]:
            raise forms.ValidationError(f"Nội dung tệp không phải là tệp .{extension} thật.")
        return upload

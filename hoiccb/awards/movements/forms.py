from typing import Any

from django import forms

from hoiccb.lib.forms import BootstrapMixin


class MovementForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label="Tên phong trào", max_length=255, initial="Cựu chiến binh gương mẫu")
    start_year = forms.IntegerField(label="Từ năm", min_value=1990, max_value=2100)
    end_year = forms.IntegerField(label="Đến năm", min_value=1990, max_value=2100)
    max_score = forms.IntegerField(label="Thang điểm", min_value=1, max_value=1000, initial=90)
    bands = forms.CharField(
        label="Mức xếp loại (mỗi dòng «điểm tối thiểu: tên»)",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="81: Trong sạch vững mạnh xuất sắc\n71: Trong sạch vững mạnh\n51: Khá\n0: Yếu",
    )
    content = forms.CharField(label="Nội dung, tiêu chí", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start_year") and data.get("end_year") and data["end_year"] < data["start_year"]:
            self.add_error("end_year", "Năm kết thúc phải từ năm bắt đầu trở đi.")
        return data

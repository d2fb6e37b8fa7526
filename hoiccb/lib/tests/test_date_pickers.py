"""Full dates are chosen with the browser's date picker; partial dates keep their text box;
every date message says "ngày/tháng/năm"."""

import re

from django.urls import reverse
from django.utils import timezone

from hoiccb.lib.forms import BootstrapMixin, VNDateField
from hoiccb.members.models import MemberStatus


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input {name}"
    return match.group(0)


def test_full_date_is_a_picker_and_takes_both_spellings(cast, members, login):
    client = login(cast["coso1"])
    member = members["an"]
    url = reverse("members:transfer_out", args=[member.pk])
    field = _input(client.get(url).content.decode(), "on")
    assert 'type="date"' in field
    # The picker shows today as ISO, the only value a date input accepts.
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in field

    bad = client.post(url, {"on": "31/02/2024", "destination": "Hội CCB xã Yên Lạc"})
    assert bad.status_code == 200
    assert "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024." in bad.content.decode()

    # What the picker sends (yyyy-mm-dd) and what a clerk types without it (dd/mm/yyyy) both count.
    done = client.post(url, {"on": "2024-05-15", "destination": "Hội CCB xã Yên Lạc"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT

    other = members["hung"]
    url = reverse("members:transfer_out", args=[other.pk])
    assert client.post(url, {"on": "15/05/2024", "destination": "Hội CCB xã Yên Lạc"}).status_code == 302


def test_partial_date_keeps_its_text_box(cast, members, login):
    page = login(cast["coso1"]).get(reverse("members:death", args=[members["an"].pk])).content.decode()
    field = _input(page, "died_on")
    assert 'type="date"' not in field and 'type="text"' in field


def test_any_date_field_gets_the_picker_and_the_one_date_word():
    from django import forms

    class Form(BootstrapMixin, forms.Form):
        plain = forms.DateField(label="Ngày")
        ours = VNDateField(label="Ngày ký")
        when = forms.DateTimeField(label="Lúc", required=False)

    form = Form(data={"plain": "hôm qua", "ours": "2024-13-01"})
    html = str(form["plain"]) + str(form["ours"])
    assert html.count('type="date"') == 2 and html.count('placeholder="ngày/tháng/năm"') == 2
    assert 'type="date"' not in str(form["when"])
    assert not form.is_valid()
    assert form.errors["plain"] == form.errors["ours"] == ["Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024."]

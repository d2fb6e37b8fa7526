"""The celebration lists on screen, in Excel and as a Word list for signing."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render

from hoiccb.accounts import scoping
from hoiccb.lib.forms import BootstrapMixin, today
from hoiccb.members.celebrations import documents, selectors
from hoiccb.members.celebrations.selectors import Entry, ListKind
from hoiccb.members.privacy.access_log import log_read
from hoiccb.org.fields import scoped_unit_field

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_CHOICES = [
    (ListKind.LONGEVITY.value, "Mừng thọ"),
    (ListKind.PARTY.value, "Huy hiệu Đảng"),
    (ListKind.SERVICE.value, "Năm tuổi quân"),
    (ListKind.BIRTHDAY.value, "Sinh nhật trong tháng"),
]


class CelebrationForm(BootstrapMixin, forms.Form):
    don_vi = forms.IntegerField(required=False)
    nam = forms.IntegerField(label="Năm", min_value=1990, max_value=2200, required=False)
    loai = forms.ChoiceField(label="Danh sách", choices=KIND_CHOICES, required=False)
    thang = forms.IntegerField(label="Tháng (sinh nhật)", min_value=1, max_value=12, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"] = scoped_unit_field(
            user, label="Đơn vị", required=False, empty_label="— Đơn vị của tôi —"
        )
        self.user = user

    def choice(self):
        data = self.cleaned_data if self.is_valid() else {}
        unit = data.get("don_vi") or self.user.unit
        if unit is None:
            raise Http404("Không tìm thấy.")
        kind = ListKind(data.get("loai") or ListKind.LONGEVITY)
        if kind in selectors.SENSITIVE_LISTS and not scoping.can(self.user, "sensitive"):
            raise Http404("Không tìm thấy.")
        year = data.get("nam") or today().year
        month = data.get("thang") or today().month
        return unit, kind, year, month


PARTY_FIELDS = ("party_member", "party_joined_on")


def _log_sensitive(request, kind: ListKind, unit, year: int, month: int, rows: list[Entry], purpose: str) -> None:
    """A sensitive list (Party badges) leaves one access-log row naming the members shown."""
    if kind not in selectors.SENSITIVE_LISTS:
        return
    log_read(
        request,
        purpose,
        member_ids=[e.member.pk for e in rows],
        unit_path=unit.path,
        criteria={"Danh sách": selectors.TITLES[kind], "Thời gian": _subtitle(kind, year, month)},
        fields=PARTY_FIELDS,
    )


def _subtitle(kind: ListKind, year: int, month: int) -> str:
    return f"Tháng {month} năm {year}" if kind == ListKind.BIRTHDAY else f"Năm {year}"


def celebrations(request):
    form = CelebrationForm(request.GET or None, user=request.user)
    unit, kind, year, month = form.choice()
    qs = selectors.listing(kind, unit.path, year, month)
    rows = [selectors.milestone(kind, m, year) for m in qs[: selectors.SCREEN_CAP + 1]]
    _log_sensitive(request, kind, unit, year, month, rows[: selectors.SCREEN_CAP], "xem danh sách mừng huy hiệu Đảng")
    context = {
        "form": form,
        "unit": unit,
        "kind": kind.value,
        "title": selectors.TITLES[kind],
        "subtitle": _subtitle(kind, year, month),
        "rows": rows[: selectors.SCREEN_CAP],
        "more": len(rows) > selectors.SCREEN_CAP,
        "cap": selectors.SCREEN_CAP,
        "year": year,
        "month": month,
        "query": request.GET.urlencode(),
        "can_gift": scoping.can(request.user, "record_activities"),
    }
    return render(request, "members/celebrations.html", context)


def celebrations_export(request, fmt: str):
    form = CelebrationForm(request.GET or None, user=request.user)
    unit, kind, year, month = form.choice()
    qs = selectors.listing(kind, unit.path, year, month)
    rows: Iterable[Entry] = (selectors.milestone(kind, m, year) for m in qs.iterator(2000))
    title, subtitle = selectors.TITLES[kind], _subtitle(kind, year, month)
    if kind in selectors.SENSITIVE_LISTS:
        shown = list(rows)
        label = "Excel" if fmt == "xlsx" else "Word"
        _log_sensitive(request, kind, unit, year, month, shown, f"xuất {label} danh sách mừng huy hiệu Đảng")
        rows = shown
    if fmt == "xlsx":
        return documents.list_xlsx(unit, title, subtitle, rows, f"{kind.value}-{year}.xlsx")
    response = HttpResponse(documents.list_docx(unit, title, subtitle, list(rows)), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind.value}-{year}.docx"'
    return response

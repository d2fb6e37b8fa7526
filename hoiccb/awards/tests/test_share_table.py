"""The round's share-out at real size: by khối with subtotals, folded, filtered, on a phone's
cards, exported to Excel (read back) and printed."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from hoiccb.awards.models import QuotaBasis
from hoiccb.awards.rounds import services
from hoiccb.awards.rounds.share_table import OPEN_UP_TO
from hoiccb.conftest import admit
from hoiccb.org import services as org_services
from hoiccb.org.models import UnitGroup

STATE_UNITS = OPEN_UP_TO + 2  # one khối long enough to start folded


@pytest.fixture
def grouped_round(round_, cast, tree, kinds, forms):
    party = UnitGroup.objects.create(code="dang", name="Khối Đảng – đoàn thể")
    state = UnitGroup.objects.create(code="qlnn", name="Khối quản lý nhà nước")
    for unit, group in ((tree["unit_a"], party), (tree["unit_b"], state)):
        unit.group = group
        unit.save(update_fields=["group"])
    for i in range(1, STATE_UNITS):
        unit = org_services.unit_create(
            actor=None, parent=tree["bloc"], kind=kinds["co-so"], code=f"S{i}", name=f"Hội CCB Sở số {i:02d}"
        )
        unit.group = state
        unit.save(update_fields=["group"])
        admit(cast["khoi"], unit, f"Đỗ Văn Sở {i}")
    services.quota_set(actor=cast["khoi"], round=round_, form=forms["giay-khen-khoi"], basis=QuotaBasis.NUMBER, value=4)
    services.quota_set(
        actor=cast["khoi"], round=round_, form=forms["giay-khen-khoi-tap-the"], basis=QuotaBasis.NUMBER, value=3
    )  # within the caps: 4 members may receive the individual form here, every unit the collective one
    return round_


def test_groups_by_khoi_with_subtotals_folding_the_long_ones(grouped_round, cast, login):
    page = login(cast["khoi"]).get(reverse("awards:round", args=[grouped_round.pk])).content.decode()
    assert page.count('<details class="share-group" open>') == 2  # the short khối, once per form
    assert page.count('<details class="share-group">') == 2  # the long one starts folded
    shares = grouped_round.quotas.get(form__code="giay-khen-khoi").shares.select_related("unit")
    state_seats = sum(s.amount for s in shares if s.unit.group and s.unit.group.code == "qlnn")
    assert f'Khối quản lý nhà nước</span> <span class="share-sum">· {STATE_UNITS} đơn vị' in page
    assert f"<b>{state_seats} suất</b>" in page
    assert "Cộng Khối quản lý nhà nước" in page
    assert "4 suất</b> cho" in page and "3 suất</b> cho" in page


def test_filters_by_form_and_by_unit_without_tone_marks(grouped_round, cast, login, forms):
    client = login(cast["khoi"])
    url = reverse("awards:round", args=[grouped_round.pk])
    by_unit = client.get(url, {"don_vi": "so so 03"}).content.decode()
    assert "Hội CCB Sở số 03" in by_unit and "Hội CCB Sở số 04" not in by_unit and "Hội CCB Sở Y tế" not in by_unit
    assert '<details class="share-group">' not in by_unit  # a filtered khối is open
    by_form = client.get(url, {"hinh_thuc": forms["giay-khen-khoi-tap-the"].pk}).content.decode()
    assert "Giấy khen tập thể của Hội CCB Khối</h2>" in by_form
    assert "Giấy khen của Hội CCB Khối</h2>" not in by_form
    nothing = client.get(url, {"don_vi": "khong co don vi nay"}).content.decode()
    assert "Không có đơn vị nào khớp bộ lọc." in nothing


def test_a_chair_sees_only_the_own_unit_as_cards_with_seats_first(grouped_round, cast, login):
    page = login(cast["coso1"]).get(reverse("awards:round", args=[grouped_round.pk])).content.decode()
    assert "Hội CCB Sở Tài chính" in page and "Hội CCB Sở Y tế" not in page and "Sở số 01" not in page
    assert 'name="don_vi"' not in page  # two lines need no filter
    row = page[page.index('<td class="share-unit card-title">') :]
    assert 'class="text-end fw-bold card-lead" data-label="Số suất"' in row[: row.index("</tr>")]
    assert "Điều chỉnh" not in page


def _sheet_rows(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_name("Phân bổ suất").to_python()


def test_excel_has_every_unit_and_the_subtotals_read_back(grouped_round, cast, login):
    client = login(cast["khoi"])
    response = client.get(reverse("awards:round_shares_xlsx", args=[grouped_round.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response)
    header = next(i for i, r in enumerate(rows) if r[0] == "STT")
    assert rows[header][1:4] == ["Hình thức", "Khối", "Đơn vị"]
    lines = [r for r in rows[header + 1 :] if r[0] != ""]
    subtotals = [r for r in rows[header + 1 :] if r[0] == "" and str(r[2]).startswith("Cộng")]
    assert len(lines) == 2 * (STATE_UNITS + 1)  # every unit, for both forms
    assert [r[0] for r in lines] == list(range(1, len(lines) + 1))  # STT counts units only
    state = next(r for r in subtotals if r[1] == "Giấy khen của Hội CCB Khối" and r[2] == "Cộng Khối quản lý nhà nước")
    state_lines = [r for r in lines if r[1] == "Giấy khen của Hội CCB Khối" and r[2] == "Khối quản lý nhà nước"]
    assert state[3] == f"{STATE_UNITS} đơn vị" and state[8] == sum(r[8] for r in state_lines)
    form_total = next(r for r in rows if r[1] == "Cộng Giấy khen của Hội CCB Khối")
    assert form_total[8] == 4

    only = client.get(reverse("awards:round_shares_xlsx", args=[grouped_round.pk]), {"don_vi": "tai chinh"})
    assert [r[3] for r in _sheet_rows(only) if isinstance(r[0], float | int) and r[0] != ""] == [
        "Hội CCB Sở Tài chính",
        "Hội CCB Sở Tài chính",
    ]


def test_excel_of_a_chair_holds_only_the_own_unit(grouped_round, cast, login):
    response = login(cast["coso2"]).get(reverse("awards:round_shares_xlsx", args=[grouped_round.pk]))
    names = {r[3] for r in _sheet_rows(response) if isinstance(r[0], float | int) and r[0] != ""}
    assert names == {"Hội CCB Sở Y tế"}
    assert login(cast["nounit"]).get(reverse("awards:round_shares_xlsx", args=[grouped_round.pk])).status_code == 404

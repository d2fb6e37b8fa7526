"""Approval up the tree: each level reviews the one below, roll-ups never lag behind what was
accepted, and a period locks after its lock date except for units the level above lets through."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hoiccb.reports import inbox as reports_inbox
from hoiccb.reports import services
from hoiccb.reports.models import ReportState, UnitReport
from hoiccb.reports.tests.conftest import YEAR_FORM, first_half_2024, write_and_submit


def test_draft_rollup_recomputes_itself_when_a_report_below_is_accepted_or_returned(staffed, tree, period, login):
    bloc = staffed["khoi"]
    own = services.report_open(actor=bloc, period=period, unit=tree["bloc"])
    assert own.computed.get("members", 0) == 0
    assert own.missing_units == ["Hội CCB Sở Tài chính", "Hội CCB Sở Y tế"]
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    write_and_submit(staffed["coso1"], a)
    own.refresh_from_db()
    assert own.computed.get("members", 0) == 0  # submitted is not accepted: nothing summed yet
    services.report_accept(actor=bloc, report=a)
    own.refresh_from_db()  # nobody pressed "Tính lại số liệu"
    assert own.computed["members"] == 3 and own.missing_units == ["Hội CCB Sở Y tế"] and not own.stale
    assert own.events.filter(action="refreshed", summary__contains="được duyệt").exists()
    # The bloc takes the accepted report back for a correction: its figures leave the roll-up at once.
    services.report_return(actor=bloc, report=a, comment="Sửa số đảng viên.")
    own.refresh_from_db()
    assert own.value("members") == 0 and own.missing_units == ["Hội CCB Sở Tài chính", "Hội CCB Sở Y tế"]
    a.refresh_from_db()
    write_and_submit(staffed["coso1"], a, party=1)
    services.report_accept(actor=bloc, report=a)
    own.refresh_from_db()
    assert own.computed["members"] == 3 and own.computed["party"] == 1
    assert login(bloc).get(reverse("reports:docx", args=[own.pk])).status_code == 200


def test_submitted_rollup_is_marked_stale_refuses_to_print_until_returned_and_recomputed(staffed, tree, period, login):
    bloc, province = staffed["khoi"], staffed["admin"]
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    services.report_accept(actor=bloc, report=write_and_submit(staffed["coso1"], a))
    own = write_and_submit(bloc, services.report_open(actor=bloc, period=period, unit=tree["bloc"]))
    assert own.state == ReportState.SUBMITTED and own.value("members") == 3
    # Unit B's report is accepted after the bloc's went up: the bloc's cannot change, so it is stale.
    b = services.report_open(actor=staffed["coso2"], period=period, unit=tree["unit_b"])
    services.report_accept(actor=bloc, report=write_and_submit(staffed["coso2"], b))
    own.refresh_from_db()
    assert own.stale and own.value("members") == 3
    client = login(bloc)
    response = client.get(reverse("reports:docx", args=[own.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:detail", args=[own.pk])
    assert "đã cũ" in response.content.decode() and "không in được" in response.content.decode()
    assert client.get(reverse("reports:pdf", args=[own.pk])).status_code == 302
    with pytest.raises(ValidationError, match="đã cũ"):
        services.report_accept(actor=province, report=own)
    # The province returns it: the roll-up catches up at once and prints again.
    services.report_return(actor=province, report=own, comment="Cộng thêm báo cáo của Sở Y tế.")
    own.refresh_from_db()
    assert not own.stale and own.value("members") == 4 and own.missing_units == []
    assert client.get(reverse("reports:docx", args=[own.pk])).status_code == 200
    services.report_submit(actor=bloc, report=own)
    services.report_accept(actor=province, report=own)


def test_two_level_approval_from_a_grassroots_unit_to_the_province(staffed, tree, period, login):
    bloc, province, chair = staffed["khoi"], staffed["admin"], staffed["coso1"]
    a = write_and_submit(chair, services.report_open(actor=chair, period=period, unit=tree["unit_a"]))
    # Only the level directly above reviews: the province does not skip the bloc.
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=province, report=a)
    assert "Duyệt báo cáo" not in login(province).get(reverse("reports:detail", args=[a.pk])).content.decode()
    assert 'id="review"' in login(bloc).get(reverse("reports:detail", args=[a.pk])).content.decode()
    services.report_accept(actor=bloc, report=a)
    own = write_and_submit(bloc, services.report_open(actor=bloc, period=period, unit=tree["bloc"]))
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=bloc, report=own)  # nobody approves their own
    waiting = [i for i in reports_inbox.items(province) if i.label.endswith("chờ duyệt")]
    assert [i.count for i in waiting] == [1]  # the bloc's report, not unit A's accepted one below it
    page = login(province).get(reverse("reports:detail", args=[own.pk])).content.decode()
    assert 'id="review"' in page
    # The province returns it with a reason; the bloc corrects and submits again; the province accepts.
    client = login(province)
    response = client.post(reverse("reports:return", args=[own.pk]), {"comment": "Bổ sung phần kiểm tra."})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.state == ReportState.RETURNED and own.return_comment == "Bổ sung phần kiểm tra."
    assert own.value("members") == 3  # returned, it is recomputed: still the accepted unit A only
    own = services.report_update(
        actor=bloc,
        report=own,
        expected_version=own.version,
        header={},
        texts={"inspection": "Đã kiểm tra 2 Hội."},
        edited={},
    )
    services.report_submit(actor=bloc, report=own)
    client.post(reverse("reports:accept", args=[own.pk]))
    own.refresh_from_db()
    assert own.state == ReportState.ACCEPTED
    # The province's own roll-up sums the bloc's accepted report.
    top = services.report_open(actor=province, period=period, unit=tree["province"])
    assert top.is_rollup and top.computed["members"] == 3 and top.missing_units == []


@pytest.fixture
def locked(cast, kinds):
    """A period whose lock date (20/07/2024) is long past."""
    return first_half_2024(cast["khoi"], kinds, locks_on=datetime.date(2024, 7, 20))


def test_period_locks_after_its_date_except_for_a_unit_the_level_above_lets_through(staffed, tree, locked, login):
    chair, bloc = staffed["coso1"], staffed["khoi"]
    with pytest.raises(ValidationError, match="đã khóa sổ sau ngày 20/07/2024"):
        services.report_open(actor=chair, period=locked, unit=tree["unit_a"])
    page = login(chair).get(reverse("reports:period", args=[locked.pk])).content.decode()
    assert "đã khóa sổ" in page and "Lập báo cáo" not in page
    soon = timezone.localdate() + datetime.timedelta(days=7)
    # Only the level directly above grants: not the sibling chair, not the province.
    for outsider in (staffed["coso2"], staffed["admin"]):
        with pytest.raises(PermissionDenied):
            services.exception_grant(actor=outsider, period=locked, unit=tree["unit_a"], until=soon, reason="Ốm")
    with pytest.raises(ValidationError):
        services.exception_grant(
            actor=bloc, period=locked, unit=tree["unit_a"], until=datetime.date(2024, 7, 18), reason="Trước khóa sổ"
        )
    response = login(bloc).post(
        reverse("reports:exception_grant"),
        {
            "ky": locked.pk,
            "unit": tree["unit_a"].pk,
            "until": soon.strftime("%d/%m/%Y"),
            "reason": "Chủ tịch Hội ốm dài ngày",
        },
        follow=True,
    )
    page = response.content.decode()
    assert f"Đã cho phép Hội CCB Sở Tài chính nộp báo cáo đến ngày {soon:%d/%m/%Y}" in page
    assert f"được nộp muộn đến {soon:%d/%m/%Y}" in page
    a = write_and_submit(chair, services.report_open(actor=chair, period=locked, unit=tree["unit_a"]))
    assert a.state == ReportState.SUBMITTED
    # Unit B got no exception: still locked.
    with pytest.raises(ValidationError, match="Đề nghị Hội CCB Khối"):
        services.report_open(actor=staffed["coso2"], period=locked, unit=tree["unit_b"])
    # The exception runs out: unit A, returned afterwards, can no longer correct.
    services.report_return(actor=bloc, report=a, comment="Sửa lại")
    services.exception_grant(
        actor=bloc, period=locked, unit=tree["unit_a"], until=datetime.date(2024, 7, 21), reason="Hết hạn"
    )
    a.refresh_from_db()
    with pytest.raises(ValidationError, match="khóa sổ"):
        services.report_update(actor=chair, report=a, expected_version=a.version, header={}, texts={}, edited={})
    assert UnitReport.objects.get(pk=a.pk).state == ReportState.RETURNED


def test_period_form_takes_a_lock_date_and_the_list_shows_each_unit_its_own_deadline(staffed, period, login):
    client = login(staffed["khoi"])
    response = client.post(
        reverse("reports:period_create"), {**YEAR_FORM, "deadline": "15/01/2025", "locks_on": "10/01/2025"}
    )
    assert "Ngày khóa sổ phải từ hạn nộp chung trở đi." in response.content.decode()
    chair_page = login(staffed["coso1"]).get(reverse("reports:periods")).content.decode()
    assert "05/07/2024" in chair_page and "hạn chung 15/07/2024" in chair_page
    assert (
        f'href="{reverse("reports:period", args=[period.pk])}" class="link-secondary">Chưa lập (quá hạn)' in chair_page
    )
    bloc_page = login(staffed["khoi"]).get(reverse("reports:periods")).content.decode()
    assert "15/07/2024" in bloc_page and "05/07/2024" not in bloc_page

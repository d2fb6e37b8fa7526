"""States, freezing, corrections, roll-up, documents and scope, through services and pages."""

import datetime
import io

import docx
import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hoiccb.reports import services
from hoiccb.reports.models import ReportState
from hoiccb.reports.tests.conftest import YEAR_FORM


def test_edited_figures_are_kept_apart_and_submission_freezes(staffed, tree, period):
    chair = staffed["coso1"]
    report = services.report_open(actor=chair, period=period, unit=tree["unit_a"])
    assert report.computed["members"] == 3 and not report.is_rollup
    report = services.report_update(
        actor=chair,
        report=report,
        expected_version=report.version,
        header={"number": "7/BC-CCB"},
        texts={"plan": "Tiếp tục phát triển hội viên."},
        edited={"members": 4, "awards": 2, "ccb": None},
    )
    assert report.value("members") == 4 and report.computed["members"] == 3
    assert report.edited == {"members": 4, "awards": 2}
    with pytest.raises(ValidationError):  # a stale version
        services.report_update(actor=chair, report=report, expected_version=1, header={}, texts={}, edited={})
    with pytest.raises(ValidationError, match="cựu chiến binh cộng số cựu quân nhân"):
        services.report_submit(actor=chair, report=report)  # 4 members beside 3 CCB + 0 CQN
    report = services.report_update(
        actor=chair, report=report, expected_version=report.version, header={}, texts={}, edited={"ccb": 4, "joined": 1}
    )
    report = services.report_update(
        actor=chair, report=report, expected_version=report.version, header={}, texts={}, edited={"age_unknown": 1}
    )
    with pytest.raises(ValidationError, match="cá nhân cộng tập thể"):
        services.report_submit(actor=chair, report=report)  # 2 awards, none of them individual or collective
    report = services.report_update(
        actor=chair,
        report=report,
        expected_version=report.version,
        header={},
        texts={},
        edited={"awards_collective": 2},
    )
    services.report_submit(actor=chair, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    with pytest.raises(ValidationError):
        services.report_update(
            actor=chair, report=report, expected_version=report.version, header={}, texts={}, edited={"members": 9}
        )
    with pytest.raises(ValidationError):
        services.report_refresh(actor=chair, report=report)
    # The chair cannot review their own report; a sibling chair cannot even open it.
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=chair, report=report)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=staffed["coso2"], report=report)
    assert report.events.count() == 6


def test_return_needs_a_comment_then_resubmit_and_rollup(staffed, tree, period):
    bloc = staffed["khoi"]
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    services.report_update(
        actor=staffed["coso1"],
        report=a,
        expected_version=a.version,
        header={},
        texts={"plan": "Kế hoạch"},
        edited={"gift_value": 5_000_000},
    )
    services.report_submit(actor=staffed["coso1"], report=a)
    with pytest.raises(ValidationError):
        services.report_return(actor=bloc, report=a, comment="  ")
    services.report_return(actor=bloc, report=a, comment="Bổ sung số liệu quà tặng.")
    a.refresh_from_db()
    assert a.state == ReportState.RETURNED and a.return_comment == "Bổ sung số liệu quà tặng."
    services.report_submit(actor=staffed["coso1"], report=a)
    services.report_accept(actor=bloc, report=a)
    b = services.report_open(actor=staffed["coso2"], period=period, unit=tree["unit_b"])
    services.report_update(
        actor=staffed["coso2"], report=b, expected_version=b.version, header={}, texts={"plan": "x"}, edited={}
    )
    services.report_submit(actor=staffed["coso2"], report=b)  # submitted, not accepted: not summed
    own = services.report_open(actor=bloc, period=period, unit=tree["bloc"])
    assert own.is_rollup
    assert own.computed["members"] == 3 and own.computed["gift_value"] == 5_000_000
    assert own.missing_units == ["Hội CCB Sở Y tế"]
    services.report_accept(actor=bloc, report=b)
    own = services.report_refresh(actor=bloc, report=own)
    assert own.computed["members"] == 4 and own.missing_units == []


def test_completeness_page_names_late_returned_and_missing(staffed, tree, period, login):
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    services.report_update(
        actor=staffed["coso1"], report=a, expected_version=a.version, header={}, texts={"plan": "x"}, edited={}
    )
    services.report_submit(actor=staffed["coso1"], report=a)  # today is long after 5/7/2024: late
    page = login(staffed["khoi"]).get(reverse("reports:period", args=[period.pk])).content.decode()
    assert "Nộp muộn: 1" in page and "Quá hạn, chưa nộp: 1" in page
    assert "Hội CCB Sở Y tế" in page


def test_docx_and_annex_read_back(staffed, tree, period, login):
    bloc = staffed["khoi"]
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    services.report_update(
        actor=staffed["coso1"], report=a, expected_version=a.version, header={}, texts={"plan": "x"}, edited={}
    )
    services.report_submit(actor=staffed["coso1"], report=a)
    services.report_accept(actor=bloc, report=a)
    own = services.report_open(actor=bloc, period=period, unit=tree["bloc"])
    services.report_update(
        actor=bloc,
        report=own,
        expected_version=own.version,
        header={
            "number": "15/BC-CCB",
            "place": "Yên Bái",
            "dated_on": datetime.date(2024, 6, 5),
            "signer": "Nguyễn Văn Chủ",
        },
        texts={
            "building": "Kết nạp 3 hội viên.\nCủng cố chi hội.",
            "shortcomings": "Còn chậm.",
            "plan": "Tổng kết phong trào.",
        },
        edited={},
    )
    client = login(bloc)
    response = client.get(reverse("reports:docx", args=[own.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    header = "\n".join(c.text for row in document.tables[0].rows for c in row.cells)
    assert "HỘI CCB TỈNH" in header and "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH" in header
    assert "Số: 15/BC-CCB" in header and "Yên Bái, ngày 05 tháng 6 năm 2024" in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    body = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in body and "6 tháng đầu năm và phương hướng nhiệm vụ 6 tháng cuối năm 2024" in body
    assert "1. Công tác xây dựng Hội" in body and "Củng cố chi hội." in body
    assert "II. TỒN TẠI, HẠN CHẾ" in body and "III. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024" in body
    assert "chưa có báo cáo của: Hội CCB Sở Y tế" in body
    figures_table = document.tables[1]
    members_row = next(r for r in figures_table.rows if r.cells[1].text == "Tổng số hội viên cuối kỳ")
    assert members_row.cells[2].text == "3"
    margin = document.sections[0].left_margin
    assert margin is not None and margin.mm == pytest.approx(30, abs=0.5)

    response = client.get(reverse("reports:annex"), {"ky": period.pk})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    annex_header = next(r for r in rows if r and r[0] == "STT")
    col = annex_header.index("Tổng số hội viên cuối kỳ")
    unit_rows = {r[1]: r for r in rows if r[1] in ("Hội CCB Sở Tài chính", "Hội CCB Sở Y tế")}
    assert unit_rows["Hội CCB Sở Tài chính"][col] == 3 and unit_rows["Hội CCB Sở Y tế"][col] is None
    assert unit_rows["Hội CCB Sở Y tế"][2] == "Quá hạn, chưa nộp"
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[col] == 3


def test_scope_chair_sees_only_own_reports(staffed, tree, period, login):
    a = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    client = login(staffed["coso2"])
    for name in ("detail", "edit", "docx"):
        assert client.get(reverse(f"reports:{name}", args=[a.pk])).status_code == 404
    assert client.post(reverse("reports:submit", args=[a.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.report_open(actor=staffed["coso2"], period=period, unit=tree["unit_a"])
    assert client.get(reverse("reports:period", args=[period.pk]) + f"?don_vi={tree['unit_a'].pk}").status_code == 404
    assert login(staffed["coso1"]).get(reverse("reports:detail", args=[a.pk])).status_code == 200


def test_pages_edit_and_bad_input(staffed, tree, period, login):
    client = login(staffed["coso1"])
    response = client.post(reverse("reports:start"), {"ky": period.pk})
    report = tree["unit_a"].reports.get()
    assert response.url == reverse("reports:detail", args=[report.pk])
    url = reverse("reports:edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {"version": report.version, "f_members": "-3", "f_joined": "abc", "plan": "x"}
    response = client.post(url, data)
    assert response.status_code == 200 and "Số liệu không âm." in response.content.decode()
    report.refresh_from_db()
    assert report.edited == {}
    response = client.post(
        url, {"version": report.version, "f_members": "10", "plan": "Phát triển hội viên", "dated_on": "05/6/2024"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.edited["members"] == 10 and report.dated_on == datetime.date(2024, 6, 5)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "hệ thống tính: 3" in detail


def test_period_form_and_dashboard(staffed, login, kinds):
    client = login(staffed["khoi"])
    response = client.post(reverse("reports:period_create"), {**YEAR_FORM, "deadline": "10/12/2024"})
    assert response.status_code == 200 and "Hạn nộp phải từ ngày kết thúc kỳ trở đi." in response.content.decode()
    assert login(staffed["coso1"]).get(reverse("reports:period_create")).status_code == 404
    client = login(staffed["khoi"])
    page = client.get(reverse("reports:dashboard"))
    assert page.status_code == 200 and "Tháp tuổi hội viên" in page.content.decode()
    response = client.get(reverse("reports:dashboard") + "?xlsx=members_by_unit")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert any(r[1] == "Sở Tài chính" and r[2] == 3 for r in rows), rows


def test_moving_a_unit_moves_its_reports_path(staffed, tree, period):
    from hoiccb.org import services as org_services

    report = services.report_open(actor=staffed["coso1"], period=period, unit=tree["unit_a"])
    org_services.unit_move(actor=staffed["admin"], unit=tree["unit_a"], new_parent=tree["province"])
    report.refresh_from_db()
    tree["unit_a"].refresh_from_db()
    assert report.unit_path == tree["unit_a"].path

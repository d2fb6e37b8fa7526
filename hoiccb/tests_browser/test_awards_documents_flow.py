"""Awards documents in a real browser: from an issued decision the clerk presses "In giấy khen",
watches the bar while the worker prints, downloads the PDF; then builds the upward dossier
and downloads it as a ZIP."""

import subprocess
import zipfile

import pytest
from playwright.sync_api import expect

from hoiccb.awards.models import CertificateJob, JobState, NominationState
from hoiccb.awards.rounds import services
from hoiccb.awards.tests.conftest import forms, movement, people, rated, round_  # noqa: F401 (fixtures)
from hoiccb.awards.tests.test_flow import full_round
from hoiccb.tests_browser.test_import_flow import run_worker
from hoiccb.tests_browser.test_member_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificates_then_upward_dossier(page, live_server, cast, tree, people, forms, round_):  # noqa: F811
    decision = full_round(round_, cast, tree, people, forms)
    form = forms["bang-khen-tinh"]
    services.quota_set(actor=cast["khoi"], round=round_, form=form, basis="number", value=4)
    n = services.nominate(
        actor=cast["coso1"], round=round_, form=form, unit=tree["unit_a"], member=people["binh"], summary="Gương mẫu."
    )
    services.transition(actor=cast["coso1"], nomination=n, to=NominationState.SUBMITTED)
    services.transition(actor=cast["khoi"], nomination=n, to=NominationState.REVIEW)
    services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=9, no=0, abstain=0)
    services.transition(actor=cast["khoi"], nomination=n, to=NominationState.UPWARD)

    # The clerk presses "In giấy khen": the bar shows 0 / 3 while the job waits for the worker.
    log_in(page, live_server, "khoi")
    page.goto(f"{live_server.url}/thi-dua/dot/{round_.pk}/")
    page.get_by_role("button", name="In giấy khen").click()
    expect(page.get_by_role("heading", name=f"Giấy khen theo {decision}")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#job-count")).to_have_text("0 / 3 giấy khen")
    # A second press starts nothing.
    page.goto(f"{live_server.url}/thi-dua/dot/{round_.pk}/")
    page.get_by_role("button", name="In giấy khen").click()
    expect(page.get_by_text("đang được in hoặc đã in xong")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    run_worker()
    # The bar polls every second: at the end the page offers the PDF.
    expect(page.get_by_role("progressbar")).to_have_count(0, timeout=15_000)
    expect(page.get_by_text("Đã in 3 giấy khen")).to_be_visible()
    assert CertificateJob.objects.get().state == JobState.DONE
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải giấy khen (PDF)").click()
    assert info.value.suggested_filename == "Giấy khen 1-2024.pdf"
    text = subprocess.run(["pdftotext", str(info.value.path()), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("GIẤY KHEN") == 3 and "Lê Thị Ân" in text and "Trần Văn Hải" in text

    # The upward dossier: one form, its documents as one ZIP, and the record of sending it.
    page.goto(f"{live_server.url}/thi-dua/dot/{round_.pk}/")
    page.get_by_role("link", name="Hồ sơ đề nghị cấp trên").click()
    section = page.locator("section", has_text="Bằng khen của Hội CCB tỉnh")
    expect(section).to_contain_text("Phạm Văn Bình")
    with page.expect_download() as info:
        section.get_by_role("link", name="Tải cả hồ sơ (ZIP)").click()
    names = zipfile.ZipFile(info.value.path()).namelist()
    assert names == ["01-to-trinh.docx", "02-danh-sach.xlsx", "03-tom-tat-thanh-tich.docx"]
    section.get_by_label("Số tờ trình").fill("7")
    section.get_by_label("Ngày gửi").fill("2024-06-10")
    section.get_by_label("Người ký").fill("Nguyễn Văn Thắng")
    section.get_by_role("button", name="Ghi nhận đã gửi").click()
    expect(page.get_by_text("Đã gửi: Tờ trình số 07/TTr-CCB ngày 10/06/2024")).to_be_visible()

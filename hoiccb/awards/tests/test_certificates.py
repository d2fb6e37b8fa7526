"""Certificates printed in the background: the request, the batched job, the stored PDF, failures."""

import subprocess

import pytest

from hoiccb.awards.documents import certificates
from hoiccb.awards.documents import services as document_services
from hoiccb.awards.models import AwardEvent, CertificateJob, JobState
from hoiccb.awards.tests.test_flow import full_round

NAMES = ["Lê Thị Ân", "Nguyễn Văn Hùng", "Trần Văn Hải"]


@pytest.fixture
def decision(round_, cast, tree, people, forms):
    return full_round(round_, cast, tree, people, forms)


def pdf_text(data: bytes, tmp_path) -> tuple[str, int]:
    """Return the text pdftotext reads from a PDF and its page count (pdfinfo)."""
    path = tmp_path / "giay-khen.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


def test_clerk_prints_in_batches_and_downloads_the_stored_pdf(
    login, decision, cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(certificates, "BATCH", 2)  # three recipients: two batches, so the bar moves twice
    reports: list[tuple[int, str]] = []
    real_report = certificates.report

    def report(job, done, label):
        reports.append((done, label))
        real_report(job, done, label)

    monkeypatch.setattr(certificates, "report", report)
    client = login(cast["khoi"])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/")
    assert response.status_code == 302 and len(queued) == 1  # the task is enqueued once the request commits
    job = CertificateJob.objects.get(decision=decision)
    assert (job.state, job.total) == (JobState.QUEUED, 3)
    page = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/").content.decode()
    assert 'role="progressbar"' in page and "0 / 3 giấy khen" in page

    certificates.run(job.pk)  # what the worker's task does
    assert [done for done, _ in reports] == [0, 2, 3, 3]
    assert reports[-1][1] == "Đang ghép các trang thành một tệp…"
    job.refresh_from_db()
    assert job.state == JobState.DONE and (job.file.name or "").startswith("private/awards/giay-khen-")
    page = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/").content.decode()
    assert "Đã in 3 giấy khen" in page and "Tải giấy khen (PDF)" in page
    response = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''Gi%E1%BA%A5y%20khen%201-2024.pdf" in response["Content-Disposition"]
    text, pages = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert pages == 3  # one page per recipient
    for expected in ["GIẤY KHEN", "Độc lập - Tự do - Hạnh phúc", *NAMES]:
        assert expected in text, expected
    # Each page has its own number in the golden book, across batches.
    assert [f"Số sổ vàng: {i}" in text for i in (1, 2, 3)] == [True, True, True]


def test_a_second_press_while_printing_starts_nothing(login, decision, cast, django_capture_on_commit_callbacks):
    client = login(cast["khoi"])
    with django_capture_on_commit_callbacks() as queued:
        client.post(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/")
        response = client.post(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/", follow=True)
    assert len(queued) == 1
    assert "đang được in hoặc đã in xong" in response.content.decode()
    assert CertificateJob.objects.count() == 1
    assert AwardEvent.objects.filter(action="certificates_request").count() == 1


def test_the_pdf_is_reused_until_the_decision_changes(decision, cast):
    job, queued = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    certificates.run(job.pk)
    first = CertificateJob.objects.get().file.name
    assert first
    assert document_services.certificates_request(actor=cast["khoi"], decision=decision)[1] is False
    decision.signer = "Phạm Văn Đồng"
    decision.save()
    assert certificates.ready_file(decision) is None  # stale: the signer printed on it changed
    job, queued = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    assert queued and job.state == JobState.QUEUED
    certificates.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.file.name != first
    assert not job.file.storage.exists(first)  # the old PDF is removed


def test_a_failure_shows_a_message_and_can_be_retried(login, decision, cast, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("font cache unreadable")

    monkeypatch.setattr(certificates, "render_pdf", broken)
    job, _ = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    with pytest.raises(OSError):
        certificates.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.message == certificates.FAILED_MESSAGE
    client = login(cast["khoi"])
    page = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/").content.decode()
    assert "Không in được giấy khen do lỗi hệ thống" in page and "In lại</button>" in page
    monkeypatch.undo()
    job, queued = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    assert queued
    certificates.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.message == ""


def test_progress_bar_then_redirect_when_done(login, decision, cast):
    client = login(cast["khoi"])
    job, _ = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    certificates.report(job, 2, "Đang in giấy khen…")
    bar = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/tien-do/").content.decode()
    assert "2 / 3 giấy khen" in bar and 'aria-valuenow="67"' in bar
    certificates.run(job.pk)
    done = client.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/tien-do/")
    assert done.status_code == 204 and done["HX-Redirect"] == f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/"


def test_certificates_outside_the_scope_or_without_the_right(login, decision, cast):
    job, _ = document_services.certificates_request(actor=cast["khoi"], decision=decision)
    certificates.run(job.pk)
    chair = login(cast["coso1"])
    for url in ("giay-khen/", "giay-khen/tien-do/", "giay-khen.pdf"):
        assert chair.get(f"/thi-dua/quyet-dinh/{decision.pk}/{url}").status_code == 404
    assert chair.post(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/").status_code == 404
    # A committee member of the bloc sees and downloads, but cannot start a print.
    committee = login(cast["uyvien"])
    page = committee.get(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/").content.decode()
    assert "Tải giấy khen (PDF)" in page
    CertificateJob.objects.update(state=JobState.FAILED)
    response = committee.post(f"/thi-dua/quyet-dinh/{decision.pk}/giay-khen/", follow=True)
    assert "ngoài phạm vi" in response.content.decode()
    assert CertificateJob.objects.get().state == JobState.FAILED

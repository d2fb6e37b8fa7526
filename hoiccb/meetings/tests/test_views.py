import datetime
import io

import docx
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from hoiccb.lib import pdf_jobs
from hoiccb.meetings import docs, services
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings.models import Allotment, Meeting, Task

pytestmark = pytest.mark.django_db


def docx_text(response) -> str:
    document = docx.Document(io.BytesIO(response.content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_chair_creates_the_conference_and_writes_the_agenda(login, cast, tree):
    client = login(cast["khoi"])
    response = client.post(
        "/hoi-nghi/them/",
        {
            "unit": tree["bloc"].pk,
            "kind": "tong_ket",
            "title": "Hội nghị tổng kết phong trào thi đua CCB gương mẫu giai đoạn 2019–2024",
            "date": "20/12/2024",
            "time": "08:00",
            "venue": "Hội trường Khối",
            "sums_up": "",
            "status": "planned",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/hoi-nghi/{meeting.pk}/"
    assert meeting.unit_path == tree["bloc"].path
    client.post(
        f"/hoi-nghi/{meeting.pk}/chuong-trinh/",
        {"time": "08:00", "content": "Đón tiếp đại biểu", "presenter": "Ban tổ chức"},
    )
    client.post(
        f"/hoi-nghi/{meeting.pk}/chuong-trinh/",
        {"time": "08:30", "content": "Báo cáo tổng kết phong trào", "presenter": "Đồng chí Chủ tịch Hội"},
    )
    response = client.get(f"/hoi-nghi/{meeting.pk}/chuong-trinh.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response)
    assert "CHƯƠNG TRÌNH" in text and meeting.title in text
    assert "08:30 | Báo cáo tổng kết phong trào | Đồng chí Chủ tịch Hội" in text
    assert "ngày 20/12/2024" in text


def test_bad_dates_are_refused_in_vietnamese(login, cast, tree):
    response = login(cast["khoi"]).post(
        "/hoi-nghi/them/",
        {
            "unit": tree["bloc"].pk,
            "kind": "bch",
            "title": "BCH",
            "date": "31/02/2024",
            "time": "8h",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/06/2024." in response.content.decode()
    assert not Meeting.objects.exists()


def test_allotment_page_typed_proportional_and_bad_input(login, cast, tree, meeting, members):
    client = login(cast["khoi"])
    url = f"/hoi-nghi/{meeting.pk}/phan-bo/"
    client.post(url, {"mode": "nhap", f"u{tree['unit_a'].pk}": "3", f"u{tree['unit_b'].pk}": "2"})
    assert dict(Allotment.objects.values_list("unit__code", "places")) == {"A": 3, "B": 2}
    response = client.post(url, {"mode": "nhap", f"u{tree['unit_a'].pk}": "-1"}, follow=True)
    assert "Số đại biểu phải là số nguyên không âm: Hội CCB Sở Tài chính" in response.content.decode()
    response = client.post(url, {"mode": "ty-le", "total": "3", "minimum": "2"}, follow=True)
    assert "không đủ cho mức tối thiểu" in response.content.decode()
    assert dict(Allotment.objects.values_list("unit__code", "places")) == {"A": 3, "B": 2}
    client.post(url, {"mode": "ty-le", "total": "10", "minimum": "2"})
    assert sum(Allotment.objects.values_list("places", flat=True)) == 10


def test_unit_names_delegates_within_its_places(login, cast, tree, meeting, members):
    (allotment,) = meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 1})
    client = login(cast["coso1"])
    page = client.get(f"/hoi-nghi/dai-bieu/don-vi/{allotment.pk}/", {"q": "hung"}).content.decode()
    assert "Nguyễn Văn Hùng" in page and "Trần Văn Hưng" not in page  # unit_b's member is not offered
    client.post(f"/hoi-nghi/dai-bieu/don-vi/{allotment.pk}/", {"member": members["hung"].pk})
    response = client.post(f"/hoi-nghi/dai-bieu/don-vi/{allotment.pk}/", {"member": members["an"].pk}, follow=True)
    assert "đã cử đủ 1 đại biểu" in response.content.decode()
    assert list(allotment.delegates.values_list("full_name", flat=True)) == ["Nguyễn Văn Hùng"]
    for bad in ("abc", "", str(members["hung_b"].pk)):  # not a number, nothing, another unit's member
        response = client.post(f"/hoi-nghi/dai-bieu/don-vi/{allotment.pk}/", {"member": bad}, follow=True)
        assert response.status_code == 200 and "Chọn một hội viên trong danh sách." in response.content.decode()
    # The chair of the grassroots association sees the bloc's meeting (for its places), not its guests or tasks.
    meeting_places.guest_add(actor=cast["khoi"], meeting=meeting, name="Bí thư Đảng ủy Khối")
    detail = client.get(f"/hoi-nghi/{meeting.pk}/").content.decode()
    assert "Hội CCB Sở Tài chính" in detail and "Bí thư Đảng ủy Khối" not in detail
    assert client.get(f"/hoi-nghi/{meeting.pk}/diem-danh/").status_code == 404


def test_check_in_page_searches_and_ticks(login, cast, tree, meeting, members):
    (allotment,) = meeting_places.allot(actor=cast["khoi"], meeting=meeting, places={tree["unit_a"]: 2})
    delegate = meeting_places.delegate_add(actor=cast["khoi"], allotment=allotment, member=members["hung"])
    client = login(cast["khoi"])
    page = client.get(f"/hoi-nghi/{meeting.pk}/diem-danh/", {"q": "nguyen van hung"}).content.decode()
    assert "Nguyễn Văn Hùng" in page
    fragment = client.get(f"/hoi-nghi/{meeting.pk}/diem-danh/", {"q": "khong co ai"}, HTTP_HX_REQUEST="true")
    assert "Không tìm thấy." in fragment.content.decode() and "<html" not in fragment.content.decode()
    row = client.post(f"/hoi-nghi/dai-bieu/{delegate.pk}/diem-danh/", {"present": "1"}, HTTP_HX_REQUEST="true")
    assert "Có mặt" in row.content.decode()
    delegate.refresh_from_db()
    assert delegate.checked_in_at is not None
    client.post(f"/hoi-nghi/dai-bieu/{delegate.pk}/diem-danh/", {"present": "0"})
    delegate.refresh_from_db()
    assert delegate.checked_in_at is None


def test_invitations_per_guest_and_as_one_list(login, cast, meeting):
    guest = meeting_places.guest_add(
        actor=cast["khoi"], meeting=meeting, name="Đồng chí Nguyễn Văn Bí", title="Bí thư Đảng ủy Khối"
    )
    meeting_places.guest_add(
        actor=cast["khoi"], meeting=meeting, name="Đồng chí Lê Văn Phó", organisation="Hội CCB tỉnh"
    )
    client = login(cast["khoi"])
    text = docx_text(client.get(f"/hoi-nghi/khach/{guest.pk}/giay-moi.docx"))
    assert "GIẤY MỜI" in text and "Kính gửi: Đồng chí Nguyễn Văn Bí – Bí thư Đảng ủy Khối" in text
    text = docx_text(client.get(f"/hoi-nghi/{meeting.pk}/giay-moi.docx"))
    assert text.count("GIẤY MỜI") == 2 and "Lê Văn Phó – Hội CCB tỉnh" in text
    client.post(f"/hoi-nghi/khach/{guest.pk}/tra-loi/", {"reply": "accepted"})
    guest.refresh_from_db()
    assert guest.reply == "accepted"
    response = client.post(f"/hoi-nghi/khach/{guest.pk}/tra-loi/", {"reply": "bogus"}, follow=True)
    assert "Trả lời không hợp lệ." in response.content.decode()


def test_tasks_my_tasks_board_and_emails(login, cast, meeting, committee, settings):
    client = login(cast["khoi"])
    mail.outbox.clear()
    response = client.post(
        f"/hoi-nghi/{meeting.pk}/nhiem-vu/",
        {
            "title": "Dự thảo báo cáo tổng kết",
            "group": "noi_dung",
            "assignee": committee.pk,
            "deadline": "01/12/2024",
            "status": "todo",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert mail.outbox[0].to == [committee.email]
    services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=cast["khoi"],
        title="Trang trí khánh tiết",
        group="khanh_tiet",
        deadline=datetime.date(2099, 1, 1),
    )
    # The committee member's "my tasks" and home page show their task only.
    member = login(committee)
    page = member.get("/hoi-nghi/viec-cua-toi/").content.decode()
    assert "Dự thảo báo cáo tổng kết" in page and "Trang trí khánh tiết" not in page and "Trễ hạn" in page
    assert "Dự thảo báo cáo tổng kết" in member.get("/").content.decode()
    assert member.get("/hoi-nghi/viec-tre-han/").status_code == 404
    response = member.post(f"/hoi-nghi/viec/{task.pk}/", {"status": "blocked", "notes": ""})
    assert "Ghi rõ vướng mắc" in response.content.decode()
    member.post(f"/hoi-nghi/viec/{task.pk}/", {"status": "blocked", "notes": "Chưa có số liệu của 3 cơ sở"})
    member.post(f"/hoi-nghi/viec/{task.pk}/dinh-kem/", {"file": SimpleUploadedFile("du-thao.txt", "Dự thảo".encode())})
    assert task.attachments.get().file.read() == "Dự thảo".encode()
    bad = member.post(f"/hoi-nghi/viec/{task.pk}/dinh-kem/", {"file": SimpleUploadedFile("x.exe", b"MZ")}, follow=True)
    assert "Tệp “x.exe” không phải tệp PDF, Word, Excel" in bad.content.decode()
    board = login(cast["khoi"]).get("/hoi-nghi/viec-tre-han/").content.decode()
    assert board.count("Dự thảo báo cáo tổng kết") == 2  # late and blocked
    assert "Trang trí khánh tiết" not in board
    # Another unit's chair sees none of it.
    assert login(cast["coso2"]).get(f"/hoi-nghi/viec/{task.pk}/").status_code == 404


def test_reminder_command_sends_once(cast, meeting, committee, capsys):
    from hoiccb.lib.forms import today

    services.task_create(
        actor=cast["khoi"],
        meeting=meeting,
        assignee=committee,
        title="Âm thanh",
        group="co_so",
        deadline=today() + datetime.timedelta(days=1),
    )
    mail.outbox.clear()
    call_command("send_task_reminders")
    call_command("send_task_reminders")
    assert [m.subject[:11] for m in mail.outbox] == ["[Nhắc việc]"]
    assert "Đã gửi 1 thư nhắc việc." in capsys.readouterr().out


def test_minutes_conclusions_and_documents_pages(login, cast, meeting, committee):
    client = login(cast["khoi"])
    client.post(f"/hoi-nghi/{meeting.pk}/bien-ban/", {"minutes": "Hội nghị thống nhất…"})
    client.post(
        f"/hoi-nghi/{meeting.pk}/ket-luan/",
        {
            "text": "Các cơ sở nộp báo cáo",
            "action": "Nhắc cơ sở nộp báo cáo",
            "owner": committee.pk,
            "due_date": "15/01/2025",
        },
    )
    task = Task.objects.get()
    assert task.conclusion is not None
    assert task.conclusion.text == "Các cơ sở nộp báo cáo" and task.assignee == committee
    client.post(
        f"/hoi-nghi/{meeting.pk}/tai-lieu/",
        {"kind": "khen_thuong", "title": "Quyết định khen thưởng", "link": "https://example.vn/qd.pdf"},
    )
    response = client.post(f"/hoi-nghi/{meeting.pk}/tai-lieu/", {"kind": "bao_cao", "title": "Báo cáo"}, follow=True)
    assert "Cần tải tệp lên hoặc nhập đường dẫn." in response.content.decode()
    response = client.post(
        f"/hoi-nghi/{meeting.pk}/tai-lieu/",
        {"kind": "bao_cao", "title": "Báo cáo giả", "upload": SimpleUploadedFile("bc.pdf", b"not a pdf")},
        follow=True,
    )
    assert "Tệp “bc.pdf” không phải tệp PDF hoặc Word" in response.content.decode()
    page = client.get(f"/hoi-nghi/{meeting.pk}/").content.decode()
    assert "Nhắc cơ sở nộp báo cáo" in page and "Quyết định khen thưởng" in page
    assert list(meeting.documents.values_list("title", flat=True)) == ["Quyết định khen thưởng"]


def test_programme_pdf_reads_back_in_vietnamese_with_a_times_compatible_font(login, cast, meeting):
    import pypdf

    services.agenda_add(
        actor=cast["khoi"],
        meeting=meeting,
        time=datetime.time(8, 30),
        content="Báo cáo tổng kết phong trào",
        presenter="Đồng chí Chủ tịch Hội",
    )
    client = login(cast["khoi"])
    url = f"/hoi-nghi/{meeting.pk}/chuong-trinh.pdf"
    # LibreOffice takes a second or more: the worker converts, the clerk sees the bar meanwhile.
    waiting = client.get(url).content.decode()
    assert 'role="progressbar"' in waiting and "Đang chuyển văn bản sang PDF" in waiting
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200  # the bar, polled
    pdf_jobs.convert(pdf_jobs.key_of(docs.programme(meeting)))  # what the worker's task does
    polled = client.get(url, headers={"HX-Request": "true"})
    assert polled.status_code == 204 and polled["HX-Redirect"] == url
    response = client.get(url)
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "CHƯƠNG TRÌNH" in text and "Báo cáo tổng kết phong trào" in text and "Đồng chí Chủ tịch Hội" in text
    resources = reader.pages[0]["/Resources"].get_object()
    assert isinstance(resources, pypdf.generic.DictionaryObject)
    font_table = resources["/Font"].get_object()
    assert isinstance(font_table, pypdf.generic.DictionaryObject)
    fonts = {str(f["/BaseFont"]) for f in font_table.values()}
    assert any(name in f for name in ("Liberation-Serif", "LiberationSerif", "Times", "Tinos") for f in fonts), fonts


def test_a_failed_pdf_conversion_says_so_in_vietnamese_and_can_be_retried(login, cast, meeting, monkeypatch):
    client = login(cast["khoi"])
    url = f"/hoi-nghi/{meeting.pk}/chuong-trinh.pdf"
    client.get(url)
    monkeypatch.setenv("PATH", "/nonexistent")  # the worker's machine without LibreOffice
    pdf_jobs.convert(pdf_jobs.key_of(docs.programme(meeting)))
    monkeypatch.undo()
    page = client.get(url, follow=True).content.decode()
    assert "Máy chủ chưa cài LibreOffice nên chưa chuyển được sang PDF" in page
    assert 'role="progressbar"' in client.get(url).content.decode()  # asked again: queued again


def test_a_conversion_the_worker_lost_is_queued_again(login, cast, meeting, django_capture_on_commit_callbacks):
    import os

    client = login(cast["khoi"])
    url = f"/hoi-nghi/{meeting.pk}/chuong-trinh.pdf"
    with django_capture_on_commit_callbacks() as queued:
        client.get(url)
        client.get(url)
    assert len(queued) == 1  # asked twice, converted once
    from django.conf import settings

    # Age the queued DOCX as the local storage keeps it (the storage API cannot set a time).
    source = next((settings.MEDIA_ROOT / "private" / "pdf").glob("*.docx"))
    old = source.stat().st_mtime - pdf_jobs.STALE_SECONDS - 1
    os.utime(source, (old, old))
    with django_capture_on_commit_callbacks() as queued:
        client.get(url)
    assert len(queued) == 1


def test_board_pages_each_list_on_its_own(login, cast, meeting):
    """51 late and 51 blocked tasks: each list shows 50, says where it is, and pages on its own."""
    for i in range(51):
        for title, deadline, status in (
            (f"Việc trễ số {i:02d}", datetime.date(2024, 1, 1), "todo"),
            (f"Việc vướng số {i:02d}", datetime.date(2099, 1, 1), "blocked"),
        ):
            services.task_create(
                actor=cast["khoi"],
                meeting=meeting,
                assignee=cast["khoi"],
                title=title,
                group="noi_dung",
                deadline=deadline,
                status=status,
                notes="Chờ số liệu",
            )
    client = login(cast["khoi"])
    first = client.get("/hoi-nghi/viec-tre-han/").content.decode()
    assert first.count("Việc trễ số") == 50 and first.count("Việc vướng số") == 50
    assert "Trễ hạn (51 việc)" in first and "Vướng mắc (51 việc)" in first
    assert first.count("Trang 1 · 51 việc") == 2
    assert 'href="?trang=2#tre-han"' in first and 'href="?trang_vuong=2#vuong-mac"' in first
    second = client.get("/hoi-nghi/viec-tre-han/?trang=2").content.decode()
    assert second.count("Việc trễ số") == 1 and "Việc trễ số 50" in second
    assert "Trang 2 · 51 việc" in second and "Trang trước" in second
    assert second.count("Việc vướng số") == 50  # the other list stays on its first page
    blocked = client.get("/hoi-nghi/viec-tre-han/?trang=2&trang_vuong=2").content.decode()
    assert blocked.count("Việc vướng số") == 1 and "Việc vướng số 50" in blocked
    assert blocked.count("Trang 2 · 51 việc") == 2

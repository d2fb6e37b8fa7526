"""Member cards: the QR's check code, the public verification page, photos, the sheet PDF."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hoiccb.members.cards import jobs, services, sheet, signing
from hoiccb.members.cards.models import CardJob, CardJobState, MemberPhoto
from hoiccb.members.models import EventKind, MemberEvent


def test_qr_verifies_a_real_card_and_refuses_a_forged_code(client, members):
    member = members["hung"]  # card YB001
    path = signing.verify_path(member.card_number)
    code = signing.check_code("YB001")
    assert path == f"/the/YB001/{code}/"
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Thẻ hợp lệ" in text and member.unit.name in text
    # Nothing personal on the page.
    assert "Hùng" not in text and "1950" not in text
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    refused = client.get(f"/the/YB001/{forged}/").content.decode()
    assert "Thẻ không hợp lệ" in refused and member.unit.name not in refused
    # Another number with this code: refused too.
    assert "Thẻ không hợp lệ" in client.get(f"/the/YB002/{code}/").content.decode()


def test_qr_holds_only_number_and_code(members):
    context = sheet.card_context(members["hung"], "https://hoiccb.example/")
    assert context["qr"].startswith("data:image/svg+xml;base64,")
    assert signing.verify_path("YB001") == f"/the/YB001/{signing.check_code('YB001')}/"


def test_verification_is_throttled(client, members, settings):
    path = signing.verify_path("YB001")
    statuses = [client.get(path).status_code for _ in range(22)]
    assert statuses[:20] == [200] * 20
    assert statuses[-1] == 429


def test_card_of_a_member_who_left_is_not_valid(client, cast, members):
    from hoiccb.members import services as member_services

    member_services.member_leave(actor=cast["khoi"], member=members["hung"], on=datetime.date(2025, 1, 1), reason="x")
    assert "Thẻ không hợp lệ" in client.get(signing.verify_path("YB001")).content.decode()


def _jpeg(width: int, height: int) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("anh.jpg", out.getvalue(), content_type="image/jpeg")


def test_photo_is_cropped_to_3x4_and_refuses_non_images(cast, members):
    photo = services.photo_set(actor=cast["coso1"], member=members["hung"], upload=_jpeg(1200, 600))
    with Image.open(io.BytesIO(bytes(photo.image))) as image:
        assert image.size == (360, 480) and image.format == "JPEG"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.photo_set(
            actor=cast["coso1"], member=members["hung"], upload=SimpleUploadedFile("x.jpg", b"<html>not an image")
        )


def test_photo_page_and_image_are_scoped(login, cast, members):
    client = login(cast["coso1"])
    response = client.post(reverse("members:photo", args=[members["hung"].pk]), {"photo": _jpeg(300, 400)})
    assert response.status_code == 302
    assert MemberPhoto.objects.filter(member=members["hung"]).exists()
    assert client.get(reverse("members:photo_image", args=[members["hung"].pk]))["Content-Type"] == "image/jpeg"
    other = login(cast["coso2"])
    assert other.get(reverse("members:photo_image", args=[members["hung"].pk])).status_code == 404


def test_numbers_for_new_members_are_recorded_in_history(cast, tree, members):
    issued = services.cards_number_missing(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        members=[members["an"], members["hung"]],
        issued_on=datetime.date.today(),
    )
    assert issued == 1  # Hùng has a card already
    members["an"].refresh_from_db()
    assert members["an"].card_number == f"HV{members['an'].pk:07d}"
    assert MemberEvent.objects.filter(member=members["an"], action=EventKind.CARD_ISSUED).exists()


def test_sheet_job_prints_a_pdf_with_progress(login, cast, tree, members, django_capture_on_commit_callbacks):
    client = login(cast["coso1"])
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("members:cards") + f"?don_vi={tree['unit_a'].pk}", {"in_the": "1"})
    job = CardJob.objects.get()
    assert response.url == reverse("members:card_job", args=[job.pk])
    assert job.member_ids == [members["hung"].pk]
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == CardJobState.DONE
    assert jobs.progress(job)["percent"] == 100
    pdf = b"".join(client.get(reverse("members:card_job_download", args=[job.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
    assert login(cast["coso2"]).get(reverse("members:card_job", args=[job.pk])).status_code == 404


def test_sheet_layout_has_crop_marks_and_cr80_cards(members):
    html = sheet.sheet_html([members["hung"]] * 9, "https://x/")
    assert html.count('class="card"') == 9
    assert html.count('class="page"') == 2
    assert "85.6mm" in html and "54.0mm" in html
    assert html.count('class="mark"') == 2 * len(sheet.marks())

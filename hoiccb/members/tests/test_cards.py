"""Member cards: the QR's check code, the public verification page, photos, the sheet PDF."""

import datetime
import io
import subprocess

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from hoiccb.conftest import admit
from hoiccb.members.cards import jobs, services, sheet, signing
from hoiccb.members.cards.models import CardJob, CardJobState, MemberPhoto
from hoiccb.members.models import EventKind, Member, MemberEvent


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
    images: sheet.Images = {}
    context = sheet.card_context(members["hung"], "https://hoiccb.example/", images)
    png, content_type = images[context["qr"]]
    assert content_type == "image/png" and png.startswith(b"\x89PNG")
    expected = segno.make(f"https://hoiccb.example/the/YB001/{signing.check_code('YB001')}/", error="m", micro=False)
    with Image.open(io.BytesIO(png)) as image:
        assert _qr_pixels(image) == [[bool(b) for b in row] for row in expected.matrix_iter(border=sheet.QR_BORDER)]
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
    images: sheet.Images = {}
    html = sheet.sheet_html([members["hung"]] * 9, "https://x/", images)
    assert list(images) == [f"card-image:qr/{members['hung'].pk}"]  # no photo; the QR once, by name
    assert "data:image/png" not in html and f'src="card-image:qr/{members["hung"].pk}"' in html
    assert html.count('class="card slot') == 9
    assert html.count('class="page"') == 2
    assert "85.6mm" in html and "54.0mm" in html
    # Every crop mark is one stroke of the page background, outside the card it belongs to.
    assert f'url("{sheet.MARKS}")' in html
    background = sheet.marks_svg().decode()
    assert len(sheet.marks()) == 8 * 8
    for mark in sheet.marks():
        assert f"M{mark['x']:.2f} {mark['y']:.2f}h{mark['w']:.1f}v{mark['h']:.1f}" in background


def _grey_at(pdf: bytes, x_mm: float, y_mm: float) -> int:
    """The darkest grey (0 black … 255 white) within 0.2 mm of a point of page 1, rendered by poppler."""
    dpi, near = 300, 2
    x, y = round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)
    crop = ["-x", str(x - near), "-y", str(y - near), "-W", str(2 * near + 1), "-H", str(2 * near + 1)]
    png = subprocess.run(
        ["pdftoppm", "-png", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", *crop, "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout
    with Image.open(io.BytesIO(png)) as image:
        return min(image.convert("L").tobytes())


def _qr_pixels(image: Image.Image) -> list[list[bool]]:
    """The dark modules of a QR image drawn one pixel per module (True = dark)."""
    grey = image.convert("L")
    dark = [value < 128 for value in grey.tobytes()]
    return [dark[y * grey.width : (y + 1) * grey.width] for y in range(grey.height)]


def test_sheet_pdf_read_back_names_pages_photos_and_qr_codes(cast, tree, members, monkeypatch):
    """Nine cards in batches of eight: two A4 pages, each name on its page, the photo, a QR per card."""
    people = [
        admit(cast["khoi"], tree["unit_a"], f"Phạm Văn {name}", card_number=f"YC{i:03d}")
        for i, name in enumerate(["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Khánh", "Long"], start=1)
    ]
    services.photo_set(actor=cast["coso1"], member=people[8], upload=_jpeg(300, 400))
    chosen = list(Member.objects.filter(pk__in=[p.pk for p in people]).select_related("unit", "photo").order_by("id"))
    monkeypatch.setattr(sheet, "BATCH", 8)
    progress: list[int] = []
    pdf = sheet.render_pdf(chosen, "https://hoiccb.example/", progress.append)
    assert progress == [8, 9]

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]  # A4 in points
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        for n in (1, 2)
    ]
    for i, member in enumerate(chosen):
        on, off = (texts[0], texts[1]) if i < 8 else (texts[1], texts[0])
        assert member.full_name.upper() in on and member.full_name.upper() not in off
        assert f"Số thẻ: {member.card_number}" in on

    # The crop marks are drawn: dark on a mark's line, white beside it (page 1 at 300 dpi).
    mark = sheet.marks()[0]  # the vertical mark above the first card's left edge
    assert mark["w"] == 0
    assert _grey_at(pdf, mark["x"], mark["y"] + mark["h"] / 2) < 128
    assert _grey_at(pdf, mark["x"] + 2, mark["y"] + mark["h"] / 2) > 200

    # Each QR in the PDF is exactly segno's code of the card's verification address.
    expected = []
    for member in chosen:
        url = "https://hoiccb.example" + signing.verify_path(member.card_number or "")
        code = segno.make(url, error="m", micro=False)
        expected.append([[bool(bit) for bit in row] for row in code.matrix_iter(scale=1, border=sheet.QR_BORDER)])
    # WeasyPrint gives every page the document's one resource list: read each image once.
    images = {image.name: image.image for page in reader.pages for image in page.images if image.image}
    assert [i.size for i in images.values() if i.format == "JPEG"] == [(360, 480)]  # the one photo, as stored
    found = [_qr_pixels(i) for i in images.values() if i.format != "JPEG"]
    assert len(found) == 9
    assert sorted(map(str, found)) == sorted(map(str, expected))


def test_one_members_card_pdf_is_printed_at_once_and_scoped(login, cast, members):
    services.photo_set(actor=cast["coso1"], member=members["hung"], upload=_jpeg(300, 400))
    response = login(cast["coso1"]).get(reverse("members:card_pdf", args=[members["hung"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "NGUYỄN VĂN HÙNG" in reader.pages[0].extract_text() and "YB001" in reader.pages[0].extract_text()
    images = {image.name: image.image for image in reader.pages[0].images if image.image}
    assert sorted(str(i.format) for i in images.values()) == ["JPEG", "PNG"]  # the photo and the QR
    assert login(cast["coso2"]).get(reverse("members:card_pdf", args=[members["hung"].pk])).status_code == 404

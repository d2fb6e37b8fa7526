"""A nomination's attached file: served in scope only, with its real type and a Vietnamese file name."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.awards.models import Nomination
from hoiccb.awards.rounds import services
from hoiccb.news.samples import docx_bytes, pdf_bytes


@pytest.fixture
def with_file(login, round_, cast, tree, people, forms):
    """Unit A's chair nominates Lê Thị Ân through the page, attaching a PDF."""
    client = login(cast["coso1"])
    upload = SimpleUploadedFile("bao-cao thanh tich.pdf", pdf_bytes(["BAO CAO THANH TICH"]), "application/pdf")
    data = {"form": forms["giay-khen-khoi"].pk, "unit": tree["unit_a"].pk, "member": people["an"].pk}
    response = client.post(f"/thi-dua/dot/{round_.pk}/de-nghi/", {**data, "summary": "Tốt", "attachment": upload})
    assert response.status_code == 302
    return Nomination.objects.get()


def test_attachment_is_listed_and_downloaded_with_its_type_and_name(login, with_file, round_, cast):
    n = with_file
    url = f"/thi-dua/de-nghi/{n.pk}/tep-dinh-kem/"
    for user in ("coso1", "khoi"):  # the nominating unit and the round's organiser
        client = login(cast[user])
        assert url in client.get(f"/thi-dua/de-nghi/{n.pk}/").content.decode()
        assert url in client.get(f"/thi-dua/dot/{round_.pk}/").content.decode()
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        name = quote("Hồ sơ đề nghị – Lê Thị Ân.pdf")
        assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{name}"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_word_attachment_gets_the_word_type(round_, cast, tree, people, forms, client):
    n = services.nominate(
        actor=cast["coso2"],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree["unit_b"],
        member=people["hai"],
        summary="Tốt",
        attachment=SimpleUploadedFile("to-trinh.docx", docx_bytes(["Thành tích"])),
    )
    client.force_login(cast["coso2"])
    response = client.get(f"/thi-dua/de-nghi/{n.pk}/tep-dinh-kem/")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"].endswith(quote("Hồ sơ đề nghị – Trần Văn Hải.docx"))


def test_attachment_outside_the_scope_or_missing_is_404(login, with_file, round_, cast, tree, people, forms):
    assert login(cast["coso2"]).get(f"/thi-dua/de-nghi/{with_file.pk}/tep-dinh-kem/").status_code == 404
    bare = services.nominate(
        actor=cast["coso2"],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree["unit_b"],
        member=people["hai"],
        summary="x",
    )
    client = login(cast["coso2"])
    assert client.get(f"/thi-dua/de-nghi/{bare.pk}/tep-dinh-kem/").status_code == 404
    assert "Không có." in client.get(f"/thi-dua/de-nghi/{bare.pk}/").content.decode()
    with_file.attachment.storage.delete(with_file.attachment.name)  # the file lost from the disk
    assert login(cast["coso1"]).get(f"/thi-dua/de-nghi/{with_file.pk}/tep-dinh-kem/").status_code == 404

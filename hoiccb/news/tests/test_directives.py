"""Directives: sent to a subtree, seen only there, downloaded, confirmed, reminded."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.news import samples, services
from hoiccb.news.models import DirectiveReceipt, ReceiptState

pytestmark = pytest.mark.django_db


def pdf(name="15-HD-CCB.pdf"):
    return SimpleUploadedFile(name, samples.pdf_bytes(["HUONG DAN so 15/HD-CCB"]), content_type="application/pdf")


def issue(actor, unit, root=None, upload=None, **extra):
    return services.directive_issue(
        actor=actor,
        issuing_unit=unit,
        number=extra.pop("number", "15/HD-CCB"),
        issued_on=datetime.date(2024, 6, 10),
        summary=extra.pop("summary", "Hướng dẫn tổ chức Hội nghị tổng kết phong trào"),
        upload=upload or pdf(),
        recipient_root=root or unit,
        **extra,
    )


def test_bloc_sends_to_grassroots_units_only(cast, tree):
    directive = issue(cast["khoi"], tree["bloc"])
    assert set(directive.receipts.values_list("unit__code", flat=True)) == {"A", "B"}
    assert directive.file_name == "15-HD-CCB.pdf" and directive.content_type == "application/pdf"
    everyone = issue(cast["khoi"], tree["bloc"], grassroots_only=False, number="16/HD-CCB")
    assert set(everyone.receipts.values_list("unit__code", flat=True)) == {"A", "B", "A1"}


def test_a_unit_outside_the_recipients_gets_404(client, cast, tree):
    directive = issue(cast["khoi"], tree["bloc"], root=tree["unit_a"])  # to Sở Tài chính only
    client.force_login(cast["coso2"])
    for suffix in ("", "tai-ve/"):
        assert client.get(f"/van-ban/{directive.pk}/{suffix}").status_code == 404
    for suffix in ("xac-nhan/", "nhac/"):
        assert client.post(f"/van-ban/{directive.pk}/{suffix}").status_code == 404
    assert directive.summary not in client.get("/van-ban/").content.decode()
    client.force_login(cast["coso1"])
    assert client.get(f"/van-ban/{directive.pk}/").status_code == 200


def test_receipt_goes_unread_opened_confirmed(client, cast, tree):
    directive = issue(cast["khoi"], tree["bloc"])
    receipt = DirectiveReceipt.objects.get(directive=directive, unit=tree["unit_a"])
    assert receipt.state == ReceiptState.UNREAD
    client.force_login(cast["coso1"])
    assert "1 chưa xác nhận" in client.get("/van-ban/").content.decode()
    response = client.get(f"/van-ban/{directive.pk}/tai-ve/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Disposition"] == 'attachment; filename="15-HD-CCB.pdf"'
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.OPENED and receipt.opened_at is not None
    client.post(f"/van-ban/{directive.pk}/xac-nhan/")
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.CONFIRMED and receipt.confirmed_by == cast["coso1"]
    assert receipt.confirmed_at is not None and receipt.opened_at is not None
    assert receipt.confirmed_at >= receipt.opened_at
    # The bloc sees who has and who has not.
    client.force_login(cast["khoi"])
    body = client.get(f"/van-ban/{directive.pk}/").content.decode()
    assert "1/2 đơn vị đã xác nhận" in body and "Nhắc 1 đơn vị chưa xác nhận" in body
    table = body.split('id="receipt-table"')[1]
    assert table.index("Hội CCB Sở Y tế") < table.index("Hội CCB Sở Tài chính")  # the late ones first


def test_issuer_reminds_only_the_late_ones(client, cast, tree, django_capture_on_commit_callbacks):
    cast["coso2"].email = "coso2@ccb.example.vn"
    cast["coso2"].save()
    cast["coso1"].email = "coso1@ccb.example.vn"
    cast["coso1"].save()
    directive = issue(cast["khoi"], tree["bloc"])
    services.receipt_confirm(actor=cast["coso1"], directive=directive)
    client.force_login(cast["coso1"])  # a recipient, not the issuer
    assert client.post(f"/van-ban/{directive.pk}/nhac/").status_code == 404
    client.force_login(cast["khoi"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/van-ban/{directive.pk}/nhac/")
    late = DirectiveReceipt.objects.get(directive=directive, unit=tree["unit_b"])
    done = DirectiveReceipt.objects.get(directive=directive, unit=tree["unit_a"])
    assert (late.reminder_count, done.reminder_count) == (1, 0)
    assert [m.to for m in mail.outbox] == [["coso2@ccb.example.vn"]]
    assert "15/HD-CCB" in mail.outbox[0].subject
    client.force_login(cast["coso2"])
    assert "Đã được nhắc 1 lần" in client.get("/van-ban/").content.decode()


def test_only_the_own_unit_confirms(cast, tree):
    directive = issue(cast["khoi"], tree["bloc"])
    with pytest.raises(Exception, match="không nằm trong nơi nhận"):
        services.receipt_confirm(actor=cast["khoi"], directive=directive)  # the bloc cannot confirm for a unit
    assert not DirectiveReceipt.objects.filter(directive=directive, state=ReceiptState.CONFIRMED).exists()


def test_word_files_are_accepted_by_content(cast, tree):
    docx = SimpleUploadedFile("dinh-huong.docx", samples.docx_bytes(["Định hướng tuyên truyền"]))
    directive = issue(cast["khoi"], tree["bloc"], upload=docx)
    assert directive.file_name == "dinh-huong.docx"
    assert directive.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    "name,data",
    [
        ("van-ban.pdf", b"MZ\x90\x00 an executable renamed to .pdf"),
        ("van-ban.docx", b"PK\x03\x04 not really a zip"),
        ("van-ban.pdf", b"<html><script>alert(1)</script>"),
    ],
)
def test_files_that_are_not_pdf_or_word_are_refused(cast, tree, name, data):
    with pytest.raises(ValidationError) as info:
        issue(cast["khoi"], tree["bloc"], upload=SimpleUploadedFile(name, data))
    assert "upload" in info.value.error_dict
    assert not DirectiveReceipt.objects.exists()


def test_send_form_shows_the_error_and_sends_nothing(client, cast, tree):
    client.force_login(cast["khoi"])
    response = client.post(
        "/van-ban/gui/",
        {
            "issuing_unit": tree["bloc"].pk,
            "kind": "chi-dao",
            "number": "01/CĐ-CCB",
            "issued_on": "10/06/2024",
            "summary": "Chỉ đạo",
            "upload": SimpleUploadedFile("x.pdf", b"not a pdf"),
            "recipient_root": tree["bloc"].pk,
            "grassroots_only": "on",
        },
    )
    assert response.status_code == 200
    assert "Tệp “x.pdf” không phải tệp PDF hoặc Word" in response.content.decode()
    response = client.post(
        "/van-ban/gui/",
        {
            "issuing_unit": tree["bloc"].pk,
            "kind": "chi-dao",
            "number": "01/CĐ-CCB",
            "issued_on": "10/06/2024",
            "summary": "Chỉ đạo",
            "upload": pdf(),
            "recipient_root": tree["bloc"].pk,
            "grassroots_only": "on",
        },
    )
    assert response.status_code == 302
    assert DirectiveReceipt.objects.count() == 2


def test_chair_cannot_send_above_their_unit(cast, tree):
    with pytest.raises(Exception, match="không có quyền"):
        issue(cast["coso1"], tree["bloc"])
    with pytest.raises(ValidationError):
        issue(cast["coso1"], tree["unit_a"], root=tree["unit_a"])  # its subtree has no grassroots unit below it
    sent = issue(cast["coso1"], tree["unit_a"], grassroots_only=False)
    assert list(sent.receipts.values_list("unit__code", flat=True)) == ["A1"]

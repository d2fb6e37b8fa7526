"""Rights of the data subject: requests, consents, everything we hold, anonymisation."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from hoiccb.accounts.models import Role
from hoiccb.conftest import make_user
from hoiccb.members.models import ImportRow, Member, MemberEvent, MemberImport, MemberPhoto, SensitiveAccess
from hoiccb.members.privacy import services
from hoiccb.members.privacy.access_log import access_record
from hoiccb.members.privacy.models import (
    Anonymisation,
    AnonymisationState,
    Consent,
    DataRequest,
    PrivacyEvent,
    PrivacyEventKind,
    RequestKind,
    RequestState,
)
from hoiccb.members.services import member_update
from hoiccb.news import samples

pytestmark = pytest.mark.django_db

D = datetime.date


def pdf(name="dong-y.pdf"):
    return SimpleUploadedFile(name, samples.pdf_bytes(["DONG Y XU LY DU LIEU"]), content_type="application/pdf")


@pytest.fixture
def second(tree):
    """A second holder of the right at the bloc, to confirm what the first asked."""
    return make_user("khoi2", tree["bloc"], Role.STANDING)


# --- Requests -----------------------------------------------------------------------


def test_request_gets_a_deadline_by_kind_and_a_refusal_needs_a_reason(cast, members):
    khoi, hung = cast["khoi"], members["hung"]
    asked = services.request_receive(
        actor=khoi, member=hung, kind=RequestKind.ACCESS, received_on=D(2026, 2, 2), details="Xin bản sao hồ sơ."
    )
    assert asked.deadline == D(2026, 2, 12) and asked.state == RequestState.RECEIVED
    assert asked.unit_path == hung.unit_path
    with pytest.raises(ValidationError) as exc:
        services.request_update(actor=khoi, request=asked, state=RequestState.REFUSED)
    assert "lý do" in str(exc.value)
    done = services.request_update(actor=khoi, request=asked, state=RequestState.DONE, outcome="Đã gửi bản PDF.")
    assert done.closed_at is not None and not done.is_open
    assert list(PrivacyEvent.objects.values_list("action", flat=True).order_by("id")) == [
        PrivacyEventKind.REQUEST_RECEIVED,
        PrivacyEventKind.REQUEST_UPDATED,
    ]


def test_deadline_before_receipt_is_refused_with_a_message(cast, members):
    with pytest.raises(ValidationError) as exc:
        services.request_receive(
            actor=cast["khoi"],
            member=members["hung"],
            kind=RequestKind.DELETION,
            received_on=D(2026, 2, 2),
            deadline=D(2026, 1, 1),
            details="Xoá dữ liệu.",
        )
    assert "Hạn giải quyết không được trước ngày nhận." in str(exc.value)


@pytest.mark.parametrize("who", ["coso1", "uyvien", "nounit"])
def test_services_refuse_actors_without_the_right(cast, members, who):
    actor, hung = cast[who], members["hung"]
    with pytest.raises(PermissionDenied):
        services.request_receive(actor=actor, member=hung, kind="access", received_on=D(2026, 1, 5), details="x")
    with pytest.raises(PermissionDenied):
        services.consent_record(
            actor=actor, member=hung, purpose="Lập danh sách", given_on=D(2026, 1, 5), method="form"
        )
    with pytest.raises(PermissionDenied):
        services.anonymisation_ask(actor=actor, member=hung, reason="Yêu cầu xoá")


def test_a_standing_committee_outside_the_unit_cannot_touch_its_members(cast, members, tree):
    chair_b = make_user("thuongvu_b", tree["unit_b"], Role.STANDING)
    with pytest.raises(PermissionDenied):
        services.request_receive(
            actor=chair_b, member=members["hung"], kind="access", received_on=D(2026, 1, 5), details="x"
        )


def test_request_pages(login, cast, members):
    hung = members["hung"]
    client = login(cast["khoi"])
    response = client.post(
        reverse("members:privacy_request_create", args=[hung.pk]),
        {"kind": "correction", "received_on": "05/01/2026", "details": "Sửa năm nhập ngũ", "channel": "Đơn viết tay"},
    )
    assert response.status_code == 302
    asked = DataRequest.objects.get()
    assert asked.deadline == D(2026, 1, 15) and asked.channel == "Đơn viết tay"
    index = client.get(reverse("members:privacy_index")).content.decode()
    assert "Quá hạn" in index and "Chỉnh sửa dữ liệu" in index
    bad = client.post(reverse("members:privacy_request_create", args=[hung.pk]), {"kind": "x", "received_on": "99"})
    assert bad.status_code == 200 and DataRequest.objects.count() == 1
    client.post(reverse("members:privacy_request", args=[asked.pk]), {"state": "done", "outcome": "Đã sửa."})
    asked.refresh_from_db()
    assert asked.state == RequestState.DONE


# --- Consents -----------------------------------------------------------------------


def test_consent_with_its_document_and_withdrawal(login, cast, members):
    hung = members["hung"]
    client = login(cast["khoi"])
    response = client.post(
        reverse("members:privacy_consent_create", args=[hung.pk]),
        {"purpose": "Lập hồ sơ đề nghị trợ cấp", "given_on": "10/01/2026", "method": "written", "upload": pdf()},
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.document_name == "dong-y.pdf" and (consent.document.name or "").startswith("private/dong-y/")
    document = client.get(reverse("members:privacy_consent_document", args=[consent.pk]))
    assert b"".join(document.streaming_content).startswith(b"%PDF")
    assert login(cast["coso2"]).get(reverse("members:privacy_consent_document", args=[consent.pk])).status_code == 404
    client = login(cast["khoi"])
    client.post(reverse("members:privacy_consent_withdraw", args=[consent.pk]), {"on": "01/02/2026"})
    consent.refresh_from_db()
    assert consent.withdrawn_on == D(2026, 2, 1)


def test_consent_document_must_be_pdf_or_word(cast, members):
    fake = SimpleUploadedFile("dong-y.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=cast["khoi"],
            member=members["hung"],
            purpose="x",
            given_on=D(2026, 1, 1),
            method="written",
            upload=fake,
        )
    assert "PDF hoặc Word" in str(exc.value)
    assert not Consent.objects.exists()


# --- Everything we hold ---------------------------------------------------------------


def test_everything_we_hold_as_json_names_who_saw_the_member(login, cast, members, tree):
    hung = members["hung"]
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=hung)
    access_record(actor=cast["khoi"], purpose="xuất Excel danh sách", member_ids=[hung.pk, members["an"].pk])
    services.consent_record(actor=cast["khoi"], member=hung, purpose="Trợ cấp", given_on=D(2026, 1, 2), method="form")
    client = login(cast["khoi"])
    response = client.get(reverse("members:privacy_subject_json", args=[hung.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="du-lieu-hoi-vien-{hung.pk}.json"'
    data = json.loads(response.content)
    assert data["hoi_vien"]["Số CCCD"] == "001050000001" and data["hoi_vien"]["Họ"] == "Nguyễn"
    sections = {s["ten"]: s["dong"] for s in data["muc"]}
    seen = sections["Những lần dữ liệu nhạy cảm được xem"]
    # This very file is a read too, and says so.
    assert {row["Mục đích"] for row in seen} == {"xem hồ sơ", "xuất Excel danh sách", "xuất toàn bộ dữ liệu (JSON)"}
    assert sections["Sự đồng ý xử lý dữ liệu nhạy cảm"][0]["Mục đích"] == "Trợ cấp"
    assert sections["Lịch sử hội viên"][0]["Sự kiện"] == "Kết nạp / tiếp nhận"
    # Handing the file out is itself logged, as a sensitive read and as a privacy event.
    assert SensitiveAccess.objects.filter(summary="xuất toàn bộ dữ liệu (JSON)", member=hung).exists()
    assert PrivacyEvent.objects.filter(action=PrivacyEventKind.DATA_EXPORTED, member=hung).exists()
    assert login(cast["coso2"]).get(reverse("members:privacy_subject_json", args=[hung.pk])).status_code == 404


def test_everything_we_hold_as_pdf(login, cast, members):
    response = login(cast["khoi"]).get(reverse("members:privacy_subject_pdf", args=[members["hung"].pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"


# --- Anonymisation ----------------------------------------------------------------------

PERSONAL = ("ho", "chu_dem", "ten", "cccd", "card_number", "phone", "residence", "hometown", "notes", "birth_date")


def test_anonymisation_is_previewed_confirmed_by_another_and_touches_no_one_else(cast, members, second, tree):
    khoi, hung, an = cast["khoi"], members["hung"], members["an"]
    hung = member_update(
        actor=khoi,
        member=hung,
        expected_version=hung.version,
        changes={"phone": "0912345678", "residence": "Tổ 3, phường Yên Ninh", "notes": "Con trai: Nguyễn Văn Nam"},
    )
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=hung)
    access_record(actor=cast["coso1"], purpose="xem hồ sơ", member=an)
    an_before = model_to_dict(Member.objects.get(pk=an.pk))
    an_events = list(MemberEvent.objects.filter(member=an).values("changes", "note"))
    an_access = list(SensitiveAccess.objects.filter(member=an).values("member_name"))

    preview = services.anonymisation_preview(hung)
    labels = {c.label for c in preview["changes"]}
    assert {"Họ và tên", "Số CCCD", "Điện thoại", "Nơi ở hiện nay", "Ghi chú", "Ngày sinh"} <= labels
    assert preview["events"] == 2 and preview["access_rows"] == 1

    ask = services.anonymisation_ask(actor=khoi, member=hung, reason="Đơn đề nghị xoá dữ liệu ngày 05/01/2026")
    with pytest.raises(PermissionDenied):
        services.anonymisation_confirm(actor=khoi, ask=ask)  # the same person
    with pytest.raises(PermissionDenied):
        services.anonymisation_confirm(actor=cast["coso1"], ask=ask)  # no right
    assert Member.objects.get(pk=hung.pk).cccd == "001050000001"

    member = services.anonymisation_confirm(actor=second, ask=ask)
    member.refresh_from_db()
    assert member.full_name == f"Hội viên đã ẩn danh #{member.pk}"
    for name in ("cccd", "card_number", "birth_date"):
        assert getattr(member, name) is None
    assert (member.phone, member.residence, member.hometown, member.notes) == ("", "", "", "")
    assert "nguyen" not in member.search_text and member.birth_year is None
    assert not Member.objects.filter(search_text__contains="hung").exclude(pk=members["hung_b"].pk).exists()
    for event in MemberEvent.objects.filter(member=member):
        assert "0912345678" not in json.dumps(event.changes, ensure_ascii=False) and "Nam" not in event.note
    assert SensitiveAccess.objects.get(member=member).member_name == member.full_name
    ask.refresh_from_db()
    assert ask.state == AnonymisationState.DONE and ask.decided_by == second
    done = PrivacyEvent.objects.get(action=PrivacyEventKind.ANONYMISED)
    assert done.actor == second and "Nguyễn" not in done.summary

    # Nobody else changed.
    assert model_to_dict(Member.objects.get(pk=an.pk)) == an_before
    assert list(MemberEvent.objects.filter(member=an).values("changes", "note")) == an_events
    assert list(SensitiveAccess.objects.filter(member=an).values("member_name")) == an_access
    with pytest.raises(ValidationError):
        services.anonymisation_confirm(actor=second, ask=ask)  # not twice


def test_anonymisation_clears_import_rows_and_consent_documents_of_that_member_only(
    cast, members, second, django_capture_on_commit_callbacks
):
    hung, an = members["hung"], members["an"]
    batch = MemberImport.objects.create(created_by=cast["khoi"], file_name="ds.xlsx", file_sha256="0" * 64, file_size=1)
    mine = ImportRow.objects.create(
        batch=batch, number=2, raw=["Nguyễn Văn Hùng"], status="match", decision="update", member=hung
    )
    other = ImportRow.objects.create(
        batch=batch, number=3, raw=["Lê Thị Ân"], status="match", decision="update", member=an
    )
    consent = services.consent_record(
        actor=cast["khoi"], member=hung, purpose="Trợ cấp", given_on=D(2026, 1, 2), method="written", upload=pdf()
    )
    kept = services.consent_record(
        actor=cast["khoi"], member=an, purpose="Trợ cấp", given_on=D(2026, 1, 2), method="written", upload=pdf()
    )
    path = consent.document.path
    MemberPhoto.objects.create(member=hung, image=b"jpeg", width=3, height=4)
    MemberPhoto.objects.create(member=an, image=b"jpeg", width=3, height=4)
    ask = services.anonymisation_ask(actor=cast["khoi"], member=hung, reason="Yêu cầu xoá")
    with django_capture_on_commit_callbacks(execute=True):
        services.anonymisation_confirm(actor=second, ask=ask)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.raw == [] and other.raw == ["Lê Thị Ân"]
    assert list(MemberPhoto.objects.values_list("member", flat=True)) == [an.pk]  # the card photo goes too
    consent.refresh_from_db()
    kept.refresh_from_db()
    assert not consent.document and kept.document
    import os

    assert not os.path.exists(path) and os.path.exists(kept.document.path)


def test_anonymisation_pages_two_people(login, cast, members, second):
    hung = members["hung"]
    client = login(cast["khoi"])
    preview = client.get(reverse("members:privacy_anonymise", args=[hung.pk])).content.decode()
    assert "001050000001" in preview and "Hội viên đã ẩn danh" in preview
    client.post(reverse("members:privacy_anonymise", args=[hung.pk]), {"reason": "Đơn xin xoá dữ liệu"})
    ask = Anonymisation.objects.get()
    page = client.get(reverse("members:privacy_anonymise_confirm", args=[ask.pk])).content.decode()
    assert "cần một người khác" in page
    client.post(reverse("members:privacy_anonymise_confirm", args=[ask.pk]), {"huy": "0"})
    assert Member.objects.get(pk=hung.pk).ten == "Hùng"
    client = login(second)
    response = client.post(reverse("members:privacy_anonymise_confirm", args=[ask.pk]), {"huy": "0"})
    assert response.status_code == 302
    assert Member.objects.get(pk=hung.pk).ten == f"#{hung.pk}"
    assert login(cast["coso2"]).get(reverse("members:privacy_anonymise", args=[hung.pk])).status_code == 404


def test_one_pending_anonymisation_per_member(cast, members):
    services.anonymisation_ask(actor=cast["khoi"], member=members["hung"], reason="Yêu cầu xoá")
    with pytest.raises(ValidationError):
        services.anonymisation_ask(actor=cast["admin"], member=members["hung"], reason="Lần nữa")


# --- No leaks between sibling units -------------------------------------------------------


def test_standing_committee_of_a_sibling_unit_sees_none_of_the_privacy_pages(client, cast, members, tree):
    from hoiccb.members.urls import urlpatterns

    chair_a = make_user("thuongvu_a", tree["unit_a"], Role.STANDING)
    chair_b = make_user("thuongvu_b", tree["unit_b"], Role.STANDING)
    victim = members["hung_b"]
    asked = services.request_receive(
        actor=chair_b, member=victim, kind="access", received_on=D(2026, 1, 5), details="x"
    )
    consent = services.consent_record(
        actor=chair_b, member=victim, purpose="Trợ cấp", given_on=D(2026, 1, 5), method="written", upload=pdf()
    )
    ask = services.anonymisation_ask(actor=chair_b, member=victim, reason="Yêu cầu xoá")
    access_record(actor=chair_b, purpose="xem hồ sơ", member=victim)
    targets = {"request": asked.pk, "consent": consent.pk, "anonymise_confirm": ask.pk}
    client.force_login(chair_a)
    walked = 0
    for pattern in urlpatterns:
        name = getattr(pattern, "name", "") or ""
        if not name.startswith("privacy_"):
            continue
        route = str(pattern.pattern)
        if "<int:pk>" in route:
            key = next((k for k in targets if name.startswith(f"privacy_{k}")), None)
            pk = targets[key] if key and route.startswith("du-lieu-ca-nhan/") else victim.pk
            url = "/hoi-vien/" + route.replace("<int:pk>", str(pk))
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in (404, 405), f"{method.upper()} {url} → {response.status_code}"
        else:
            response = client.get("/hoi-vien/" + route)
            assert response.status_code == 200
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if body.startswith(b"PK"):
                import io

                import openpyxl

                sheet = openpyxl.load_workbook(io.BytesIO(body)).active
                body = str(list(sheet.iter_rows(values_only=True))).encode()
            assert "Trần Văn Hưng".encode() not in body, url
        walked += 1
    assert walked == 13
    ask.refresh_from_db()
    asked.refresh_from_db()
    assert ask.state == AnonymisationState.PENDING and asked.state == RequestState.RECEIVED
    assert Member.objects.get(pk=victim.pk).ten == "Hưng"


# --- Other apps, through the registry ---------------------------------------------------------


def test_other_apps_data_is_included_and_their_copies_anonymised(cast, members, second, tree, kinds):
    from hoiccb.activities import services as activity_services
    from hoiccb.activities.models import ActivityKind, Gift
    from hoiccb.members.privacy import selectors

    khoi, hung, an = cast["khoi"], members["hung"], members["an"]
    activity = activity_services.activity_create(
        actor=khoi,
        unit=tree["unit_a"],
        kind=ActivityKind.objects.get(code="an-sinh"),
        title="Thăm hội viên dịp Tết",
        start_date=D(2026, 1, 20),
        occasion="tet",
    )
    gifts = {
        m.pk: activity_services.gift_add(
            actor=khoi,
            activity=activity,
            member=m,
            beneficiary_name=m.full_name,
            address="Thôn 1, xã Tuy Lộc",
            circumstance="ho_ngheo",
            value=500_000,
            form="tien",
            funding_source="quy_hoi",
        )
        for m in (hung, an)
    }
    sections = dict(selectors.subject_data(hung)["sections"])
    assert sections["Hoạt động, thăm tặng quà"][0]["Chi tiết"] == "Tiền mặt, 500.000 đ"

    ask = services.anonymisation_ask(actor=khoi, member=hung, reason="Yêu cầu xoá")
    assert services.anonymisation_preview(hung)["elsewhere"]
    services.anonymisation_confirm(actor=second, ask=ask)
    mine, other = Gift.objects.get(pk=gifts[hung.pk].pk), Gift.objects.get(pk=gifts[an.pk].pk)
    assert (mine.beneficiary_name, mine.address) == (f"Hội viên đã ẩn danh #{hung.pk}", "")
    assert (other.beneficiary_name, other.address) == ("Lê Thị Ân", "Thôn 1, xã Tuy Lộc")

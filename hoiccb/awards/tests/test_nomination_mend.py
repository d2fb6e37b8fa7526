"""Nominations that can be mended: edit a returned one and send it again, withdraw a draft; the
council votes on a list; the upper level's result enters the award history and the rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.awards.documents import services as document_services
from hoiccb.awards.models import AwardEvent, AwardRecord, Nomination, NominationAction, NominationState, Round
from hoiccb.awards.rounds import rules, services
from hoiccb.awards.rounds.selectors import seats_held
from hoiccb.awards.tests.test_dossier import SENT_ON, upward  # noqa: F401 (fixture)
from hoiccb.news.samples import pdf_bytes

S = NominationState


def _nominate(cast, round_, tree, people, forms, key="an", chair="coso1", unit="unit_a", summary="Tốt"):
    return services.nominate(
        actor=cast[chair],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree[unit],
        member=people[key],
        summary=summary,
    )


def test_a_returned_nomination_is_edited_and_sent_again(login, round_, cast, tree, people, forms):
    n = _nominate(cast, round_, tree, people, forms, summary="Gương mẫu.")
    services.transition(actor=cast["coso1"], nomination=n, to=S.SUBMITTED)
    client = login(cast["khoi"])
    client.post(f"/thi-dua/de-nghi/{n.pk}/chuyen/", {"to": "returned", "note": "Bổ sung thành tích năm 2023"})
    n.refresh_from_db()
    assert n.state == S.RETURNED
    # The chair sees why and mends the summary, attaching the report the bloc asked for.
    chair = login(cast["coso1"])
    page = chair.get(f"/thi-dua/de-nghi/{n.pk}/").content.decode()
    assert "Bổ sung thành tích năm 2023" in page and "Sửa đề nghị" in page and "Gửi lại đề nghị" in page
    upload = SimpleUploadedFile("thanh-tich.pdf", pdf_bytes(["BAO CAO THANH TICH 2023"]), "application/pdf")
    response = chair.post(
        f"/thi-dua/de-nghi/{n.pk}/sua/",
        {"summary": "Gương mẫu.\nNăm 2023 vận động 12 hội viên tham gia xây dựng nông thôn mới.", "attachment": upload},
    )
    assert response.status_code == 302
    n.refresh_from_db()
    assert "nông thôn mới" in n.summary and n.attachment.name.endswith(".pdf")
    chair.post(f"/thi-dua/de-nghi/{n.pk}/chuyen/", {"to": "submitted"})
    n.refresh_from_db()
    assert n.state == S.SUBMITTED
    steps = [(e.action, e.from_state, e.to_state) for e in n.events.order_by("at", "id")]
    assert steps[-2:] == [
        (NominationAction.EDITED, S.RETURNED, S.RETURNED),
        (NominationAction.MOVED, S.RETURNED, S.SUBMITTED),
    ]
    # Once sent it cannot be edited; another unit cannot even open the edit page.
    with pytest.raises(ValidationError, match="Chỉ sửa được đề nghị còn nháp hoặc bị trả lại"):
        services.nomination_edit(actor=cast["coso1"], nomination=n, summary="Khác")
    assert login(cast["coso2"]).get(f"/thi-dua/de-nghi/{n.pk}/sua/").status_code == 404
    # An empty summary is refused in Vietnamese, on the form.
    n2 = _nominate(cast, round_, tree, people, forms, key="binh")
    chair = login(cast["coso1"])  # the test client is shared: log the chair in again
    response = chair.post(f"/thi-dua/de-nghi/{n2.pk}/sua/", {"summary": "   "})
    page = response.content.decode()
    assert response.status_code == 200, page[-1500:]
    assert "invalid-feedback" in page and Nomination.objects.get(pk=n2.pk).summary == "Tốt"


def test_a_draft_is_withdrawn_and_gives_its_seat_back(login, round_, cast, tree, people, forms):
    n = _nominate(cast, round_, tree, people, forms)
    assert seats_held(round_, forms["giay-khen-khoi"], tree["unit_a"]) == 1
    client = login(cast["coso1"])
    client.post(f"/thi-dua/de-nghi/{n.pk}/chuyen/", {"to": "withdrawn"})
    n.refresh_from_db()
    assert n.state == S.WITHDRAWN
    assert seats_held(round_, forms["giay-khen-khoi"], tree["unit_a"]) == 0
    # A withdrawn nomination is not sent afterwards; the bloc cannot withdraw a unit's draft.
    with pytest.raises(ValidationError, match="Không thể chuyển từ «Đã rút» sang «Đã gửi»"):
        services.transition(actor=cast["coso1"], nomination=n, to=S.SUBMITTED)
    other = _nominate(cast, round_, tree, people, forms, key="hai", chair="coso2", unit="unit_b")
    login(cast["coso1"]).post(f"/thi-dua/de-nghi/{other.pk}/chuyen/", {"to": "withdrawn"})
    assert Nomination.objects.get(pk=other.pk).state == S.DRAFT


@pytest.fixture
def before_council(round_, cast, tree, people, forms):
    """Ân and Bình (unit A) and Hải (unit B) before the council."""
    rows = {}
    for key, chair, unit in (("an", "coso1", "unit_a"), ("binh", "coso1", "unit_a"), ("hai", "coso2", "unit_b")):
        n = _nominate(cast, round_, tree, people, forms, key=key, chair=chair, unit=unit)
        services.transition(actor=cast[chair], nomination=n, to=S.SUBMITTED)
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
        rows[key] = n
    return rows


def test_the_council_votes_on_a_list_in_one_form(login, round_, cast, before_council):
    an, binh, hai = (before_council[k].pk for k in ("an", "binh", "hai"))
    client = login(cast["khoi"])
    page = client.get(f"/thi-dua/dot/{round_.pk}/bieu-quyet/").content.decode()
    assert page.count('class="card mb-2 vote-row"') == 3
    # One wrong row (8 + 3 > 9 present) refuses the whole list, naming the nominee.
    bad = {"present": 9, f"yes_{an}": 7, f"no_{an}": 1, f"yes_{binh}": 8, f"no_{binh}": 3}
    page = client.post(f"/thi-dua/dot/{round_.pk}/bieu-quyet/", bad).content.decode()
    assert "Phạm Văn Bình: tổng số phiếu đồng ý, không đồng ý và không biểu quyết (11)" in page
    assert Nomination.objects.filter(state=S.REVIEW).count() == 3
    # 9 present, threshold "more than 50 %": 7 yes passes (14 > 9), 4 yes fails (8 ≤ 9), 5 yes passes;
    # Hải's row is left blank and stays before the council.
    good: dict[str, object] = {"present": 9, f"yes_{an}": 7, f"no_{an}": 2, f"yes_{binh}": 4, f"no_{binh}": 5}
    good[f"yes_{hai}"] = ""
    response = client.post(f"/thi-dua/dot/{round_.pk}/bieu-quyet/", good, follow=True)
    assert "Đã ghi biểu quyết 2 đề nghị: 1 được duyệt, 1 không được duyệt." in response.content.decode()
    states = dict(Nomination.objects.values_list("pk", "state"))
    assert (states[an], states[binh], states[hai]) == (S.APPROVED, S.REJECTED, S.REVIEW)
    assert Nomination.objects.get(pk=an).votes_yes == 7
    assert AwardEvent.objects.filter(action="votes_list").count() == 1
    # A chair cannot reach the council's page.
    assert login(cast["coso1"]).get(f"/thi-dua/dot/{round_.pk}/bieu-quyet/").status_code == 404


def test_the_threshold_is_applied_to_each_row(round_, cast, before_council):
    Round.objects.filter(pk=round_.pk).update(approval_threshold=70)
    round_.refresh_from_db()
    an, binh = before_council["an"].pk, before_council["binh"].pk
    # 70 % of 10 present is 7: 7 yes passes, 6 does not.
    done = services.record_votes(actor=cast["khoi"], round=round_, present=10, votes={an: (7, 3, 0), binh: (6, 4, 0)})
    assert {n.pk: n.state for n in done} == {an: S.APPROVED, binh: S.REJECTED}


def test_the_upper_levels_result_enters_the_history_and_the_rules(login, round_, cast, tree, people, forms, upward):  # noqa: F811
    khoi, form = cast["khoi"], upward
    hung, an = people["hung"], people["an"]
    # Bằng khen Trung ương asks for a Bằng khen tỉnh received before: Hùng has none yet.
    central = forms["bang-khen-trung-uong"]
    central.requires_form = form
    central.save()
    later = services.round_create(
        actor=khoi, unit=tree["bloc"], movement=round_.movement, name="Tổng kết 2025", year=2025
    )
    assert any(
        "Chưa nhận Bằng khen của Hội CCB tỉnh" in p for p in rules.problems(round=later, form=central, member=hung)
    )
    client = login(khoi)
    # The result needs the dossier to have been sent.
    rows = {n.member_id: n.pk for n in Nomination.objects.filter(form=form)}
    post = {
        "hinh_thuc": form.pk,
        f"kq{form.pk}-number": "125/QĐ-CCB",
        f"kq{form.pk}-decided_on": "20/07/2024",
        f"kq{form.pk}-issuer": "Ban Thường vụ Hội CCB tỉnh",
        "duoc_khen": [rows[hung.pk], rows[people["hai"].pk]],
    }
    page = client.post(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/ket-qua/", post, follow=True).content.decode()
    assert "Chưa ghi nhận gửi hồ sơ" in page and not AwardRecord.objects.filter(form=form).exists()
    document_services.dossier_send(
        actor=khoi, round=round_, form=form, seq=7, sent_on=SENT_ON, signer="Nguyễn Văn Hùng", place="Yên Bái"
    )
    page = client.post(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/ket-qua/", post, follow=True).content.decode()
    assert "Đã ghi kết quả của cấp trên: Quyết định 125/QĐ-CCB; 2 người, tập thể được khen" in page
    states = dict(Nomination.objects.filter(form=form).values_list("member_id", "state"))
    assert (states[hung.pk], states[an.pk], states[people["hai"].pk]) == (
        S.AWARDED_ABOVE,
        S.DECLINED_ABOVE,
        S.AWARDED_ABOVE,
    )
    record = AwardRecord.objects.get(form=form, member=hung)
    assert (record.year, record.decision_text) == (2024, "125/QĐ-CCB (Ban Thường vụ Hội CCB tỉnh)")
    assert "Gương mẫu chấp hành chủ trương" in record.achievement
    assert not AwardRecord.objects.filter(form=form, member=an).exists()
    # The member's history shows it; the rules now see it: unlocked for the Central one,
    # too early for another Bằng khen tỉnh (at least 3 years between).
    history = client.get(f"/thi-dua/hoi-vien/{hung.pk}/").content.decode()
    assert "125/QĐ-CCB" in history
    assert not any("Chưa nhận" in p for p in rules.problems(round=later, form=central, member=hung))
    assert any("phải cách ít nhất 3 năm" in p for p in rules.problems(round=later, form=form, member=hung))
    # Recording again corrects it: Ân awarded too, Hải not; the history follows.
    post["duoc_khen"] = [rows[hung.pk], rows[an.pk]]
    client.post(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/ket-qua/", post)
    assert set(AwardRecord.objects.filter(form=form).values_list("member_id", flat=True)) == {hung.pk, an.pk}
    # The dossier page still lists them, each with its result; a chair cannot record a result.
    page = client.get(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/").content.decode()
    assert "Cấp trên không khen" in page and "Quyết định 125/QĐ-CCB ngày 20/07/2024" in page
    response = login(cast["coso1"]).post(f"/thi-dua/dot/{round_.pk}/ho-so-cap-tren/ket-qua/", post)
    assert response.status_code == 404


def test_a_result_dated_before_the_dossier_is_refused(round_, cast, upward):  # noqa: F811
    khoi = cast["khoi"]
    document_services.dossier_send(
        actor=khoi, round=round_, form=upward, seq=7, sent_on=SENT_ON, signer="Hùng", place="Yên Bái"
    )
    with pytest.raises(ValidationError, match="Ngày quyết định phải từ ngày gửi hồ sơ"):
        document_services.upward_result_record(
            actor=khoi,
            round=round_,
            form=upward,
            number="1/QĐ",
            decided_on=datetime.date(2024, 1, 1),
            issuer="",
            awarded=set(),
        )

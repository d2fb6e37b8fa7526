import io
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from docx.shared import Mm

from hoiccb.awards.documents import certificates, decision_template
from hoiccb.awards.history import services as history_services
from hoiccb.awards.models import AwardRecord, MemberRating, Nomination, NominationState, Share
from hoiccb.awards.movements import services as movement_services
from hoiccb.awards.rounds import rules, services
from hoiccb.awards.tests.conftest import ISSUED
from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members.models import MemberStatus

S = NominationState


def test_quota_is_shared_by_members_with_reasons(round_, tree):
    shares = {s.unit_id: s for s in Share.objects.filter(quota__round=round_)}
    # A has 3 members (its branch included), B 1: exact 2.25 and 0.75 → 2 + 0, the seat left goes to B.
    assert (shares[tree["unit_a"].pk].amount, shares[tree["unit_b"].pk].amount) == (2, 1)
    assert shares[tree["unit_b"].pk].got_extra and "được thêm 1" in shares[tree["unit_b"].pk].reason
    assert sum(s.amount for s in shares.values()) == 3


def test_band_is_computed_from_the_score(rated, tree):
    rating = rated.unit_ratings.get(unit=tree["unit_a"], year=2024)
    assert rating.band_name == "Trong sạch vững mạnh xuất sắc"
    assert rated.unit_ratings.get(unit=tree["unit_b"], year=2024).band_name == "Trong sạch vững mạnh"


def test_over_quota_is_refused(round_, cast, tree, people, forms):
    form = forms["giay-khen-khoi"]
    services.nominate(
        actor=cast["coso2"], round=round_, form=form, unit=tree["unit_b"], member=people["hai"], summary="x"
    )
    with pytest.raises(ValidationError, match="Vượt chỉ tiêu: đơn vị được 1 suất"):
        services.nominate(
            actor=cast["coso2"], round=round_, form=form, unit=tree["unit_b"], member=people["hai"], summary="y"
        )


def test_out_of_scope_nomination_is_refused(round_, cast, tree, people, forms):
    with pytest.raises(PermissionDenied):
        services.nominate(
            actor=cast["coso1"],
            round=round_,
            form=forms["giay-khen-khoi"],
            unit=tree["unit_b"],
            member=people["hai"],
            summary="x",
        )
    with pytest.raises(ValidationError, match="không thuộc đơn vị"):
        services.nominate(
            actor=cast["coso1"],
            round=round_,
            form=forms["giay-khen-khoi"],
            unit=tree["unit_a"],
            member=people["hai"],
            summary="x",
        )


def test_rules_one_by_one(round_, cast, tree, people, forms):
    hung = people["hung"]
    knc = forms["ky-niem-chuong"]
    assert rules.problems(round=round_, form=knc, member=hung) == []
    history_services.award_record_add(actor=cast["khoi"], form=knc, year=2019, member=hung)
    assert rules.problems(round=round_, form=knc, member=hung) == [
        "Đã nhận Kỷ niệm chương «Cựu chiến binh Việt Nam» năm 2019 (chỉ được nhận một lần)."
    ]
    # Not posthumous.
    an = people["an"]
    an.status = MemberStatus.DECEASED
    an.save()
    assert "không truy tặng" in rules.problems(round=round_, form=knc, member=an)[0]
    # Minimum years between two Giấy khen (2 years).
    gk = forms["giay-khen-khoi"]
    history_services.award_record_add(actor=cast["khoi"], form=gk, year=2023, member=hung)
    assert rules.problems(round=round_, form=gk, member=hung) == [
        "Đã nhận Giấy khen của Hội CCB Khối năm 2023; phải cách ít nhất 2 năm (sớm nhất năm 2025)."
    ]
    # Prerequisite: Bằng khen tỉnh needs 3 years of CCB gương mẫu.
    binh = people["binh"]
    MemberRating.objects.filter(member=binh, year__gte=2021).update(exemplary=False)
    assert rules.problems(round=round_, form=forms["bang-khen-tinh"], member=binh) == [
        "Mới đạt CCB gương mẫu 2 năm trong kỳ 2019–2024, cần ít nhất 3 năm."
    ]
    # Individual vs collective.
    assert "chỉ dành cho tập thể" in rules.problems(round=round_, form=forms["co-thi-dua"], member=binh)[0]
    # Collective prerequisite: 3 years in the top band — A has 6, B none.
    assert rules.problems(round=round_, form=forms["co-thi-dua"], unit=tree["unit_a"]) == []
    assert (
        "Mới đạt «Trong sạch vững mạnh xuất sắc» 0 năm"
        in rules.problems(round=round_, form=forms["co-thi-dua"], unit=tree["unit_b"])[0]
    )


def test_one_achievement_is_rewarded_once(round_, cast, tree, people, forms):
    services.quota_set(actor=cast["khoi"], round=round_, form=forms["bang-khen-tinh"], basis="number", value=4)
    services.nominate(
        actor=cast["coso1"],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree["unit_a"],
        member=people["an"],
        summary="x",
    )
    with pytest.raises(ValidationError, match="một thành tích chỉ khen một lần"):
        services.nominate(
            actor=cast["coso1"],
            round=round_,
            form=forms["bang-khen-tinh"],
            unit=tree["unit_a"],
            member=people["an"],
            summary="x",
        )


@pytest.mark.parametrize(
    "present,yes,threshold,passes",
    [
        (9, 5, 50, True),
        (10, 5, 50, False),
        (10, 6, 50, True),
        (9, 6, 67, False),
        (9, 7, 67, True),
        (0, 0, 50, False),
        (3, 3, 100, True),
    ],
)
def test_vote_arithmetic(present, yes, threshold, passes):
    assert services.vote_passes(present=present, yes=yes, threshold=threshold) is passes


def full_round(round_, cast, tree, people, forms):
    gk = forms["giay-khen-khoi"]
    made = [
        services.nominate(
            actor=cast["coso1"], round=round_, form=gk, unit=tree["unit_a"], member=people[k], summary="Gương mẫu"
        )
        for k in ("hung", "an")
    ]
    made.append(
        services.nominate(
            actor=cast["coso2"], round=round_, form=gk, unit=tree["unit_b"], member=people["hai"], summary="Tốt"
        )
    )
    for n in made:
        services.transition(
            actor=cast["coso1"] if n.unit == tree["unit_a"] else cast["coso2"], nomination=n, to=S.SUBMITTED
        )
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
        services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=8, no=1, abstain=0)
    return services.decision_issue(
        actor=cast["khoi"], round=round_, form=gk, issued_on=ISSUED, signer="Nguyễn Văn Thắng"
    )


def test_workflow_rights_and_records(round_, cast, tree, people, forms):
    n = services.nominate(
        actor=cast["coso1"],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree["unit_a"],
        member=people["an"],
        summary="x",
    )
    services.transition(actor=cast["coso1"], nomination=n, to=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.transition(
            actor=cast["coso1"], nomination=n, to=S.REVIEW
        )  # the chair cannot put it before the council
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.transition(actor=cast["khoi"], nomination=n, to=S.APPROVED)  # approval is computed from the vote
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.transition(actor=cast["khoi"], nomination=n, to=S.RETURNED)
    services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
    with pytest.raises(ValidationError, match="không được vượt số có mặt"):
        services.record_vote(actor=cast["khoi"], nomination=n, present=5, yes=4, no=2, abstain=0)
    n = services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=4, no=3, abstain=2)
    assert n.state == S.REJECTED
    steps = n.events.order_by("at", "id")
    assert [(e.from_state, e.to_state) for e in steps] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "review"),
        ("review", "rejected"),
    ]
    assert [e.action for e in steps] == ["created", "moved", "moved", "voted"]
    assert {e.unit_path for e in steps} == {n.unit_path}


def test_decision_numbers_and_history(round_, cast, tree, people, forms):
    decision = full_round(round_, cast, tree, people, forms)
    assert decision.number == "01/QĐ-CCB"
    assert AwardRecord.objects.filter(decision=decision).count() == 3
    assert Nomination.objects.filter(decision=decision).count() == 3
    with pytest.raises(ValidationError, match="Chưa có đề nghị"):
        services.decision_issue(
            actor=cast["khoi"], round=round_, form=forms["giay-khen-khoi"], issued_on=ISSUED, signer="X"
        )


def test_decision_docx_layout_and_list_order(round_, cast, tree, people, forms):
    decision = full_round(round_, cast, tree, people, forms)
    doc = Document(io.BytesIO(decision_template.decision_docx(decision)))
    section = doc.sections[0]
    margin_left, margin_right, width = section.left_margin, section.right_margin, section.page_width
    assert margin_left is not None and margin_right is not None and width is not None
    assert abs(margin_left - Mm(30)) < Mm(1) and abs(margin_right - Mm(15)) < Mm(1)
    assert abs(width - Mm(210)) < Mm(1)
    header, numbered = doc.tables[0].rows[0].cells, doc.tables[0].rows[1].cells
    left = [p.text for p in header[0].paragraphs if p.text]
    right = [p.text for p in header[1].paragraphs if p.text]
    assert left == ["HỘI CCB TỈNH", "HỘI CCB KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"]
    assert right == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    # "Số:" and the date share a row of the header table: they print level with each other.
    assert (numbered[0].text, numbered[1].text) == ("Số: 01/QĐ-CCB", "Yên Bái, ngày 05 tháng 6 năm 2024")
    assert header[0].paragraphs[1].runs[0].bold and not header[0].paragraphs[0].runs[0].bold
    assert numbered[1].paragraphs[0].runs[0].italic
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.text}
    assert fonts == {"Times New Roman"}
    texts = [p.text for p in doc.paragraphs]
    assert "QUYẾT ĐỊNH" in texts and any(t.startswith("Điều 1. Tặng Giấy khen") for t in texts)
    names = [row.cells[1].text for row in doc.tables[-1].rows[1:]]
    # Unit A's branch before... list sorted by unit path, then Vietnamese collation: Ân before Hùng (A), then Hải (B).
    assert names == ["Lê Thị Ân", "Nguyễn Văn Hùng", "Trần Văn Hải"]
    # The list's last column is each nominee's own achievement (their summary), not the round's name.
    assert doc.tables[-1].rows[0].cells[-1].text == "Thành tích"
    achievements = [row.cells[-1].text for row in doc.tables[-1].rows[1:]]
    assert achievements == ["Gương mẫu", "Gương mẫu", "Tốt"]


def test_certificates_pdf_keeps_tone_marks(round_, cast, tree, people, forms, tmp_path):
    decision = full_round(round_, cast, tree, people, forms)
    data = certificates.certificates_pdf(decision)
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    text = reader.pages[0].extract_text()
    for expected in ("GIẤY KHEN", "Lê Thị Ân", "Độc lập - Tự do - Hạnh phúc"):
        assert expected in text.replace("\n", " ") or expected in text
    path = tmp_path / "gk.pdf"
    path.write_bytes(data)
    # A Times-compatible serif with Vietnamese glyphs, embedded (poppler-utils comes with install-system-deps.sh).
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Liberation-Serif" in out or "Times" in out, out
    assert "DejaVu" not in out, "a fallback font was used: a glyph is missing from the serif font"


def test_a_returned_nomination_needs_a_free_seat_to_come_back(round_, cast, tree, people, forms):
    form = forms["giay-khen-khoi"]
    first = services.nominate(
        actor=cast["coso2"], round=round_, form=form, unit=tree["unit_b"], member=people["hai"], summary="x"
    )
    services.transition(actor=cast["coso2"], nomination=first, to=NominationState.SUBMITTED)
    services.transition(actor=cast["khoi"], nomination=first, to=NominationState.RETURNED, note="Bổ sung")
    other = admit(cast["khoi"], tree["unit_b"], "Đỗ Văn Tâm", birth_date=PartialDate(1955))
    for year in (2023, 2024):  # rated, so that the rules let the unit nominate him
        movement_services.member_ratings_save(
            actor=cast["khoi"],
            movement=round_.movement,
            unit=tree["unit_b"],
            year=year,
            exemplary_ids={people["hai"].pk, other.pk},
        )
    services.nominate(actor=cast["coso2"], round=round_, form=form, unit=tree["unit_b"], member=other, summary="y")
    with pytest.raises(ValidationError, match="Vượt chỉ tiêu: đơn vị được 1 suất"):
        services.transition(actor=cast["coso2"], nomination=first, to=NominationState.SUBMITTED)
    first.refresh_from_db()
    assert first.state == NominationState.RETURNED


def test_sharing_again_cannot_take_seats_already_used(round_, cast, tree, people, forms):
    form = forms["giay-khen-khoi"]
    services.nominate(
        actor=cast["coso2"], round=round_, form=form, unit=tree["unit_b"], member=people["hai"], summary="x"
    )
    with pytest.raises(ValidationError, match="Không phân bổ lại được: Hội CCB Sở Y tế đã dùng 1, chỉ còn được 0"):
        services.quota_set(actor=cast["khoi"], round=round_, form=form, basis="number", value=1)
    assert round_.quotas.get(form=form).total == 3  # the earlier share-out stands
    with pytest.raises(ValidationError, match="chưa được giao suất"):
        services.nominate(
            actor=cast["coso2"],
            round=round_,
            form=forms["bang-khen-tinh"],
            unit=tree["unit_b"],
            member=people["hai"],
            summary="z",
        )

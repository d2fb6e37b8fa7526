"""The decision list's short achievement line ("Thành tích"): the summary's first sentence, or its
beginning cut after a whole word; the certificate keeps its full sentence."""

import io

import pytest
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from hoiccb.awards.documents import certificates, decision_template
from hoiccb.awards.documents.selectors import LIST_ACHIEVEMENT_CHARS, achievement, short_achievement
from hoiccb.awards.models import NominationState
from hoiccb.awards.rounds import services
from hoiccb.conftest import seat_officer
from hoiccb.lib.pdf import docx_to_pdf, soffice
from hoiccb.lib.tests import pdfcheck

S = NominationState
# As the demo writes them: one sentence of ~190 characters, clauses split by commas and a semicolon.
LONG = (
    "Năm 2023, hội viên Nguyễn Văn Hùng gương mẫu chấp hành chủ trương của Đảng, pháp luật của "
    "Nhà nước; tích cực vận động hội viên giúp nhau phát triển kinh tế, xây dựng Hội vững mạnh."
)
TWO_SENTENCES = (
    "Hoàn thành xuất sắc nhiệm vụ Chi hội trưởng 5 năm liền. Vận động 12 hội viên tham gia mô hình kinh tế "
    "trang trại, giúp 3 hộ thoát nghèo, đóng góp 20 triệu đồng xây nhà tình nghĩa cho hội viên khó khăn."
)
NO_CLAUSE = (
    "Tích cực tham gia phong trào dân vận khéo và các hoạt động an sinh xã hội của địa phương trong "
    "nhiều năm liền với nhiều đóng góp thiết thực"
)


@pytest.mark.parametrize(
    "summary,expected",
    [
        ("Tích cực tham gia phong trào dân vận khéo.", "Tích cực tham gia phong trào dân vận khéo"),
        (TWO_SENTENCES, "Hoàn thành xuất sắc nhiệm vụ Chi hội trưởng 5 năm liền"),
        # Cut at the end of the clause nearest the limit, the comma dropped, "…" since something was cut.
        (LONG, "Năm 2023, hội viên Nguyễn Văn Hùng gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước…"),
        # No clause end near the limit: after the last whole word.
        (NO_CLAUSE, "Tích cực tham gia phong trào dân vận khéo và các hoạt động an sinh xã hội của địa phương trong…"),
        ("\n\n  Gương mẫu;  \nDòng sau", "Gương mẫu"),
        ("", ""),
        ("x" * 150, "x" * 99 + "…"),  # one word longer than the cell: nothing better than cutting it
    ],
)
def test_short_achievement(summary, expected):
    assert short_achievement(summary) == expected


@given(st.text(alphabet=st.sampled_from("ăâđêôơư abc,.;:–\n"), max_size=400))
def test_short_achievement_is_a_whole_word_beginning_of_the_first_line(summary):
    short = short_achievement(summary)
    first = next((line.strip() for line in summary.splitlines() if line.strip()), "")
    cut = short.endswith("…") and not first.startswith(short)
    kept = short[:-1] if cut else short
    assert len(short) <= LIST_ACHIEVEMENT_CHARS and first.startswith(kept)
    assert not kept.endswith((",", ";", ":", " ", "."))
    if cut and len(first) > len(kept) and " " in first[:LIST_ACHIEVEMENT_CHARS]:
        assert first[len(kept)] in " ,;:–.", (kept, first)  # no word cut in two


@pytest.fixture
def decision(round_, cast, tree, people, forms):
    seat_officer(tree["bloc"], "Đỗ Văn Chính", home=tree["unit_a"])
    form = forms["giay-khen-khoi"]
    for key, unit, chair, summary in (
        ("hung", "unit_a", "coso1", LONG),
        ("an", "unit_a", "coso1", TWO_SENTENCES),
        ("hai", "unit_b", "coso2", LONG.replace("Nguyễn Văn Hùng", "Trần Văn Hải")),
    ):
        n = services.nominate(
            actor=cast[chair], round=round_, form=form, unit=tree[unit], member=people[key], summary=summary
        )
        services.transition(actor=cast[chair], nomination=n, to=S.SUBMITTED)
        services.transition(actor=cast["khoi"], nomination=n, to=S.REVIEW)
        services.record_vote(actor=cast["khoi"], nomination=n, present=9, yes=9, no=0, abstain=0)
    return services.decision_issue(
        actor=cast["khoi"], round=round_, form=form, issued_on=round_.created_at.date(), signer="Đỗ Văn Chính"
    )


def test_the_decision_list_carries_the_short_line_and_the_certificate_the_sentence(decision):
    data = decision_template.decision_docx(decision)
    table = Document(io.BytesIO(data)).tables[-1]
    cells = {row.cells[1].text: row.cells[-1].text for row in table.rows[1:]}
    assert cells["Lê Thị Ân"] == "Hoàn thành xuất sắc nhiệm vụ Chi hội trưởng 5 năm liền"
    assert cells["Nguyễn Văn Hùng"] == (
        "Năm 2023, hội viên Nguyễn Văn Hùng gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước…"
    )
    assert all(len(text) <= LIST_ACHIEVEMENT_CHARS for text in cells.values())
    # The certificate, one person to a page, keeps the whole first line as a sentence.
    hung = next(n for n in certificates.recipients(decision) if n.member and n.member.ten == "Hùng")
    assert achievement(hung) == "Đã có thành tích: năm 2023, " + LONG[10:].rstrip(".")
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    annex = pdfcheck.read(docx_to_pdf(data)).pages[-1]
    lines = [line for line in annex.splitlines() if line.strip()]
    table_lines = lines[next(i for i, line in enumerate(lines) if "Thành tích" in line) :]
    # Three rows of at most four lines each, the heading two; the whole first line took eight a row.
    assert len(table_lines) <= 2 + 3 * 4, "\n".join(table_lines)

"""Papers of an election: the ballots (PDF, one per delegate, a serial and the seal's place, the
names in Vietnamese order), the counting minutes (BIÊN BẢN KIỂM PHIẾU) and the announcement of
the result (THÔNG BÁO), both DOCX in the Decree 30 layout of lib/word.py, for signing."""

from django.template.loader import render_to_string
from django.utils import timezone
from docx.document import Document as DocxDocument

from hoiccb.lib import word
from hoiccb.lib.pdf_jobs import HtmlPdf
from hoiccb.meetings.elections import selectors
from hoiccb.meetings.elections.models import ElectedBody, Election, Round
from hoiccb.meetings.elections.services import TERM_YEARS, congress_date
from hoiccb.org.selectors import place_of


def what_is_elected(election: Election) -> str:
    """ "Bầu Ban Chấp hành Hội CCB Sở Tài chính nhiệm kỳ 2022–2027"."""
    year = congress_date(election).year
    text = f"Bầu {election.get_body_display()} {election.unit.name}"
    if election.body in (ElectedBody.EXECUTIVE, ElectedBody.DELEGATES):
        return f"{text} nhiệm kỳ {year}–{year + TERM_YEARS}"
    return text


BALLOTS_PER_PART = 20  # ballots laid out per WeasyPrint pass: the bar moves every second or two


def ballots_pdf(voting: Round) -> HtmlPdf:
    """One ballot per delegate of the meeting, numbered 1…N, to be laid out by the background worker
    (lib/pdf_jobs.py) in parts of `BALLOTS_PER_PART`. Its key changes with anything printed on it:
    the names, their order, the seats, the number of delegates."""
    election = voting.election
    parent = election.unit.parent
    context = {
        "parent": (parent.name if parent else "").upper(),
        "unit": election.unit.name.upper(),
        "meeting": election.meeting.title,
        "what": what_is_elected(election),
        "round_number": voting.number,
        "names": [c.full_name for c in selectors.ballot_order(voting)],
        "seats": voting.seats,
    }
    return ballots_parts(context, election.meeting.delegates.count())


def ballots_parts(context: dict, delegates: int) -> HtmlPdf:
    """The ballots numbered 1…`delegates` of the printed `context` (names, seats, headings), in parts."""
    serials = range(1, delegates + 1)
    parts = [serials[start : start + BALLOTS_PER_PART] for start in range(0, len(serials), BALLOTS_PER_PART)]
    return HtmlPdf(
        parts=tuple(
            render_to_string("meetings/elections/ballots_pdf.html", {**context, "serials": part}) for part in parts
        ),
        counts=tuple(len(part) for part in parts),
        noun="phiếu bầu",
        label="Đang in phiếu bầu…",
    )


def _header(doc: DocxDocument, election: Election, number: str | None) -> None:
    parent = election.unit.parent
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=election.unit.name.upper(),
        number=number,
        date_line=word.date_line(place_of(election.unit), congress_date(election)),
    )


def _percent(value: float) -> str:
    return f"{value:.2f}".replace(".", ",") + "%"


def _round_section(doc: DocxDocument, election: Election, voting: Round, result) -> None:
    delegates = election.meeting.delegates.count()
    word.para(doc, f"Bầu lần {voting.number}: bầu {voting.seats} người", bold=True, after=2)
    word.body(
        doc,
        [
            f"Số đại biểu được triệu tập: {delegates}; có mặt: {voting.present}.",
            f"Số phiếu phát ra: {voting.present}; số phiếu thu về: {result.cast}.",
            f"Số phiếu hợp lệ: {result.valid}; số phiếu không hợp lệ: {result.invalid_total}, trong đó:",
        ],
    )
    for label, ballots in selectors.invalid_rows(result):
        word.para(doc, f"- {label}: {ballots} phiếu;", size=13, indent=True, after=0)
    word.body(doc, [f"Người trúng cử phải được quá một nửa {result.base_kind_label.lower()} ({result.base})."])
    rows = [
        (
            str(i),
            row.candidate.full_name,
            str(row.outcome.votes),
            _percent(row.outcome.percent),
            row.outcome.verdict_label,
        )
        for i, row in enumerate(selectors.ballot_outcomes(voting, result), 1)
    ]
    word.list_table(
        doc,
        ("TT", "Họ và tên", "Số phiếu", "Tỷ lệ", "Kết quả"),
        rows,
        widths=(12, 58, 24, 26, 45),
        align=(word.CENTER, None, word.CENTER, word.CENTER, None),
    )
    word.para(doc, "", after=4)


def count_minutes(election: Election) -> bytes:
    """BIÊN BẢN KIỂM PHIẾU: every round with its ballots, invalid ones by reason, votes, verdicts."""
    standing = selectors.election_standing(election)
    doc = word.new()
    _header(doc, election, None)
    word.doc_title(doc, "BIÊN BẢN KIỂM PHIẾU", what_is_elected(election))
    meeting = election.meeting
    word.body(
        doc,
        [
            f"Hồi {timezone.localtime(meeting.starts_at):%H} giờ, ngày {congress_date(election):%d/%m/%Y}, "
            f"tại {meeting.venue or '……'}, Tổ kiểm phiếu của {meeting.title} đã tiến hành kiểm phiếu.",
        ],
    )
    # A line to fill by hand: left-aligned, since justifying would stretch its few words across the page.
    word.para(doc, "Tổ kiểm phiếu gồm các đồng chí: ………………………………………", indent=True, after=4)
    word.body(doc, ["Kết quả kiểm phiếu như sau:"])
    for voting, result in standing.results:
        _round_section(doc, election, voting, result)
    elected = election.candidates.filter(pk__in=standing.elected)
    word.body(
        doc,
        [
            f"Các đồng chí trúng cử ({len(standing.elected)}/{election.seats}): "
            + (", ".join(c.full_name for c in elected) or "không có")
            + ".",
            "Biên bản lập xong hồi …… giờ …… cùng ngày, đã đọc lại cho Tổ kiểm phiếu cùng nghe và nhất trí ký tên./.",
        ],
    )
    word.signature_block(doc, receivers=[], signer_lines=["TM. TỔ KIỂM PHIẾU", "TỔ TRƯỞNG"], signer="")
    return word.to_bytes(doc)


def announcement(election: Election) -> bytes:
    """THÔNG BÁO kết quả bầu cử: the elected with birth year, unit and votes, for the presidium to sign."""
    standing = selectors.election_standing(election)
    doc = word.new()
    _header(doc, election, word.doc_number(None, "TB-ĐH"))
    word.doc_title(doc, "THÔNG BÁO", f"Kết quả {what_is_elected(election)[0].lower()}{what_is_elected(election)[1:]}")
    word.body(
        doc,
        [
            f"Căn cứ biên bản kiểm phiếu của Tổ kiểm phiếu tại {election.meeting.title}, "
            f"Đoàn Chủ tịch thông báo kết quả bầu {election.get_body_display()} như sau:",
            f"Số lượng bầu: {election.seats}; số người trúng cử: {len(standing.elected)}.",
        ],
    )
    votes = {}
    for voting, result in standing.results:
        for row in selectors.ballot_outcomes(voting, result):
            if row.outcome.elected:
                votes[row.candidate.pk] = (row.outcome.votes, row.outcome.percent, voting.number)
    elected = sorted(
        election.candidates.filter(pk__in=standing.elected),
        key=lambda c: (votes[c.pk][2], -votes[c.pk][0], bytes(c.sort_key)),
    )
    rows = [
        (
            str(i),
            c.full_name,
            str(c.birth_year or ""),
            c.unit_name,
            f"{votes[c.pk][0]} ({_percent(votes[c.pk][1])})",
        )
        for i, c in enumerate(elected, 1)
    ]
    word.list_table(
        doc,
        ("TT", "Họ và tên", "Năm sinh", "Đơn vị", "Số phiếu (tỷ lệ)"),
        rows,
        widths=(12, 50, 20, 48, 35),
        align=(word.CENTER, None, word.CENTER, None, word.CENTER),
    )
    word.signature(
        doc,
        receivers=["- Đại biểu dự Đại hội;", "- Hội CCB cấp trên;", "- Lưu: VT."],
        signer=word.Signature(on_behalf="TM. ĐOÀN CHỦ TỊCH", title=""),
    )
    return word.to_bytes(doc)

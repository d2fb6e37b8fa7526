"""The upward dossier (hồ sơ đề nghị cấp trên) of a round and a form above the bloc's authority.

Three documents: the cover letter (tờ trình, Decree 30 layout), the list (XLSX) and the
achievement summaries (one DOCX, one section per nominee); together as a ZIP. The
nominations are those the council approved and the bloc moved to "Đề nghị cấp trên".
Recording that the dossier was sent is `documents.services.dossier_send`.
"""

import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from docx.enum.section import WD_SECTION

from hoiccb.awards.documents.models import CitationUse, UpwardDossier
from hoiccb.awards.documents.selectors import citations, default_place, upward_nominations
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.movements.models import MemberRating, UnitRating
from hoiccb.awards.rounds.models import AwardForm, IssuingLevel, Nomination, Round
from hoiccb.lib import word
from hoiccb.lib.excel import Column, write_list
from hoiccb.lib.word import CENTER, date_line, para
from hoiccb.org.models import OfficerPosition
from hoiccb.org.selectors import signer_for

CENTRAL = "Trung ương Hội Cựu chiến binh Việt Nam"
FILES = {"to-trinh": "01-to-trinh.docx", "danh-sach": "02-danh-sach.xlsx", "tom-tat": "03-tom-tat-thanh-tich.docx"}


@dataclass
class Dossier:
    """What the three documents are made from."""

    round: Round
    form: AwardForm
    rows: list[Nomination]
    sent: UpwardDossier | None

    @property
    def number(self) -> str:
        return self.sent.number if self.sent else "……/TTr-CCB"

    @property
    def date_line(self) -> str:
        if self.sent:
            return date_line(self.sent.place, self.sent.sent_on)
        return date_line(default_place(self.round), None)

    @property
    def signature(self) -> word.Signature:
        """The signer recorded with the dossier, titled as the officer on record; before it is sent, that officer."""
        on_record = signer_for(self.round.unit, self.sent.sent_on if self.sent else None)
        if self.sent is None or self.sent.signer == on_record.name:
            return on_record
        return word.Signature(name=self.sent.signer)

    @property
    def addressee(self) -> str:
        """Whom the cover letter is addressed to: the level that issues the form."""
        parent = self.round.unit.parent
        province = f"Ban Thường vụ {parent.name}" if parent else "Ban Thường vụ Hội Cựu chiến binh tỉnh"
        if self.form.level == IssuingLevel.CENTRAL:
            return f"Ban Thường vụ {CENTRAL} (qua {province})"
        return province


def dossier_for(round: Round, form: AwardForm) -> Dossier:
    rows = upward_nominations(round, form)
    if not rows:
        raise ValidationError(f"Không có đề nghị {form.name} nào ở bước «Đề nghị cấp trên».")
    return Dossier(round, form, rows, UpwardDossier.objects.filter(round=round, form=form).first())


def nominee_name(n: Nomination) -> str:
    return n.nominee_name


def positions(rows: list[Nomination]) -> dict[int, str]:
    """Current posts of the nominated members, "Chủ tịch Hội CCB Sở Tài chính; …" (one query)."""
    held: defaultdict[int | None, list[str]] = defaultdict(list)
    today = datetime.date.today()
    current = OfficerPosition.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        member__in=[n.member_id for n in rows if n.member_id],
    ).select_related("unit")
    for p in current.order_by("start_date"):
        held[p.member_id].append(f"{p.get_role_display()} {p.unit.name}")
    return {
        n.pk: "; ".join(held[n.member_id]) or n.member.occupation or "Hội viên" for n in rows if n.member is not None
    }


# --- The cover letter ------------------------------------------------------------------------


def _counts_line(rows: list[Nomination]) -> str:
    people = sum(1 for n in rows if n.member_id)
    groups = len(rows) - people
    parts = [f"{people} cá nhân"] * bool(people) + [f"{groups} tập thể"] * bool(groups)
    return " và ".join(parts)


def cover_docx(d: Dossier) -> bytes:
    """The tờ trình in the Decree 30 layout; number and date left blank until the dossier is recorded as sent."""
    rnd, unit = d.round, d.round.unit
    movement = rnd.movement
    parent = unit.parent
    doc = word.new()
    word.decree_header(
        doc,
        parent_name=(parent.name if parent else "").upper(),
        unit_name=unit.name.upper(),
        number=d.number,
        date_line=d.date_line,
    )
    word.doc_title(doc, "TỜ TRÌNH", f"Về việc đề nghị tặng {d.form.name}")
    para(doc, f"Kính gửi: {d.addressee}", align=CENTER, after=8)
    by_unit: dict[str, list[Nomination]] = defaultdict(list)
    for n in d.rows:
        by_unit[n.unit.name].append(n)
    on = d.sent.sent_on if d.sent else None
    word.body(doc, [f"Căn cứ {text};" for text in citations(on, CitationUse.PROPOSAL)])
    word.body(
        doc,
        [
            f"Căn cứ hướng dẫn của {parent.name if parent else 'Hội cấp trên'} về công tác thi đua, "
            f"khen thưởng năm {rnd.year};",
            f"Thực hiện phong trào thi đua «{movement.name}» giai đoạn {movement.start_year}–{movement.end_year}, "
            f"Hội đồng Thi đua - Khen thưởng {unit.name} đã xét, biểu quyết đề nghị khen thưởng các cá nhân, "
            f"tập thể có thành tích xuất sắc trong {rnd.name}.",
            f"Ban Thường vụ {unit.name} kính đề nghị {d.addressee} xét, tặng {d.form.name} cho "
            f"{_counts_line(d.rows)} (có danh sách và báo cáo tóm tắt thành tích kèm theo), gồm:",
        ],
    )
    word.body(doc, [f"- {name}: {_counts_line(group)};" for name, group in by_unit.items()])
    word.body(doc, [f"Kính trình {d.addressee} xem xét, quyết định./."])
    word.signature(doc, receivers=["- Như trên;", "- Lưu: VT, TĐKT."], signer=d.signature)
    return word.to_bytes(doc)


# --- The list --------------------------------------------------------------------------------

LIST_COLUMNS = [
    Column("Họ và tên", 26),
    Column("Năm sinh", 9, "int"),
    Column("Đơn vị", 30),
    Column("Chức vụ", 26),
    Column("Hình thức", 24),
    Column("Tóm tắt thành tích", 60),
]


def list_xlsx(d: Dossier):
    """Write the list; returns (file rewound, row count)."""
    posts = positions(d.rows)
    parent = d.round.unit.parent
    return write_list(
        heading=[parent.name if parent else "", d.round.unit.name],
        title=f"Danh sách đề nghị tặng {d.form.name}",
        subtitle=f"(Kèm theo Tờ trình số {d.number} – {d.round.name})",
        columns=LIST_COLUMNS,
        rows=(
            [
                nominee_name(n),
                n.member.birth_year if n.member is not None else None,
                n.unit.name,
                posts.get(n.pk, ""),
                d.form.name,
                " ".join(n.summary.split()),
            ]
            for n in d.rows
        ),
        sheet_name="Danh sách",
    )


# --- The achievement summaries ---------------------------------------------------------------


def _history(d: Dossier):
    """Awards and titles of every nominee, in four queries: ({nomination: [award lines]}, {nomination: title line})."""
    member_ids = [n.member_id for n in d.rows if n.member_id]
    unit_ids = [n.nominee_unit_id for n in d.rows if n.nominee_unit_id]
    records = AwardRecord.objects.filter(Q(member__in=member_ids) | Q(unit__in=unit_ids)).select_related("form")
    awards = defaultdict(list)
    for r in records.order_by("year", "id"):
        awards[("m", r.member_id) if r.member_id else ("u", r.unit_id)].append(
            f"- Năm {r.year}: {r.form.name}" + (f" (Quyết định số {r.decision_text})" if r.decision_text else "")
        )
    exemplary = defaultdict(list)
    for member_id, year in (
        MemberRating.objects.filter(movement=d.round.movement, member__in=member_ids, exemplary=True)
        .order_by("year")
        .values_list("member_id", "year")
    ):
        exemplary[member_id].append(str(year))
    bands: defaultdict[int | None, list[str]] = defaultdict(list)
    for unit_id, year, band in (
        UnitRating.objects.filter(movement=d.round.movement, unit__in=unit_ids)
        .order_by("year")
        .values_list("unit_id", "year", "band_name")
    ):
        bands[unit_id].append(f"năm {year}: {band}")
    lines, titles = {}, {}
    for n in d.rows:
        key = ("m", n.member_id) if n.member_id else ("u", n.nominee_unit_id)
        lines[n.pk] = awards[key] or ["Chưa có."]
        if n.member_id:
            years = exemplary[n.member_id]
            titles[n.pk] = f"- Hội viên CCB gương mẫu các năm {', '.join(years)}." if years else "- Chưa có."
        else:
            titles[n.pk] = f"- Xếp loại {'; '.join(bands[n.nominee_unit_id])}." if bands[n.nominee_unit_id] else ""
    return lines, titles


def summaries_docx(d: Dossier) -> bytes:
    """One section (a new page) per nominee: "Báo cáo tóm tắt thành tích"."""
    posts = positions(d.rows)
    awards, titles = _history(d)
    doc = word.new()
    for i, n in enumerate(d.rows):
        if i:
            doc.add_section(WD_SECTION.NEW_PAGE)
        word.nation_heading(doc)
        word.doc_title(doc, "BÁO CÁO TÓM TẮT THÀNH TÍCH", f"Đề nghị tặng {d.form.name}")
        if n.member is not None:
            m = n.member
            facts = [
                ("Họ và tên", m.full_name),
                ("Năm sinh", str(m.birth_year or "")),
                ("Quê quán", m.hometown),
                ("Đơn vị", n.unit.name),
                ("Chức vụ", posts.get(n.pk, "")),
            ]
            word.titles(doc, "I. SƠ LƯỢC LÝ LỊCH")
        else:
            facts = [("Tên tập thể", n.collective.name), ("Thuộc", n.unit.name)]
            word.titles(doc, "I. ĐẶC ĐIỂM, TÌNH HÌNH")
        word.body(doc, [f"- {label}: {value or '……'}" for label, value in facts])
        word.titles(doc, "II. THÀNH TÍCH ĐẠT ĐƯỢC")
        word.body(doc, [line.strip() for line in n.summary.splitlines() if line.strip()] or ["……"])
        word.titles(doc, "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG")
        word.body(doc, ["1. Danh hiệu thi đua:", titles[n.pk] or "- Chưa có.", "2. Hình thức khen thưởng:"])
        word.body(doc, awards[n.pk])
        para(doc, "")
        sign = word.set_widths(doc.add_table(rows=1, cols=2), word.SIGNATURE_WIDTHS)
        left, right = sign.rows[0].cells
        left.paragraphs[0].text = ""
        right.paragraphs[0].text = ""
        para(left, f"XÁC NHẬN CỦA {n.unit.name.upper()}", size=13, bold=True, align=CENTER)
        para(
            right,
            "NGƯỜI BÁO CÁO" if n.member_id else f"TM. {n.collective.name.upper()}",
            size=13,
            bold=True,
            align=CENTER,
        )
        for _ in range(4):
            para(right, "")
        para(right, nominee_name(n) if n.member_id else "", bold=True, align=CENTER)
    return word.to_bytes(doc)


def zip_bytes(d: Dossier) -> bytes:
    """The three documents in one ZIP."""
    out = io.BytesIO()
    sheet, _ = list_xlsx(d)
    with sheet, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(FILES["to-trinh"], cover_docx(d))
        archive.writestr(FILES["danh-sach"], sheet.read())
        archive.writestr(FILES["tom-tat"], summaries_docx(d))
    return out.getvalue()

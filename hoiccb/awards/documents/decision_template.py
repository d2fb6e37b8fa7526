"""The decision's Word template: its fields, the built-in default, and the administrator's replacement.

A replacement lives in storage under `template_path()` ("awards/mau-quyet-dinh.docx", see
hoiccb/lib/storage.py: every machine reads the same one); it is put
there or removed by `documents.services.template_upload` / `template_reset`.
It is accepted only when it is a real .docx, within the size limit, and renders with a
decision's fields through docxtpl (an unknown field is an error, not a blank). Who put it
there and when is kept in the awards audit table (AwardEvent "template_upload"/"template_reset").
"""

import datetime
import functools
import io
import logging
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from docx import Document
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError
from lxml.etree import XMLSyntaxError

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.documents.models import CitationUse
from hoiccb.awards.documents.selectors import citations, list_achievement, recipients
from hoiccb.awards.rounds.models import Decision
from hoiccb.lib import storage, word
from hoiccb.lib.files import guard_bytes, sniff
from hoiccb.lib.sandbox import ChildError, LimitExceeded, run_limited
from hoiccb.lib.word import Signature, date_line
from hoiccb.org.selectors import signer_for

logger = logging.getLogger(__name__)

TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
ACTIONS = ("template_upload", "template_reset")

# The fields a template may use, with what each holds (shown on the upload page and in the README).
FIELDS = {
    "parent_name": "tên cơ quan cấp trên (Hội CCB tỉnh)",
    "unit_name": "tên đơn vị ban hành",
    "number": "số quyết định, vd. 12/QĐ-CCB",
    "date_line": "địa danh và ngày tháng, vd. Yên Bái, ngày 05 tháng 6 năm 2024",
    "place": "địa danh",
    "issued_on": "ngày ký (ngày/tháng/năm)",
    "year": "năm ký",
    "form_name": "hình thức khen thưởng",
    "round_name": "tên đợt khen thưởng",
    "movement_name": "tên phong trào",
    "movement_years": "giai đoạn của phong trào, vd. 2019–2024",
    "signer": "người ký",
    "signer_title": "chức vụ người ký",
    "signer_lines": "các dòng trên chữ ký, vd. TM. BAN THƯỜNG VỤ / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH",
    "citations": "các căn cứ pháp lý còn hiệu lực vào ngày ký (danh sách, sửa trong trang quản trị)",
    "count": "số cá nhân, tập thể được khen",
    "recipients": "danh sách; mỗi dòng r có r.stt, r.name, r.birth_year, r.unit, r.kind (Cá nhân/Tập thể), "
    "r.achievement (thành tích: câu đầu bản tóm tắt của người được đề nghị, tối đa 100 ký tự)",
}


def template_path() -> str:
    """Return the storage name of the administrator's replacement template."""
    return "awards/mau-quyet-dinh.docx"


def signature(decision: Decision) -> Signature:
    """Who signs the decision: the name the clerk entered, with the title of the officer on record
    for the signing date when it is that officer (a Vice-Chairman signs "KT. CHỦ TỊCH")."""
    on_record = signer_for(decision.unit, decision.issued_on)
    if on_record.name and on_record.name == decision.signer:
        return on_record
    return Signature(name=decision.signer, title=decision.signer_title or "CHỦ TỊCH")


def context(decision: Decision) -> dict:
    """The fields of one decision, as the template sees them."""
    rows = recipients(decision)
    sign = signature(decision)
    parent = decision.unit.parent
    movement = decision.round.movement
    return {
        "parent_name": parent.name if parent else "",
        "unit_name": decision.unit.name,
        "number": decision.number,
        "date_line": date_line(decision.place, decision.issued_on),
        "place": decision.place,
        "issued_on": f"{decision.issued_on:%d/%m/%Y}",
        "year": decision.issued_on.year,
        "form_name": decision.form.name,
        "round_name": decision.round.name,
        "movement_name": movement.name,
        "movement_years": f"{movement.start_year}–{movement.end_year}",
        "signer": sign.name,
        "signer_title": sign.title,
        "signer_lines": sign.lines,
        "citations": citations(decision.issued_on, CitationUse.DECISION),
        "count": len(rows),
        "recipients": [
            {
                "stt": i,
                "name": n.nominee_name,
                "birth_year": (n.member.birth_year or "") if n.member is not None else "",
                "unit": n.unit.name,
                "kind": "Cá nhân" if n.member_id else "Tập thể",
                "achievement": list_achievement(n),
            }
            for i, n in enumerate(rows, 1)
        ],
    }


def sample_context() -> dict:
    """Fields of a made-up decision, to try a template before accepting it."""
    day = datetime.date(2024, 6, 5)
    return {
        "parent_name": "Hội CCB tỉnh Yên Bái",
        "unit_name": "Hội CCB Khối cơ quan và doanh nghiệp tỉnh",
        "number": "12/QĐ-CCB",
        "date_line": date_line("Yên Bái", day),
        "place": "Yên Bái",
        "issued_on": f"{day:%d/%m/%Y}",
        "year": day.year,
        "form_name": "Giấy khen của Hội CCB Khối",
        "round_name": "Tổng kết phong trào CCB gương mẫu 2019–2024",
        "movement_name": "Cựu chiến binh gương mẫu",
        "movement_years": "2019–2024",
        "signer": "Nguyễn Văn Thắng",
        "signer_title": "Chủ tịch",
        "signer_lines": ["TM. BAN THƯỜNG VỤ", "CHỦ TỊCH"],
        "citations": [
            "Điều lệ Hội Cựu chiến binh Việt Nam",
            "Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022",
        ],
        "count": 2,
        "recipients": [
            {
                "stt": 1,
                "name": "Lê Thị Ân",
                "birth_year": 1960,
                "unit": "Hội CCB Sở Tài chính",
                "kind": "Cá nhân",
                "achievement": "5 năm liền đạt danh hiệu CCB gương mẫu",
            },
            {
                "stt": 2,
                "name": "Chi hội 1 Sở Y tế",
                "birth_year": "",
                "unit": "Hội CCB Sở Y tế",
                "kind": "Tập thể",
                "achievement": "Có thành tích xuất sắc",
            },
        ],
    }


# --- The built-in default ------------------------------------------------------------------


@functools.cache
def default_template() -> bytes:
    """Build the default template (the Decree 30 decision with its list) with the layout helpers."""
    doc = word.new()
    para = word.para
    word.decree_header(
        doc,
        parent_name="{{ parent_name|upper }}",
        unit_name="{{ unit_name|upper }}",
        number="{{ number }}",
        date_line="{{ date_line }}",
    )
    word.doc_title(doc, "QUYẾT ĐỊNH", "Về việc tặng {{ form_name }}")
    word.titles(doc, "BAN THƯỜNG VỤ {{ unit_name|upper }}")
    para(doc, "{%p for c in citations %}")
    word.body(doc, ["Căn cứ {{ c }};"], italic=True)
    para(doc, "{%p endfor %}")
    word.body(
        doc,
        [
            "Căn cứ kết quả phong trào {{ movement_name }} giai đoạn {{ movement_years }};",
            "Xét đề nghị của Hội đồng Thi đua - Khen thưởng,",
        ],
        italic=True,
    )
    word.titles(doc, "QUYẾT ĐỊNH:")
    word.body(
        doc,
        [
            "Điều 1. Tặng {{ form_name }} cho {{ count }} cá nhân, tập thể (có danh sách kèm theo) "
            "đã có thành tích xuất sắc trong {{ round_name }}.",
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            "Điều 3. Văn phòng, các Hội CCB cơ sở và các cá nhân, tập thể có tên tại Điều 1 "
            "chịu trách nhiệm thi hành Quyết định này./.",
        ],
    )
    sign = word.signature_block(
        doc,
        receivers=["- Như Điều 3;", "- {{ parent_name }} (để b/c);", "- Lưu: VT."],
        signer_lines=["{%p for line in signer_lines %}", "{{ line }}", "{%p endfor %}"],
        signer="{{ signer }}",
    )
    del sign
    word.titles(doc, "DANH SÁCH")
    # The list starts a page of its own; a break paragraph after a full first page would leave a blank one.
    doc.paragraphs[-1].paragraph_format.page_break_before = True
    para(doc, "Cá nhân, tập thể được tặng {{ form_name }}", bold=True, align=word.CENTER, after=0)
    para(
        doc,
        "(Kèm theo Quyết định số {{ number }} ngày {{ issued_on }} của Ban Thường vụ {{ unit_name }})",
        italic=True,
        align=word.CENTER,
    )
    word.rule(doc, 35, word.TEXT_WIDTH)
    word.list_table(
        doc,
        ("STT", "Họ và tên / Tập thể", "Năm sinh", "Đơn vị", "Thành tích"),
        [
            ("{%tr for r in recipients %}", "", "", "", ""),
            ("{{ r.stt }}", "{{ r.name }}", "{{ r.birth_year }}", "{{ r.unit }}", "{{ r.achievement }}"),
            ("{%tr endfor %}", "", "", "", ""),
        ],
        widths=(14, 40, 17, 38, 56),
        align=(word.CENTER, None, word.CENTER, None, None),
    )
    return word.to_bytes(doc)


# --- Rendering and checking ----------------------------------------------------------------


def _render(source: bytes, fields: dict) -> bytes:
    """Render in Jinja's sandbox: whoever uploads a template must not reach the server's internals."""
    return word.render_template(source, fields)


def custom_template() -> bytes | None:
    try:
        return storage.read(template_path())
    except FileNotFoundError:
        return None


def current_template() -> bytes:
    """The template in use: the uploaded one, else the default."""
    return custom_template() or default_template()


def decision_docx(decision: Decision) -> bytes:
    """The decision in Word. A replacement that stopped rendering (put on the server by hand, say)
    is logged and the default used, so the clerk still gets the decision."""
    fields = context(decision)
    custom = custom_template()
    if custom is not None:
        try:
            return _render(custom, fields)
        except Exception:
            logger.exception("The decision template %s does not render; using the default", template_path())
    return _render(default_template(), fields)


OPENER = re.compile(r"\{[{%]")


def _broken_tag(source: bytes) -> str | None:
    """Return the first tag of the document's text that Jinja cannot read on its own, if one can be named."""
    env = word.sandbox()  # only parses, to name the broken tag
    doc = Document(io.BytesIO(source))
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for paragraph in paragraphs:
        text = paragraph.text
        for opener in OPENER.finditer(text):
            closer = "}}" if opener.group() == "{{" else "%}"
            end = text.find(closer, opener.end())
            if end < 0:
                return text[opener.start() : opener.start() + 60]
            tag = text[opener.start() : end + 2]
            try:
                env.parse(tag) if closer == "}}" else list(env.lex(tag))
            except TemplateSyntaxError:
                return tag
    return None


def _explain(message: str) -> str:
    """Say in Vietnamese what Jinja's message about a block means."""
    missing = re.search(r"looking for the following tags: '(\w+)'", message)
    if missing:
        return f"thiếu thẻ đóng {{% {missing.group(1)} %}}"
    unknown = re.search(r"unknown tag '(\w+)'", message)
    if unknown:
        return f"thẻ lạ «{{% {unknown.group(1)} %}}»"
    return "có thẻ {{ … }} hoặc {% … %} viết sai"


def check(source: bytes, name: str = "mau-quyet-dinh.docx") -> None:
    """Raise ValidationError with a Vietnamese message naming what is wrong with a template; else return.

    The file passes the upload guard (a real, unencrypted, bounded .docx), then is rendered with
    sample fields in a child process under memory and time limits (lib.sandbox).
    """
    if len(source) > TEMPLATE_MAX_BYTES:
        raise ValidationError(f"Tệp lớn hơn {TEMPLATE_MAX_BYTES // 1_048_576} MB.")
    if sniff(source) not in ("docx", "doc"):  # an OLE file may be an encrypted .docx: the guard says so
        raise ValidationError("Tệp không phải văn bản Word .docx (kiểm tra theo nội dung tệp, không theo đuôi).")
    guard_bytes(source, name=name, accept={"docx"}, max_bytes=TEMPLATE_MAX_BYTES, what="văn bản Word .docx")
    try:
        problem = run_limited(_problem, source)
    except LimitExceeded:
        raise ValidationError("Mẫu cần quá nhiều bộ nhớ hoặc thời gian để dựng thử; không nhận.") from None
    except ChildError as exc:
        logger.warning("decision template check failed: %s: %s", exc.kind, exc.message)
        raise ValidationError(f"Tệp Word bị hỏng, không đọc được ({exc.kind}).") from None
    if problem:
        raise ValidationError(problem)


def _problem(source: bytes) -> str | None:
    """In the child: the message saying what is wrong with the template, or None."""
    try:
        _try_render(source)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _try_render(source: bytes) -> None:
    try:
        rendered = _render(source, sample_context())
        Document(io.BytesIO(rendered))
    except TemplateSyntaxError as exc:
        tag = None
        try:
            tag = _broken_tag(source)
        except Exception:  # the message below is enough
            tag = None
        where = f"thẻ «{tag}» viết sai" if tag else _explain(exc.message or "")
        raise ValidationError(f"Mẫu không dùng được: {where} ({exc.message}).") from None
    except SecurityError:
        raise ValidationError(
            "Mẫu bị từ chối: có thẻ {{ … }} truy cập vào bên trong hệ thống (thuộc tính bắt đầu bằng «_» "
            "hoặc lời gọi không được phép). Mẫu chỉ được dùng các trường của quyết định."
        ) from None
    except UndefinedError as exc:
        name = re.search(r"'([^']+)' is undefined", str(exc))
        unknown = f"«{name.group(1)}»" if name else str(exc)
        raise ValidationError(
            f"Mẫu dùng trường {unknown} không có trong quyết định. Các trường có: {', '.join(FIELDS)}."
        ) from None
    except TemplateError as exc:
        raise ValidationError(f"Mẫu không dùng được: {exc}.") from None
    except (zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError) as exc:
        raise ValidationError(f"Tệp Word bị hỏng, không đọc được ({exc.__class__.__name__}).") from None


# --- Who may change it, and what is in use -----------------------------------------------


def can_manage(user: User) -> bool:
    """The template is the whole installation's: system administrators at the top of the tree."""
    return scoping.can(user, "manage_users") and (
        user.is_superuser or (user.unit is not None and user.unit.parent_id is None)
    )


@dataclass
class TemplateState:
    custom: bool
    event: AwardEvent | None  # the last upload or reset, with who and when


def state() -> TemplateState:
    return TemplateState(
        custom=storage.exists(template_path()),
        event=AwardEvent.objects.filter(action__in=ACTIONS).select_related("actor").first(),
    )

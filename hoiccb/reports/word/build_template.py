"""Build the default Word template of a report (`bao_cao.docx`) with the Decree 30 layout of `lib/word.py`.

The committed .docx is what the app renders (docxtpl, in Jinja's sandbox); an office may replace
it with its own, keeping the {{ … }} fields. Run `python -m hoiccb.reports.word.build_template`
to rebuild it after changing this file or `lib/word.py`.
"""

from pathlib import Path

from hoiccb.lib import word

TEMPLATE = Path(__file__).with_name("bao_cao.docx")
FIGURE_WIDTHS = (12, 118, 35)  # TT narrow, the figure's name wide, its value


def build(path: Path = TEMPLATE) -> Path:
    doc = word.new()
    word.decree_header(
        doc,
        parent_name="{{ parent_name|upper }}",
        unit_name="{{ unit_name|upper }}",
        number="{{ number }}",
        date_line="{{ date_line }}",
    )
    word.doc_title(doc, "BÁO CÁO", "{{ title }}")
    para = word.para

    def heading(text: str) -> None:
        para(doc, text, bold=True, align=word.JUSTIFY, indent=True, after=4)

    def line(text: str, italic: bool = False) -> None:
        para(doc, text, italic=italic, align=word.JUSTIFY, indent=True, after=4)

    heading("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    para(doc, "{%p for s in sections %}")
    heading("{{ s.number }}. {{ s.title }}")
    para(doc, "{%p for line in s.lines %}")
    line("{{ line }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    heading("{{ figures_heading }}")
    # A {%tr %} tag takes its whole row: the loop opens and closes in rows of their own.
    word.list_table(
        doc,
        ("TT", "Chỉ tiêu", "Số liệu"),
        [
            ("{%tr for f in figures %}", "", ""),
            ("{{ f.number }}", "{{ f.label }}", "{{ f.value }}"),
            ("{%tr endfor %}", "", ""),
        ],
        widths=FIGURE_WIDTHS,
        align=(word.CENTER, None, word.RIGHT),
    )
    para(doc, "", size=6)
    para(doc, "{%p if missing %}")
    line("Số liệu tổng hợp từ báo cáo đã duyệt; chưa có báo cáo của: {{ missing }}.", italic=True)
    para(doc, "{%p endif %}")
    heading("II. TỒN TẠI, HẠN CHẾ")
    para(doc, "{%p for line in shortcomings %}")
    line("{{ line }}")
    para(doc, "{%p endfor %}")
    heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ {{ next_period }}")
    para(doc, "{%p for line in plan %}")
    line("{{ line }}")
    para(doc, "{%p endfor %}")
    word.signature_block(
        doc,
        receivers=["- {{ parent_name }} (để b/c);", "- Các Hội CCB cơ sở;", "- Lưu: VT."],
        signer_lines=["{%p for line in signer_lines %}", "{{ line }}", "{%p endfor %}"],
        signer="{{ signer }}",
    )
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())

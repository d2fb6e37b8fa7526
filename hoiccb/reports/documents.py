"""The report as a Word document (docxtpl over a replaceable template) and the statistical annex (.xlsx)."""

import io
import re
from pathlib import Path

from hoiccb.accounts.models import User
from hoiccb.lib.excel import XLSX_TYPE, Column, write_list
from hoiccb.lib.files import DOCX_TYPE
from hoiccb.lib.vietnamese import format_money
from hoiccb.lib.word import Signature, date_line, render_template
from hoiccb.org.models import Unit
from hoiccb.org.selectors import signer_for
from hoiccb.reports import rollup
from hoiccb.reports.figures import catalogue
from hoiccb.reports.models import TEXT_SECTIONS, Period, PeriodKind, ReportState, UnitReport

TEMPLATE = Path(__file__).parent / "word" / "bao_cao.docx"
__all__ = ["DOCX_TYPE", "XLSX_TYPE", "annex_xlsx", "date_line", "report_docx"]


def next_period_label(period: Period) -> str:
    if period.kind == PeriodKind.FIRST_HALF:
        return f"6 THÁNG CUỐI NĂM {period.end.year}"
    if period.kind == PeriodKind.YEAR:
        return f"NĂM {period.end.year + 1}"
    return "KỲ TỚI"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or ["……"]


INTERNAL = re.compile(r"\s*\((nhập tay|tự tính)\)", re.IGNORECASE)


def printed(label: str) -> str:
    """A figure's name as printed: without the form's internal markers such as "(nhập tay)"."""
    return INTERNAL.sub("", label).strip()


def _format(value: int, money: bool) -> str:
    return format_money(value) if money else f"{value:,}".replace(",", ".")


def report_context(report: UnitReport) -> dict:
    parent = report.unit.parent
    on_record = signer_for(report.unit, report.dated_on)
    # The clerk's name wins; the officer on record gives the title when it is the same person,
    # and signs when no name is given.
    sign = on_record if report.signer in ("", on_record.name) else Signature(name=report.signer)
    figures = [
        {"number": i, "label": printed(f.label), "value": _format(report.value(f.code), f.money)}
        for i, f in enumerate(catalogue(), start=1)
    ]
    return {
        "parent_name": parent.name if parent else "",
        "unit_name": report.unit.name,
        "number": report.number or "……/BC-CCB",
        "date_line": date_line(report.place, report.dated_on),
        "title": report.period.title,
        "sections": [
            {"number": i, "title": title, "lines": _lines(getattr(report, code))}
            for i, (code, title) in enumerate(TEXT_SECTIONS, start=1)
        ],
        "figures_heading": f"{len(TEXT_SECTIONS) + 1}. Số liệu chủ yếu",
        "figures": figures,
        "missing": ", ".join(report.missing_units) if report.is_rollup else "",
        "shortcomings": _lines(report.shortcomings),
        "plan": _lines(report.plan),
        "next_period": next_period_label(report.period),
        "signer": sign.name,
        "signer_lines": sign.lines,
    }


def report_docx(report: UnitReport) -> io.BytesIO:
    """Render the report into the Word template (in Jinja's sandbox); returns the file, rewound."""
    return io.BytesIO(render_template(TEMPLATE.read_bytes(), report_context(report)))


def annex_xlsx(user: User, period: Period, parent: Unit):
    """Write the statistical annex: one row per reporting unit under `parent`, then the totals row.

    A unit's figures are those of its accepted report; the other units are listed with
    where they stand and empty figures (the totals are of the accepted reports).
    Returns (file, row count).
    """
    figures = catalogue()
    state = rollup.completeness(period, parent)
    accepted = {
        r.unit_id: r
        for r in UnitReport.objects.filter(
            period=period, unit__in=[row.unit.pk for row in state.rows], state=ReportState.ACCEPTED
        )
    }
    rows = []
    for row in sorted(state.rows, key=lambda r: r.unit.path):
        report = accepted.get(row.unit.pk)
        values = [report.value(f.code) if report else None for f in figures]
        rows.append([row.unit.name, row.standing_label, *values])
    columns = [Column("Đơn vị", 36), Column("Tình trạng báo cáo", 16)]
    columns += [Column(printed(f.label), 14 if not f.money else 16, "money") for f in figures]
    return write_list(
        heading=[parent.parent.name if parent.parent else "", parent.name],
        title=f"Phụ lục số liệu thống kê {period.name}",
        subtitle=f"Từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}; tổng cộng các báo cáo đã duyệt",
        columns=columns,
        rows=rows,
        sheet_name="Phụ lục",
    )

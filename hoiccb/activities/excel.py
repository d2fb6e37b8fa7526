"""Excel lists of activities, gifts and recommendations, in the layout of hoiccb.lib.excel."""

from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone

from hoiccb.lib.excel import XLSX_TYPE, Column, write_list

__all__ = ["Column", "workbook_bytes", "xlsx_response"]


def workbook_bytes(
    *, title: str, subtitle: str, unit_name: str, columns: Sequence[Column], rows: Iterable[Sequence], note: str = ""
) -> bytes:
    """Return an .xlsx file: unit and title rows, a header, then one numbered row per item."""
    output, _count = write_list(
        heading=[unit_name],
        title=title,
        subtitle=subtitle or f"Lập ngày {timezone.localdate():%d/%m/%Y}",
        columns=columns,
        rows=rows,
        note=note,
    )
    with output:
        return output.read()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

"""The date line of a meeting's documents carries the issuing unit's place (địa danh)."""

import io

import docx

from hoiccb.meetings import docs
from hoiccb.org.models import Unit


def header_text(data: bytes) -> str:
    """The text of the document's Decree 30 header table."""
    return "\n".join(cell.text for row in docx.Document(io.BytesIO(data)).tables[0].rows for cell in row.cells)


def test_programme_is_dated_at_the_units_place(meeting):
    Unit.objects.filter(pk=meeting.unit_id).update(place="Lào Cai")
    meeting.unit.refresh_from_db()
    assert "Lào Cai, ngày " in header_text(docs.programme(meeting))


def test_programme_takes_the_place_from_above_when_the_unit_has_none(meeting, tree):
    Unit.objects.filter(pk=tree["province"].pk).update(place="Lào Cai")
    assert "Lào Cai, ngày " in header_text(docs.programme(meeting))

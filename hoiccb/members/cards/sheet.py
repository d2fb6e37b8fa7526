"""Card sheets: CR80 cards (85.6 × 54 mm), eight to an A4 page with crop marks, by WeasyPrint.

The QR code (segno) holds the verification address: the card number and its check code,
nothing personal. Rendering goes a batch of pages at a time so the progress bar moves.

Kept cheap per card, since WeasyPrint's time grows with the boxes and images it lays out
and paints (1,000 cards are 125 pages): the eight card places and the crop marks are
classes and one page background drawn once, not inline styles and 32 boxes per page; the
QR is a PNG of one pixel per module, shown unsmoothed (`image-rendering: pixelated`), so
it prints as sharp as a vector and is not parsed as SVG for every card; the photo is the
stored JPEG, passed into the PDF as it is.
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Callable, Sequence
from urllib.parse import quote

import segno
from django.template.loader import render_to_string

from hoiccb.members.cards.signing import verify_path
from hoiccb.members.models import Member

PER_PAGE = 8  # 2 columns × 4 rows
BATCH = 80  # cards laid out per WeasyPrint pass (10 pages)
COLUMNS, ROWS = 2, 4
CARD_W, CARD_H, GAP = 85.6, 54.0, 8.0
LEFT = (210 - COLUMNS * CARD_W - (COLUMNS - 1) * GAP) / 2
TOP = (297 - ROWS * CARD_H - (ROWS - 1) * GAP) / 2
MARK_LENGTH, MARK_OFFSET = 4.0, 1.0
QR_BORDER = 1  # modules of white around the code


def qr_data_uri(text: str) -> str:
    """Return the QR code of `text` as a PNG data URI, one pixel per module."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=1, border=QR_BORDER)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def _photo_uri(member: Member) -> str:
    photo = getattr(member, "photo", None)
    if photo is None:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(bytes(photo.image)).decode()


def card_context(member: Member, base_url: str) -> dict:
    number = member.card_number or ""
    return {
        "name": member.full_name.upper(),
        "birth": str(member.birth_date or ""),
        "unit": member.unit.name,
        "number": number,
        "issued": member.card_issued_on,
        "photo": _photo_uri(member),
        "qr": qr_data_uri(base_url.rstrip("/") + verify_path(number)) if number else "",
    }


def slots() -> list[dict]:
    """The top-left corner (mm) of each card place on a page, in reading order."""
    return [
        {"x": LEFT + col * (CARD_W + GAP), "y": TOP + row * (CARD_H + GAP)}
        for row in range(ROWS)
        for col in range(COLUMNS)
    ]


def marks() -> list[dict]:
    """Crop marks: short lines outside each card corner, in the margins and gutters."""
    lines = []
    length, offset = MARK_LENGTH, MARK_OFFSET
    for slot in slots():
        x0, y0 = slot["x"], slot["y"]
        for x in (x0, x0 + CARD_W):
            lines.append({"x": x, "y": y0 - offset - length, "w": 0, "h": length})
            lines.append({"x": x, "y": y0 + CARD_H + offset, "w": 0, "h": length})
        for y in (y0, y0 + CARD_H):
            lines.append({"x": x0 - offset - length, "y": y, "w": length, "h": 0})
            lines.append({"x": x0 + CARD_W + offset, "y": y, "w": length, "h": 0})
    return lines


@functools.cache
def marks_uri() -> str:
    """Every crop mark of a page as one A4 SVG (units: mm), the background of each page."""
    path = " ".join(f"M{m['x']:.2f} {m['y']:.2f}h{m['w']:.1f}v{m['h']:.1f}" for m in marks())
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
        f'<path d="{path}" fill="none" stroke="#000" stroke-width="0.2"/></svg>'
    )
    return "data:image/svg+xml," + quote(svg)


def _pages(cards: Sequence[dict]) -> list[list[tuple[int, dict]]]:
    """The cards page by page, each with the number of its place on the page."""
    return [list(enumerate(cards[start : start + PER_PAGE])) for start in range(0, len(cards), PER_PAGE)]


def sheet_html(members: Sequence[Member], base_url: str, association: str = "HỘI CỰU CHIẾN BINH VIỆT NAM") -> str:
    cards = [card_context(m, base_url) for m in members]
    return render_to_string(
        "members/cards/sheet.html",
        {
            "pages": _pages(cards),
            "slots": list(enumerate(slots())),
            "marks": marks_uri(),
            "association": association,
            "w": CARD_W,
            "h": CARD_H,
        },
    )


def render_pdf(members: Sequence[Member], base_url: str, on_batch: Callable[[int], None] = lambda done: None) -> bytes:
    """Lay out the cards `BATCH` at a time and join the pages into one PDF; returns its bytes."""
    from weasyprint import HTML

    images: dict = {}  # the crop-mark page background is read once for every batch
    laid_out = []
    for start in range(0, len(members), BATCH):
        chunk = members[start : start + BATCH]
        laid_out.append(HTML(string=sheet_html(chunk, base_url)).render(cache=images))
        on_batch(start + len(chunk))
    pages = [page for document in laid_out for page in document.pages]
    return laid_out[0].copy(pages).write_pdf()

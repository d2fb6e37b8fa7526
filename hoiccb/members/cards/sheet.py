"""Card sheets: CR80 cards (85.6 × 54 mm), eight to an A4 page with crop marks, by WeasyPrint.

The QR code (segno) holds the verification address: the card number and its check code,
nothing personal. Rendering goes a batch of pages at a time so the progress bar moves.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence

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


def qr_data_uri(text: str) -> str:
    """Return the QR code of `text` as an SVG data URI."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


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


def _pages(cards: Sequence[dict]) -> list[list[dict]]:
    pages = []
    for start in range(0, len(cards), PER_PAGE):
        page = []
        for i, card in enumerate(cards[start : start + PER_PAGE]):
            row, col = divmod(i, COLUMNS)
            page.append({**card, "x": LEFT + col * (CARD_W + GAP), "y": TOP + row * (CARD_H + GAP)})
        pages.append(page)
    return pages


def marks() -> list[dict]:
    """Crop marks: short lines outside each card corner, in the margins and gutters."""
    lines = []
    length, offset = 4.0, 1.0
    for row in range(ROWS):
        for col in range(COLUMNS):
            x0, y0 = LEFT + col * (CARD_W + GAP), TOP + row * (CARD_H + GAP)
            for x in (x0, x0 + CARD_W):
                lines.append({"x": x, "y": y0 - offset - length, "w": 0, "h": length})
                lines.append({"x": x, "y": y0 + CARD_H + offset, "w": 0, "h": length})
            for y in (y0, y0 + CARD_H):
                lines.append({"x": x0 - offset - length, "y": y, "w": length, "h": 0})
                lines.append({"x": x0 + CARD_W + offset, "y": y, "w": length, "h": 0})
    return lines


def sheet_html(members: Sequence[Member], base_url: str, association: str = "HỘI CỰU CHIẾN BINH VIỆT NAM") -> str:
    cards = [card_context(m, base_url) for m in members]
    return render_to_string(
        "members/cards/sheet.html",
        {"pages": _pages(cards), "marks": marks(), "association": association, "w": CARD_W, "h": CARD_H},
    )


def render_pdf(members: Sequence[Member], base_url: str, on_batch: Callable[[int], None] = lambda done: None) -> bytes:
    """Lay out the cards `BATCH` at a time and join the pages into one PDF; returns its bytes."""
    from weasyprint import HTML

    laid_out = []
    for start in range(0, len(members), BATCH):
        chunk = members[start : start + BATCH]
        laid_out.append(HTML(string=sheet_html(chunk, base_url)).render())
        on_batch(start + len(chunk))
    pages = [page for document in laid_out for page in document.pages]
    return laid_out[0].copy(pages).write_pdf()

"""Card sheets: CR80 cards (85.6 × 54 mm), eight to an A4 page with crop marks, by WeasyPrint.

The QR code (segno) holds the verification address: the card number and its check code,
nothing personal. Rendering goes a batch of pages at a time so the progress bar moves.

Kept cheap per card, since WeasyPrint's time grows with the boxes and images it lays out
and paints (1,000 cards are 125 pages): the eight card places are classes and the crop
marks one page background read once, not inline styles and 32 boxes per page; the
QR is a PNG of one pixel per module, shown unsmoothed (`image-rendering: pixelated`), so
it prints as sharp as a vector and is not parsed as SVG for every card; photos and QR
codes are handed over from memory by name, not as base64 in the HTML (which the HTML
parser would read character by character); the photo is the stored JPEG, passed into the
PDF as it is.
"""

from __future__ import annotations

import functools
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
MARK_LENGTH, MARK_OFFSET = 4.0, 1.0
QR_BORDER = 1  # modules of white around the code
SCHEME = "card-image"  # the sheet's own images, served from memory (see `document`)
Images = dict[str, tuple[bytes, str]]  # image name → (content, media type)
MARKS = f"{SCHEME}:marks"


def qr_png(text: str) -> bytes:
    """Return the QR code of `text` as a PNG, one pixel per module."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=1, border=QR_BORDER)
    return out.getvalue()


def card_context(member: Member, base_url: str, images: Images) -> dict:
    """What one card shows; its photo and QR go into `images` under the names the card refers to."""
    number = member.card_number or ""
    photo = getattr(member, "photo", None)
    photo_name, qr_name = f"{SCHEME}:photo/{member.pk}", f"{SCHEME}:qr/{member.pk}"
    context = {
        "name": member.full_name.upper(),
        "birth": str(member.birth_date or ""),
        "unit": member.unit.name,
        "number": number,
        "issued": member.card_issued_on,
        "photo": "",
        "qr": "",
    }
    if photo is not None:
        context["photo"] = photo_name
        images[photo_name] = (bytes(photo.image), "image/jpeg")
    if number:
        context["qr"] = qr_name
        images[qr_name] = (qr_png(base_url.rstrip("/") + verify_path(number)), "image/png")
    return context


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
def marks_svg() -> bytes:
    """Every crop mark of a page as one A4 SVG (units: mm), the background of each page."""
    path = " ".join(f"M{m['x']:.2f} {m['y']:.2f}h{m['w']:.1f}v{m['h']:.1f}" for m in marks())
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">'
        f'<path d="{path}" fill="none" stroke="#000" stroke-width="0.2"/></svg>'
    ).encode()


def _pages(cards: Sequence[dict]) -> list[list[tuple[int, dict]]]:
    """The cards page by page, each with the number of its place on the page."""
    return [list(enumerate(cards[start : start + PER_PAGE])) for start in range(0, len(cards), PER_PAGE)]


def sheet_html(
    members: Sequence[Member], base_url: str, images: Images, association: str = "HỘI CỰU CHIẾN BINH VIỆT NAM"
) -> str:
    cards = [card_context(m, base_url, images) for m in members]
    return render_to_string(
        "members/cards/sheet.html",
        {
            "pages": _pages(cards),
            "slots": list(enumerate(slots())),
            "marks": MARKS,
            "association": association,
            "w": CARD_W,
            "h": CARD_H,
        },
    )


def document(members: Sequence[Member], base_url: str):
    """The WeasyPrint document of a sheet of `members`' cards, ready to render."""
    from weasyprint import HTML  # imported when printing, not with every page of the site
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    images: Images = {MARKS: (marks_svg(), "image/svg+xml")}
    html = sheet_html(members, base_url, images)

    class CardImages(URLFetcher):
        """Hands WeasyPrint the sheet's photos and QR codes from memory; fetches nothing else."""

        def fetch(self, url, headers=None):
            body, content_type = images[url]
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return HTML(string=html, url_fetcher=CardImages(allowed_protocols=[SCHEME]))


def render_pdf(members: Sequence[Member], base_url: str, on_batch: Callable[[int], None] = lambda done: None) -> bytes:
    """Lay out the cards `BATCH` at a time and join the pages into one PDF; returns its bytes."""
    cache: dict = {}  # the crop-mark page background is read once for every batch
    laid_out = []
    for start in range(0, len(members), BATCH):
        chunk = members[start : start + BATCH]
        laid_out.append(document(chunk, base_url).render(cache=cache))
        on_batch(start + len(chunk))
    pages = [page for rendered in laid_out for page in rendered.pages]
    return laid_out[0].copy(pages).write_pdf()

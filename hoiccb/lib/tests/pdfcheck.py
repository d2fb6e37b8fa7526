"""Reading a generated document back as a clerk would look at it: convert it to PDF with LibreOffice
(`lib.pdf.docx_to_pdf`), read each page with `pdftotext -layout`, and check the Decree 30 layout."""

import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdf

from hoiccb.lib.word import MOTTO, NATION

FORBIDDEN = ("(nhập tay)", "None", "{{", "}}", "{%", "%}")


@dataclass
class Pages:
    pdf: bytes
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def lines(self, page: int = 0) -> list[str]:
        return [line.strip() for line in self.pages[page].splitlines() if line.strip()]


def read(pdf: bytes) -> Pages:
    """Return the text of each page, laid out as printed.

    With HOICCB_PDF_DUMP set to a folder, the PDF is also kept there to be looked at (pdftoppm).
    """
    dump = os.environ.get("HOICCB_PDF_DUMP")
    if dump:
        test = os.environ.get("PYTEST_CURRENT_TEST", "doc").split("::")[-1].split(" ")[0]
        folder = Path(dump)
        folder.mkdir(parents=True, exist_ok=True)
        n = len(list(folder.glob(f"{test}-*.pdf")))
        (folder / f"{test}-{n}.pdf").write_bytes(pdf)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "doc.pdf"
        source.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True)
    pages = out.stdout.decode().split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return Pages(pdf, pages)


def check_decree_30(
    doc: Pages, *, signer: str, numbered: bool = True, header: bool = True, one_page_documents: bool = False
) -> None:
    """Assert what a clerk checks before signing; raise AssertionError naming what is wrong.

    `one_page_documents`: the file holds one-page documents one after another (invitations, achievement
    summaries), each starting its own numbering, so no page carries a number.
    """
    reader = pypdf.PdfReader(io.BytesIO(doc.pdf))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2, f"not A4: {width}×{height} pt"
    first = doc.lines(0)
    if header:
        assert any(NATION in line for line in first), f"the national name wraps or is missing: {first[:6]}"
        assert any(MOTTO in line for line in first), f"the motto wraps or is missing: {first[:6]}"
    if numbered:
        level = [line for line in first if "Số:" in line and re.search(r"ngày \S+ tháng \S+ năm \S+", line)]
        assert level, f"«Số:» and the date are not on one line: {first[:8]}"
    # Page numbers: none on page 1, the page's number centred at the top from page 2.
    assert not re.fullmatch(r"\d+", first[0]), f"page 1 carries a number: {first[0]}"
    for i in range(1, len(doc.pages)):
        top = doc.lines(i)
        if one_page_documents:
            assert top and not re.fullmatch(r"\d+", top[0]), f"page {i + 1} of its own document is numbered"
        else:
            assert top and top[0] == str(i + 1), f"page {i + 1} has no page number at the top: {top[:2]}"
    assert signer and signer in doc.text, f"the signer «{signer}» is not printed"
    for bad in FORBIDDEN:
        assert bad not in doc.text, f"«{bad}» is printed"

"""PDF from a DOCX, by LibreOffice headless (`soffice`, Debian's libreoffice-writer-nogui,
installed by scripts/install-system-deps.sh), and from HTML laid out in parts by WeasyPrint.

The PDF is made from the very DOCX the clerk can download, so the two never disagree.
Each conversion runs with a profile of its own in a temporary directory: two conversions at
once (two workers, parallel tests) would otherwise fight over LibreOffice's profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

TIMEOUT_SECONDS = 120


class ConversionError(Exception):
    """LibreOffice is missing, timed out, or wrote no PDF; the message is in Vietnamese."""


def soffice() -> str | None:
    """The path of LibreOffice's `soffice`, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Return the PDF of a .docx; raises ConversionError."""
    program = soffice()
    if program is None:
        raise ConversionError("Máy chủ chưa cài LibreOffice nên chưa chuyển được sang PDF; hãy tải bản Word.")
    with tempfile.TemporaryDirectory(prefix="hoiccb-pdf-") as work:
        folder = Path(work)
        source = folder / "van-ban.docx"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            # Our own program path and file names, no shell: the document's bytes never reach the command line.
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=folder)  # noqa: S603
        except subprocess.TimeoutExpired:
            raise ConversionError("Chuyển sang PDF quá lâu, đã dừng; hãy thử lại hoặc tải bản Word.") from None
        target = folder / "van-ban.pdf"
        if not target.exists() or not target.read_bytes().startswith(b"%PDF"):
            raise ConversionError("LibreOffice không chuyển được văn bản sang PDF; hãy tải bản Word.")
        return target.read_bytes()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(docx: bytes, stem: str, *, as_pdf: bool = False):
    """An attachment response: the .docx, or its PDF (raises ConversionError) when `as_pdf`."""
    from django.http import HttpResponse

    if as_pdf:
        response = HttpResponse(docx_to_pdf(docx), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    else:
        response = HttpResponse(docx, content_type=DOCX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
    return response


def self_contained():
    """WeasyPrint's fetcher for our own printed documents: they need nothing outside themselves
    but data: URLs, so no text that slipped into a link or a style can make the server fetch a page."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=["data"], allow_redirects=False)


def html_pdf(html: str) -> bytes:
    """The PDF of one HTML document of ours (self-contained: nothing is fetched)."""
    return html_parts_to_pdf([html])


def html_parts_to_pdf(parts: Sequence[str], on_part: Callable[[int], None] = lambda done: None) -> bytes:
    """Lay out each HTML document of `parts` with WeasyPrint and write all their pages as one PDF.

    A long document laid out in parts lets the caller report progress after each (`on_part(i)`,
    i parts done); the pages are joined in order, so the result reads as one document.
    """
    from weasyprint import HTML

    laid_out = []
    for done, part in enumerate(parts, 1):
        laid_out.append(HTML(string=part, url_fetcher=self_contained()).render())
        on_part(done)
    pages = [page for document in laid_out for page in document.pages]
    return laid_out[0].copy(pages).write_pdf()

"""PDFs of documents converted in the background (LibreOffice takes a second or more), with a
waiting page and its progress bar, and kept so the same document is converted once.

A conversion is keyed by the hash of the DOCX: the same document asked for twice is one job,
and a changed document (a corrected number, another signer) is a new one. The files live in
MEDIA_ROOT/private/pdf/<key>.docx → <key>.pdf (or <key>.err with the Vietnamese reason).
`pdf_view` is what a view returns: the PDF when it is ready (waiting up to `WAIT_SECONDS` for
a fresh conversion), else the waiting page, which polls until the PDF can be downloaded.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django_tasks import task

from hoiccb.lib.files import private_dir
from hoiccb.lib.pdf import ConversionError, docx_to_pdf

WAIT_SECONDS = 1.0  # a conversion that ends within a second is simply downloaded
STALE_SECONDS = 300  # a conversion not done by then is queued again (the worker was stopped, say)
FAILED = "Không chuyển được sang PDF do lỗi hệ thống; hãy tải bản Word hoặc thử lại sau."


def _paths(key: str) -> tuple[Path, Path, Path]:
    folder = private_dir("pdf")
    return folder / f"{key}.docx", folder / f"{key}.pdf", folder / f"{key}.err"


def key_of(docx: bytes) -> str:
    """A hash of what the document holds: its parts' names and contents, not the zip's timestamps
    (the same document saved a second later must be the same job)."""
    digest = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode())
                digest.update(hashlib.sha256(archive.read(name)).digest())
    except zipfile.BadZipFile:
        digest.update(docx)
    return digest.hexdigest()[:40]


def convert(key: str) -> None:
    """Convert the stored DOCX of `key`; leaves <key>.pdf, or <key>.err with the reason."""
    source, target, error = _paths(key)
    try:
        pdf = docx_to_pdf(source.read_bytes())
    except ConversionError as exc:
        error.write_text(str(exc), encoding="utf-8")
        return
    except Exception:
        error.write_text(FAILED, encoding="utf-8")
        raise
    partial = target.with_suffix(".part")
    partial.write_bytes(pdf)
    os.replace(partial, target)  # readers never see half a file


@task()
def convert_task(key: str) -> None:
    convert(key)


def request_pdf(docx: bytes) -> tuple[str, Path | None, str | None]:
    """Ask for the PDF of a DOCX: returns (key, the PDF's path when ready, the failure message when failed).

    The first request stores the DOCX and queues the conversion; a failure is reported once and
    then forgotten, so that asking again retries.
    """
    key = key_of(docx)
    source, target, error = _paths(key)
    if target.exists():
        return key, target, None
    if error.exists():
        message = error.read_text(encoding="utf-8")
        error.unlink(missing_ok=True)
        source.unlink(missing_ok=True)
        return key, None, message
    stale = source.exists() and time.time() - source.stat().st_mtime > STALE_SECONDS
    if not source.exists() or stale:  # new, or queued so long ago that the worker must have lost it
        source.write_bytes(docx)
        transaction.on_commit(lambda: convert_task.enqueue(key=key))
    return key, None, None


def pdf_view(request: HttpRequest, docx: bytes, filename: str, *, title: str, back: str) -> HttpResponseBase:
    """The PDF of `docx` as a download named `filename`, or the waiting page with its progress bar.

    `back` is where the clerk returns on failure (with the message) or from the waiting page.
    """
    _, ready, failed = request_pdf(docx)
    deadline = time.monotonic() + WAIT_SECONDS
    while ready is None and failed is None and time.monotonic() < deadline and not request.headers.get("HX-Request"):
        time.sleep(0.1)
        _, ready, failed = request_pdf(docx)
    if failed is not None:
        messages.error(request, failed)
        return redirect(back)
    if ready is not None:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()  # the browser now downloads the file
            return response
        return FileResponse(ready.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    template = "lib/_pdf_progress.html" if request.headers.get("HX-Request") else "lib/pdf_wait.html"
    return render(request, template, {"title": title, "back": back, "url": request.get_full_path()})

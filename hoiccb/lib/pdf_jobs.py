"""PDFs of documents converted in the background (LibreOffice takes a second or more), with a
waiting page and its progress bar, and kept so the same document is converted once.

A conversion is keyed by the hash of the DOCX: the same document asked for twice is one job,
and a changed document (a corrected number, another signer) is a new one. The files live in
storage (hoiccb/lib/storage.py) as private/pdf/<key>.docx → <key>.pdf and <key>.done (or <key>.err
with the Vietnamese reason), so the worker that converts may run on another machine.
`pdf_view` is what a view returns: the PDF when it is ready (waiting up to `WAIT_SECONDS` for
a fresh conversion), else the waiting page, which polls until the PDF can be downloaded.
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django_tasks import task

from hoiccb.lib import storage
from hoiccb.lib.pdf import ConversionError, docx_to_pdf

WAIT_SECONDS = 1.0  # a conversion that ends within a second is simply downloaded
STALE_SECONDS = 300  # a conversion not done by then is queued again (the worker was stopped, say)
FAILED = "Không chuyển được sang PDF do lỗi hệ thống; hãy tải bản Word hoặc thử lại sau."


def _names(key: str) -> tuple[str, str, str, str]:
    """The DOCX, the PDF, the marker written once the PDF is whole, and the failure message."""
    docx, pdf, done, err = (storage.private_name("pdf", f"{key}.{ext}") for ext in ("docx", "pdf", "done", "err"))
    return docx, pdf, done, err


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
    """Convert the stored DOCX of `key`; leaves <key>.pdf and <key>.done, or <key>.err with the reason."""
    source, target, done, error = _names(key)
    try:
        pdf = docx_to_pdf(storage.read(source))
    except ConversionError as exc:
        storage.write(error, str(exc).encode())
        return
    except Exception:
        storage.write(error, FAILED.encode())
        raise
    storage.write(target, pdf)
    storage.write(done, b"")  # only now is the PDF whole: readers wait for the marker


@task()
def convert_task(key: str) -> None:
    convert(key)


def request_pdf(docx: bytes) -> tuple[str, str | None, str | None]:
    """Ask for the PDF of a DOCX: returns (key, the PDF's storage name when ready, the failure message when failed).

    The first request stores the DOCX and queues the conversion; a failure is reported once and
    then forgotten, so that asking again retries.
    """
    key = key_of(docx)
    source, target, done, error = _names(key)
    if storage.exists(done):
        return key, target, None
    if storage.exists(error):
        message = storage.read(error).decode("utf-8", "replace")
        storage.delete(error)
        storage.delete(source)
        return key, None, message
    queued = storage.exists(source)
    stale = queued and (timezone.now() - storage.modified(source)).total_seconds() > STALE_SECONDS
    if not queued or stale:  # new, or queued so long ago that the worker must have lost it
        storage.write(source, docx)
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
        handle = storage.open_for_download(ready)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    template = "lib/_pdf_progress.html" if request.headers.get("HX-Request") else "lib/pdf_wait.html"
    return render(request, template, {"title": title, "back": back, "url": request.get_full_path()})

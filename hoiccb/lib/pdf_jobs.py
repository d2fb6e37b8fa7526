"""PDFs made in the background, with a waiting page and its progress bar, and kept so that the
same document is made once.

Two kinds of source: a DOCX, converted by LibreOffice (a second or more), and HTML laid out by
WeasyPrint in parts (`HtmlPdf`: 120 ballots take ten seconds or more, too long for a request).
A PDF is keyed by the hash of its source: the same document asked for twice is one job, and a
changed document (a corrected number, another signer, one candidate fewer) is a new one. The
files live in storage (hoiccb/lib/storage.py) as private/pdf/<key>.docx or <key>.json → <key>.pdf
and <key>.done (or <key>.err with the Vietnamese reason), so the worker that makes it may run on
another machine; how far an HTML job has got goes through the shared cache.
`pdf_view` is what a view returns: the PDF when it is ready (waiting up to `WAIT_SECONDS` for
a fresh job), else the waiting page, which polls until the PDF can be downloaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import time
import zipfile
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django_tasks import task

from hoiccb.lib import storage
from hoiccb.lib.pdf import ConversionError, docx_to_pdf, html_parts_to_pdf

WAIT_SECONDS = 1.0  # a conversion that ends within a second is simply downloaded
STALE_SECONDS = 300  # a conversion not done by then is queued again (the worker was stopped, say)
FAILED = "Không chuyển được sang PDF do lỗi hệ thống; hãy tải bản Word hoặc thử lại sau."
FAILED_HTML = "Không tạo được tệp PDF do lỗi hệ thống; hãy thử lại sau."
WAITING = "Đang chờ đến lượt xử lý…"
PROGRESS_TIMEOUT = 3600


@dataclass(frozen=True)
class HtmlPdf:
    """A PDF laid out from HTML documents, one per part, joined in order.

    `counts` says how many items (ballots, pages) each part holds and `noun` what they are, so
    the bar reads "40 / 120 phiếu bầu"; `label` is what the bar says while the worker lays out.
    """

    parts: tuple[str, ...]
    counts: tuple[int, ...]
    noun: str = "trang"
    label: str = "Đang tạo tệp PDF…"

    @property
    def total(self) -> int:
        return sum(self.counts)


Source = bytes | HtmlPdf


def _names(key: str) -> tuple[str, str, str, str]:
    """The DOCX, the PDF, the marker written once the PDF is whole, and the failure message."""
    docx, pdf, done, err = (storage.private_name("pdf", f"{key}.{ext}") for ext in ("docx", "pdf", "done", "err"))
    return docx, pdf, done, err


def _html_name(key: str) -> str:
    """The stored parts of an HTML job (JSON)."""
    return storage.private_name("pdf", f"{key}.json")


def _encode(source: Source) -> bytes:
    """What is stored for the worker: the DOCX itself, or the HTML job as JSON."""
    if isinstance(source, HtmlPdf):
        return json.dumps(asdict(source), ensure_ascii=False).encode()
    return source


def key_of(source: Source) -> str:
    """A hash of what the document holds. For a DOCX, its parts' names and contents, not the zip's
    timestamps (the same document saved a second later must be the same job)."""
    digest = hashlib.sha256()
    if isinstance(source, HtmlPdf):
        digest.update(b"html\0")
        digest.update(_encode(source))
        return digest.hexdigest()[:40]
    try:
        with zipfile.ZipFile(io.BytesIO(source)) as archive:
            for name in sorted(archive.namelist()):
                digest.update(name.encode())
                digest.update(hashlib.sha256(archive.read(name)).digest())
    except zipfile.BadZipFile:
        digest.update(source)
    return digest.hexdigest()[:40]


# --- Progress, through the shared cache (the worker's writes to storage are not a counter) -------


def _progress_key(key: str) -> str:
    return f"pdf-progress:{key}"


def progress(key: str, source: Source) -> dict:
    """Return {"label", "done", "total", "noun", "percent"} for the bar; percent is None for a DOCX,
    whose conversion says nothing of how far it has got."""
    if not isinstance(source, HtmlPdf):
        return {"label": "Đang chuyển văn bản sang PDF…", "done": 0, "total": 0, "noun": "", "percent": None}
    state = cache.get(_progress_key(key)) or {"label": WAITING, "done": 0}
    done, total = state["done"], source.total
    percent = min(100, round(100 * done / total)) if total else None
    return {"label": state["label"], "done": done, "total": total, "noun": source.noun, "percent": percent}


def _lay_out(key: str, job: dict) -> bytes:
    """Lay out an HTML job's parts, reporting after each how many items are done."""
    counts = job["counts"]

    def report(parts_done: int) -> None:
        label = job["label"] if parts_done < len(counts) else "Đang ghép các trang thành một tệp…"
        cache.set(_progress_key(key), {"label": label, "done": sum(counts[:parts_done])}, PROGRESS_TIMEOUT)

    report(0)
    try:
        return html_parts_to_pdf(job["parts"], report)
    finally:
        cache.delete(_progress_key(key))


# --- The worker's side ---------------------------------------------------------------------------


def convert(key: str) -> None:
    """Make the PDF of the stored source of `key`; leaves <key>.pdf and <key>.done, or <key>.err
    with the reason."""
    source, target, done, error = _names(key)
    html = _html_name(key)
    is_html = storage.exists(html)
    try:
        pdf = _lay_out(key, json.loads(storage.read(html))) if is_html else docx_to_pdf(storage.read(source))
    except ConversionError as exc:
        storage.write(error, str(exc).encode())
        return
    except Exception:
        storage.write(error, (FAILED_HTML if is_html else FAILED).encode())
        raise
    storage.write(target, pdf)
    storage.write(done, b"")  # only now is the PDF whole: readers wait for the marker


@task()
def convert_task(key: str) -> None:
    convert(key)


# --- The web's side ------------------------------------------------------------------------------


def request_pdf(source: Source) -> tuple[str, str | None, str | None]:
    """Ask for the PDF of a source: returns (key, the PDF's storage name when ready, the failure
    message when failed).

    The first request stores the source and queues the job; a failure is reported once and
    then forgotten, so that asking again retries.
    """
    key = key_of(source)
    docx, target, done, error = _names(key)
    stored = _html_name(key) if isinstance(source, HtmlPdf) else docx
    if storage.exists(done):
        return key, target, None
    if storage.exists(error):
        message = storage.read(error).decode("utf-8", "replace")
        storage.delete(error)
        storage.delete(stored)
        return key, None, message
    queued = storage.exists(stored)
    stale = queued and (timezone.now() - storage.modified(stored)).total_seconds() > STALE_SECONDS
    if not queued or stale:  # new, or queued so long ago that the worker must have lost it
        storage.write(stored, _encode(source))
        transaction.on_commit(lambda: convert_task.enqueue(key=key))
    return key, None, None


def pdf_view(request: HttpRequest, source: Source, filename: str, *, title: str, back: str) -> HttpResponseBase:
    """The PDF of `source` (a DOCX, or an `HtmlPdf`) as a download named `filename`, or the waiting
    page with its progress bar.

    `back` is where the user returns on failure (with the message) or from the waiting page.
    """
    key, ready, failed = request_pdf(source)
    deadline = time.monotonic() + WAIT_SECONDS
    while ready is None and failed is None and time.monotonic() < deadline and not request.headers.get("HX-Request"):
        time.sleep(0.1)
        key, ready, failed = request_pdf(source)
    if failed is not None:
        messages.error(request, failed)
        return redirect(back)
    if ready is not None:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = request.get_full_path()  # the browser now downloads the file
            return response
        handle = storage.open_for_download(ready)
        download = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
        download["Cache-Control"] = "private, no-store"
        return download
    template = "lib/_pdf_progress.html" if request.headers.get("HX-Request") else "lib/pdf_wait.html"
    context = {"title": title, "back": back, "url": request.get_full_path(), "progress": progress(key, source)}
    return render(request, template, context)

"""The certificates (Giấy khen) of a decision as one PDF, made by the background worker.

The clerk asks (`documents.services.certificates_request`), the worker's task
(`documents.tasks`) renders the pages in batches with WeasyPrint and joins them (`run`),
reporting how many are done through the shared cache (as the member import does: the
job's own writes are not visible until it ends), and the PDF is kept under
MEDIA_ROOT/private/ and served through a scoped view until anything printed on it
changes (`fingerprint`).
"""

import datetime
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import cast

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from hoiccb.awards.documents import decision_template
from hoiccb.awards.documents.models import CertificateJob, JobState
from hoiccb.awards.documents.selectors import achievement, job_of, recipients
from hoiccb.awards.rounds.models import Decision, Nomination
from hoiccb.lib.pdf import html_parts_to_pdf, html_pdf
from hoiccb.lib.word import date_line
from hoiccb.members.models import Gender

logger = logging.getLogger(__name__)

BATCH = 25  # certificates laid out per WeasyPrint pass: the bar moves every second or two
STALE_AFTER = datetime.timedelta(minutes=30)  # a job not finished by then is taken as lost (worker stopped)
PROGRESS_TIMEOUT = 6 * 3600
FAILED_MESSAGE = "Không in được giấy khen do lỗi hệ thống. Hãy bấm «In lại»; nếu vẫn lỗi, báo quản trị."


def fingerprint(decision: Decision, rows: Sequence[Nomination] | None = None) -> str:
    """A hash of everything a certificate shows, and of the certificate layout itself."""
    rows = recipients(decision) if rows is None else rows
    printed = {
        "decision": [
            decision.number,
            decision.issued_on.isoformat(),
            decision.signer,
            decision.signer_title,
            decision.place,
            decision.unit.name,
            decision.round.name,
            decision.form.name,
        ],
        "rows": [[n.pk, n.nominee_name, n.unit.name, honorific(n), achievement(n)] for n in rows],
        "layout": cast(DjangoTemplate, get_template("awards/certificates.html")).template.source,
    }
    return hashlib.sha256(json.dumps(printed, ensure_ascii=False).encode()).hexdigest()


# --- Progress, through the shared cache ------------------------------------------------------


def _key(job: CertificateJob) -> str:
    return f"certificates-progress:{job.pk}:{job.requested_at.timestamp()}"


def report(job: CertificateJob, done: int, label: str) -> None:
    cache.set(_key(job), {"done": done, "total": job.total, "label": label}, PROGRESS_TIMEOUT)


def progress(job: CertificateJob) -> dict:
    """Return {"done", "total", "label", "percent"} for the bar."""
    state = cache.get(_key(job)) or {"done": 0, "total": job.total, "label": "Đang chờ đến lượt xử lý…"}
    state["percent"] = min(100, round(100 * state["done"] / state["total"])) if state["total"] else None
    return state


# --- Whether the stored PDF is current --------------------------------------------------------


def is_stale(job: CertificateJob) -> bool:
    return job.is_busy and timezone.now() - job.requested_at > STALE_AFTER


def ready_file(decision: Decision, job: CertificateJob | None = None) -> CertificateJob | None:
    """The job whose stored PDF is current for the decision as it is now, else None."""
    job = job if job is not None else job_of(decision)
    if job is None or job.state != JobState.DONE or not job.file:
        return None
    if job.fingerprint != fingerprint(decision) or not job.file.storage.exists(job.file.name or ""):
        return None
    return job


# --- The worker's side ------------------------------------------------------------------------


def honorific(n: Nomination) -> str:
    """ "Ông" or "Bà" from the member's recorded gender; a collective has none."""
    if n.member is None:
        return ""
    return "Bà" if n.member.gender == Gender.FEMALE else "Ông"


def certificates_html(decision: Decision, rows: Sequence[Nomination] | None = None, start: int = 1) -> str:
    """The certificates of `rows` (all the decision's recipients by default); `start` numbers the first."""
    rows = recipients(decision) if rows is None else rows
    sign = decision_template.signature(decision)
    cards = [
        {
            "honorific": honorific(n),
            "name": n.nominee_name,
            "unit": n.unit.name,
            "achievement": achievement(n),
            "book": start + i,
        }
        for i, n in enumerate(rows)
    ]
    context = {
        "decision": decision,
        "cards": cards,
        "date_line": date_line(decision.place, decision.issued_on),
        "signer_lines": sign.lines,
        "signer": sign.name,
    }
    return render_to_string("awards/certificates.html", context)


def certificates_pdf(decision: Decision) -> bytes:
    """All the certificates in one WeasyPrint pass (the way it was done while the user waited)."""
    return html_pdf(certificates_html(decision))


def render_pdf(decision: Decision, rows: Sequence[Nomination], on_batch: Callable[[int], None] = lambda done: None):
    """Lay out the certificates `BATCH` at a time, then write all the pages as one PDF; returns its bytes."""
    starts = range(0, len(rows), BATCH)
    parts = [certificates_html(decision, rows[start : start + BATCH], start + 1) for start in starts]
    return html_parts_to_pdf(parts, lambda done: on_batch(min(len(rows), done * BATCH)))


def run(job_id: int) -> None:
    """Print a queued job and store the PDF; a failure leaves the job failed with a message to retry."""
    claimed = CertificateJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(state=JobState.RUNNING)
    if not claimed:
        return  # already taken, or replaced by a later request
    job = CertificateJob.objects.select_related("decision__round", "decision__unit", "decision__form").get(pk=job_id)
    decision = job.decision
    try:
        rows = recipients(decision)
        if not rows:
            raise ValidationError("Quyết định chưa có ai trong danh sách.")
        job.total = len(rows)
        pdf = render_pdf(decision, rows, lambda done: report(job, done, "Đang in giấy khen…"))
        report(job, len(rows), "Đang ghép các trang thành một tệp…")
        old = job.file.name if job.file else ""
        job.fingerprint = fingerprint(decision, rows)  # what was printed, should the decision have changed since
        job.file.save(f"giay-khen-{decision.pk}-{job.fingerprint[:12]}.pdf", ContentFile(pdf), save=False)
        job.state, job.finished_at = JobState.DONE, timezone.now()
        job.save(update_fields=["file", "fingerprint", "total", "state", "finished_at"])
        if old and old != job.file.name:
            job.file.storage.delete(old)
    except ValidationError as exc:
        _fail(job, exc.messages[0])
    except Exception:
        logger.exception("Certificates of decision %s failed", decision.pk)
        _fail(job, FAILED_MESSAGE)
        raise
    finally:
        cache.delete(_key(job))


def _fail(job: CertificateJob, message: str) -> None:
    CertificateJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, message=message[:255], finished_at=timezone.now()
    )

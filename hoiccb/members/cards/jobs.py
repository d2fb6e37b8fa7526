"""The worker's side of a card sheet: render in batches, report progress through the cache, store the PDF."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from hoiccb.members.cards import sheet
from hoiccb.members.cards.models import CardJob, CardJobState
from hoiccb.members.models import Member

logger = logging.getLogger(__name__)
PROGRESS_TIMEOUT = 6 * 3600


def _key(job: CardJob) -> str:
    return f"cards-progress:{job.pk}"


def report(job: CardJob, done: int, label: str) -> None:
    cache.set(_key(job), {"done": done, "total": job.total, "label": label}, PROGRESS_TIMEOUT)


def progress(job: CardJob) -> dict:
    """Return {"done", "total", "label", "percent"} for the bar."""
    state = cache.get(_key(job)) or {"done": 0, "total": job.total, "label": "Đang chờ đến lượt xử lý…"}
    state["percent"] = min(100, round(100 * state["done"] / state["total"])) if state["total"] else None
    return state


def members_of(job: CardJob) -> list[Member]:
    order = {pk: i for i, pk in enumerate(job.member_ids)}
    rows = Member.objects.filter(pk__in=job.member_ids).select_related("unit", "photo")
    return sorted(rows, key=lambda m: order[m.pk])


def run(job_id: int) -> None:
    """Print a queued job; a failure leaves it failed with a message to try again."""
    if not CardJob.objects.filter(pk=job_id, state=CardJobState.QUEUED).update(state=CardJobState.RUNNING):
        return
    job = CardJob.objects.get(pk=job_id)
    try:
        members = members_of(job)
        # After the last batch the pages are joined and written out: say so, the bar is full.
        pdf = sheet.render_pdf(
            members,
            job.base_url,
            lambda done: report(
                job, done, "Đang ghép các trang thành tệp PDF…" if done == job.total else "Đang in thẻ…"
            ),
        )
        job.file.save(f"the-hoi-vien-{job.pk}.pdf", ContentFile(pdf), save=False)
        job.state, job.finished_at = CardJobState.DONE, timezone.now()
        job.save(update_fields=["file", "state", "finished_at"])
        report(job, job.total, "Đã in xong.")
    except Exception:
        logger.exception("card sheet %s failed", job_id)
        job.state, job.message = (
            CardJobState.FAILED,
            "Không in được thẻ do lỗi hệ thống. Hãy in lại; nếu vẫn lỗi, báo quản trị.",
        )
        job.save(update_fields=["state", "message"])

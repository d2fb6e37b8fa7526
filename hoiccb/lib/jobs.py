"""Background jobs that recover when their worker dies.

django-tasks-db marks a job RUNNING when a worker claims it and only the same
worker ever marks it finished. A worker killed mid-job (out of memory, SIGKILL,
a reboot) leaves the job RUNNING for ever, and the object it was working on
(an import "Đang ghi vào sổ") stuck with it. So every worker started by our
``db_worker`` beats: it writes the time into the shared cache every
``JOB_HEARTBEAT_SECONDS``. The reaper (run by every worker when it starts, every
``JOB_REAP_SECONDS`` while it runs, and by ``manage.py reap_jobs``) marks failed
each RUNNING job whose worker has not beaten for ``JOB_WORKER_DEAD_AFTER_SECONDS``,
and hands it to the handler its app registered, which puts the owning object
back into a state the user can retry or abandon from.

The shared cache (files on one machine, Redis across machines: settings.CACHES) rather than the database holds
the beats: on SQLite a long job holds the write lock, and a heartbeat written to
the database would wait behind the very job it vouches for.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LOST_MESSAGE = "Tiến trình nền đã dừng đột ngột khi đang chạy việc này."

# task path ("hoiccb.members.imports.tasks.commit_import") → handler(kwargs of the job)
_handlers: dict[str, Callable[[dict[str, Any]], None]] = {}


class WorkerLost(Exception):
    """Recorded as the exception of a job whose worker died."""


def on_lost(task_path: str, handler: Callable[[dict[str, Any]], None]) -> None:
    """Register what to do with the object a job of `task_path` was working on when its worker died."""
    _handlers[task_path] = handler


def heartbeat_seconds() -> float:
    return float(getattr(settings, "JOB_HEARTBEAT_SECONDS", 10))


def dead_after_seconds() -> float:
    return float(getattr(settings, "JOB_WORKER_DEAD_AFTER_SECONDS", 60))


def _key(worker_id: str) -> str:
    return f"worker-heartbeat:{worker_id}"


LATEST_KEY = "worker-heartbeat:latest"


def beat(worker_id: str) -> None:
    """Record that the worker is alive now (and that some worker is: /readyz reads that)."""
    now = time.time()
    timeout = int(dead_after_seconds() * 10) + 60
    cache.set_many({_key(worker_id): now, LATEST_KEY: now}, timeout=timeout)


def latest_beat() -> float | None:
    """Return when any worker last beat (a Unix time), or None."""
    value = cache.get(LATEST_KEY)
    return float(value) if value is not None else None


def last_beat(worker_id: str) -> float | None:
    """Return when the worker last beat (a Unix time), or None if it never did (or long ago)."""
    value = cache.get(_key(worker_id))
    return float(value) if value is not None else None


def _is_lost(result: DBTaskResult, now: float) -> bool:
    worker = result.worker_ids[-1] if result.worker_ids else ""
    seen = last_beat(worker) if worker else None
    if seen is not None:
        return now - seen > dead_after_seconds()
    # No beat at all: a worker that never beat (an old one, or its beats expired).
    # Give it the same grace from the moment it claimed the job.
    started = result.started_at.timestamp() if result.started_at else 0.0
    return now - started > dead_after_seconds()


def reap_lost_jobs() -> list[str]:
    """Mark failed every running job whose worker is gone; return their ids.

    The owning object of each is put back by its app's handler (see `on_lost`).
    """
    now = time.time()
    reaped = []
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path", "args_kwargs"):
        if not _is_lost(result, now):
            continue
        # Only if still running: the worker may have finished it a moment ago.
        marked = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=LOST_MESSAGE,
        )
        if not marked:
            continue
        reaped.append(str(result.pk))
        logger.warning("Job %s (%s) lost its worker; marked failed.", result.pk, result.task_path)
        handler = _handlers.get(result.task_path)
        if handler is not None:
            try:
                handler(dict((result.args_kwargs or {}).get("kwargs") or {}))
            except Exception:
                logger.exception("Recovering after lost job %s failed", result.pk)
    return reaped


class Heartbeat(threading.Thread):
    """Beat for a worker every few seconds and reap lost jobs now and then, until stopped."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()
        self.reap_every = float(getattr(settings, "JOB_REAP_SECONDS", 60))

    def run(self) -> None:
        next_reap = time.monotonic() + self.reap_every
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker_id)
                    if time.monotonic() >= next_reap:
                        next_reap = time.monotonic() + self.reap_every
                        close_old_connections()
                        reap_lost_jobs()
                except Exception:
                    # A busy database or a full disk must not kill the beats of a live worker.
                    logger.exception("Heartbeat of worker %s", self.worker_id)
                self.stopped.wait(heartbeat_seconds())
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()

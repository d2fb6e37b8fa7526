"""/healthz (is the process alive) and /readyz (can it serve: database, replica, cache, storage, workers).

/healthz touches nothing and names nothing: a load balancer may call it every second and a
stranger learns only that something answers. /readyz runs each check and answers 503 when
the web process cannot serve (database, cache or storage down); a lagging replica or
silent workers are reported ("degraded") without taking the process out of rotation.
Strangers see each check's state only; a system administrator also sees the figures and
the errors.
"""

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from hoiccb.lib import jobs
from hoiccb.lib.deploy import REPLICA

OK, DEGRADED, FAILED = "ok", "degraded", "failed"

LAG_SQL = (
    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Nothing else is checked or told."""
    return JsonResponse({"status": OK})


def _database() -> tuple[str, str]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK, ""


def _replica() -> tuple[str, str]:
    with connections[REPLICA].cursor() as cursor:
        if connections[REPLICA].vendor != "postgresql":
            cursor.execute("SELECT 1")
            return OK, ""
        cursor.execute(LAG_SQL)
        lag = float(cursor.fetchone()[0])
    limit = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 30))
    return (OK if lag <= limit else DEGRADED), f"trễ {lag:.1f} s"


def _cache() -> tuple[str, str]:
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    seen = cache.get(key)
    cache.delete(key)
    return (OK, "") if seen == value else (FAILED, "ghi rồi đọc không thấy")


def _storage() -> tuple[str, str]:
    default_storage.exists("private/readyz")  # reaches the disk or the bucket, with its credentials
    return OK, ""


def _workers() -> tuple[str, str]:
    last = jobs.latest_beat()
    if last is None:
        return DEGRADED, "chưa có tiến trình nền nào báo còn chạy"
    age = time.time() - last
    return (OK if age <= jobs.dead_after_seconds() else DEGRADED), f"nhịp gần nhất {age:.0f} s trước"


CHECKS: dict[str, tuple[Callable[[], tuple[str, str]], bool]] = {
    # name: (check, whether the web process cannot serve without it)
    "database": (_database, True),
    "replica": (_replica, False),
    "cache": (_cache, True),
    "storage": (_storage, True),
    "workers": (_workers, False),
}


def run_checks() -> tuple[int, dict[str, dict[str, str]]]:
    """Run every check; return the HTTP status and each check's state and detail."""
    results: dict[str, dict[str, str]] = {}
    status = 200
    for name, (check, required) in CHECKS.items():
        if name == "replica" and REPLICA not in settings.DATABASES:
            continue
        try:
            state, detail = check()
        except Exception as exc:  # any failure of a dependency is a state to report, never a 500
            state, detail = (FAILED if required else DEGRADED), f"{type(exc).__name__}: {exc}"[:300]
        if state == FAILED:
            status = 503
        results[name] = {"status": state, "detail": detail}
    return status, results


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when this process can serve, 503 when not; each check's state."""
    code, results = run_checks()
    states = {r["status"] for r in results.values()}
    overall = FAILED if code != 200 else (DEGRADED if DEGRADED in states else OK)
    if not getattr(request.user, "is_superuser", False):
        results = {name: {"status": r["status"]} for name, r in results.items()}
    return JsonResponse({"status": overall, "checks": results}, status=code)

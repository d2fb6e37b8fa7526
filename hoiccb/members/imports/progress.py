"""How far a background import job has got, for the progress bar.

Kept in the shared cache, not in the import's row: the job runs in one
transaction, and nothing it writes to the database is visible until it ends.
"""

from django.core.cache import cache

from hoiccb.members.models import MemberImport

TIMEOUT = 6 * 3600


def _key(batch: MemberImport) -> str:
    # created_at makes the key unique even if a test database reuses an id.
    return f"import-progress:{batch.pk}:{batch.created_at.timestamp() if batch.created_at else 0}"


def report(batch: MemberImport, done: int, total: int, label: str) -> None:
    cache.set(_key(batch), {"done": done, "total": total, "label": label}, TIMEOUT)


def read(batch: MemberImport) -> dict:
    """Return {"done", "total", "label", "percent"} (percent is None while the total is unknown)."""
    state = cache.get(_key(batch)) or {"done": 0, "total": 0, "label": "Đang chờ đến lượt xử lý…"}
    total = state["total"]
    state["percent"] = min(100, round(100 * state["done"] / total)) if total else None
    return state


def clear(batch: MemberImport) -> None:
    cache.delete(_key(batch))

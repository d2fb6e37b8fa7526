"""Settings for more than one machine, read from URLs in the environment (settings.py calls these).

Each function returns the Django setting for its URL, or the one-machine default when the
URL is empty, so `make run` needs nothing new. Kept apart from settings.py so tests can
check the choices without reloading the settings module.
"""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url

REPLICA = "replica"


def cache_setting(url: str, *, default_dir: str) -> dict[str, Any]:
    """CACHES["default"]: Redis (Django's RedisCache) for redis:// or rediss:// URLs, else a folder of files.

    The cache carries job progress, worker heartbeats and the news token between processes:
    files are shared by the processes of one machine, Redis by every machine.
    """
    if not url:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": default_dir}
    scheme = urlsplit(url).scheme
    if scheme not in ("redis", "rediss", "unix"):
        raise ValueError(f"CACHE_URL must be redis://, rediss:// or unix://, not {scheme}://")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "hoiccb"}


def storage_setting(url: str) -> dict[str, Any]:
    """STORAGES["default"]: the local file system (MEDIA_ROOT), or with
    s3://KEY:SECRET@host:port/bucket?region=…&secure=0 a private bucket of an S3-compatible store.

    Files in the bucket are never public: a download goes through the app's scope check and
    is streamed from the store (querystring auth keeps any URL short-lived).
    """
    if not url:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ValueError(f"STORAGE_URL must be s3://…, not {parts.scheme}://")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    secure = query.get("secure", "1") not in ("0", "false", "no")
    options: dict[str, Any] = {
        "bucket_name": parts.path.strip("/"),
        "access_key": unquote(parts.username or ""),
        "secret_key": unquote(parts.password or ""),
        "region_name": query.get("region", "us-east-1"),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": int(query.get("expire", "300")),
        "file_overwrite": True,  # the app names its files itself (lib/storage.write)
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    if parts.hostname:
        port = f":{parts.port}" if parts.port else ""
        options["endpoint_url"] = f"{'https' if secure else 'http'}://{parts.hostname}{port}"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def pooled(database: dict[str, Any]) -> dict[str, Any]:
    """Adapt a PostgreSQL connection to PgBouncer in transaction mode (DATABASE_POOLER=1).

    Another client may get the server connection between two transactions, so nothing may
    outlive one: no server-side cursors (.iterator() would use a named cursor) and no prepared
    statements (psycopg prepares a query run five times; prepare_threshold=None never does).
    """
    database["DISABLE_SERVER_SIDE_CURSORS"] = True
    database.setdefault("OPTIONS", {})["prepare_threshold"] = None
    return database


def replica_setting(url: str, primary: dict[str, Any], *, pooler: bool) -> dict[str, Any] | None:
    """DATABASES["replica"] for DATABASE_REPLICA_URL, or None. Tests use the primary (TEST MIRROR)."""
    if not url:
        return None
    replica: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=primary.get("CONN_MAX_AGE", 0), conn_health_checks=True)
    )
    replica["TEST"] = {"MIRROR": "default"}
    if replica.get("ENGINE", "").endswith("postgresql"):
        # A replica whose machine is gone must fail fast: its pages then read the primary (replica.py).
        replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    return pooled(replica) if pooler else replica

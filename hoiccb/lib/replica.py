"""A read replica for heavy read-only pages, without ever showing a user a page older than their own write.

With DATABASE_REPLICA_URL set (hoiccb/lib/deploy.py), settings install `ReplicaRouter` and
`ReplicaMiddleware`. Writes, migrations and every read of an ordinary page go to the primary.
A view marked `@reads_from_replica` (dashboard, roll-up, exports, public news) reads from the
replica when the request is a GET or HEAD and the browser carries no pin cookie. Any other
request (a POST that saved something) sets that cookie for REPLICA_PIN_SECONDS, so the same
user's next pages read from the primary until the replica has surely caught up. Background
jobs never read from the replica: the flag lives only for the duration of a marked view.
A replica that does not answer is skipped for REPLICA_DOWN_SECONDS: its pages read the
primary meanwhile (slower, never an error page), and /readyz says the replica is down.
"""

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase

from hoiccb.lib.deploy import REPLICA

PIN_COOKIE = "hoiccb_primary"
SAFE_METHODS = ("GET", "HEAD")

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)
_down_until = 0.0  # time.monotonic() before which this process does not try the replica again
logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])


def reads_from_replica(view: View) -> View:
    """Mark a read-only view whose queries may go to the replica."""
    view.reads_from_replica = True  # type: ignore[attr-defined]
    return view


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "REPLICA_PIN_SECONDS", 30))


def use_replica(request: HttpRequest, view: Callable[..., Any]) -> bool:
    """Whether this request's reads may go to the replica."""
    return (
        replica_configured()
        and getattr(view, "reads_from_replica", False)
        and request.method in SAFE_METHODS
        and PIN_COOKIE not in request.COOKIES
    )


def _replica_connection():
    return connections[REPLICA]


def replica_answers() -> bool:
    """Whether the replica can serve this request; a failure sets it aside for a while.

    Checked before the view runs, so a replica that went away costs one failed connection
    every REPLICA_DOWN_SECONDS, and its pages are read from the primary instead of failing.
    """
    global _down_until
    if time.monotonic() < _down_until:
        return False
    connection = _replica_connection()
    try:
        connection.close_if_health_check_failed()  # a kept connection to a replica that restarted
        connection.ensure_connection()
    except DatabaseError:
        seconds = int(getattr(settings, "REPLICA_DOWN_SECONDS", 30))
        _down_until = time.monotonic() + seconds
        logger.warning("Bản sao CSDL không trả lời: các trang đọc CSDL chính trong %s giây.", seconds)
        return False
    return True


def read_alias() -> str:
    """The database the current code reads from (the router's answer)."""
    return REPLICA if _reading_replica.get() else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads go where `read_alias` says; writes, relations and migrations stay on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: objects from either belong together

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Turns replica reads on for marked views, and pins a browser to the primary after it writes.

    Goes last in MIDDLEWARE: the session and the user are read from the primary before
    `process_view` turns the replica on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _reading_replica.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if use_replica(request, view_func) and replica_answers():
            request._replica_token = _reading_replica.set(True)  # type: ignore[attr-defined]

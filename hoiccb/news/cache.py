"""A page cache for the public news pages that can never show what the public may not see.

A cached page is keyed by the URL and the public-state token (changed by every publish,
withdraw or edit of a published article), and expires at the latest when the next
scheduled article becomes due, so scheduled publication appears on time.
Only visitors without a session or pending messages get cached pages.

The token itself is read from the database at most once every NEWS_CACHE_CHECK_SECONDS
(1 s) per cache: a cached page then costs no database connection at all. The process
that publishes forgets the token at once; other processes follow within that second
(at once too when the default cache is shared between processes: files, Redis).
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils import timezone

from hoiccb.news import selectors

CACHE_ALIAS = "default"
TOKEN_KEY = "news-state-token"  # noqa: S105 - a cache key, not a secret


def current_token() -> str:
    """Return the public-state token, from the cache when it was read less than a check interval ago."""
    cache = caches[CACHE_ALIAS]
    token = cache.get(TOKEN_KEY)
    if token is None:
        token = selectors.public_state_token()
        cache.set(TOKEN_KEY, token, getattr(settings, "NEWS_CACHE_CHECK_SECONDS", 1.0))
    return token


def forget_token() -> None:
    caches[CACHE_ALIAS].delete(TOKEN_KEY)


def public_cache(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = getattr(settings, "NEWS_CACHE_SECONDS", 30)
        cookies = request.COOKIES
        if seconds <= 0 or request.method != "GET" or settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return view(request, *args, **kwargs)
        cache = caches[CACHE_ALIAS]
        # The pages depend on the path and the page cursor only: other query parameters
        # (?utm_source=…) share the entry instead of forcing a fresh render each.
        variant = f"{request.path}?sau={request.GET.get('sau', '')}"
        path = hashlib.blake2b(variant.encode(), digest_size=16).hexdigest()
        key = f"news-page:{path}:{current_token()}"
        now = time.time()
        hit = cache.get(key)
        if hit is not None and hit[0] > now:
            response = HttpResponse(hit[1], content_type=hit[2], status=hit[3])
            response["X-News-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            until = now + seconds
            due = selectors.next_scheduled_time(timezone.now())
            if due is not None:
                until = min(until, due.timestamp())
            if until > now:
                cache.set(
                    key, (until, response.content, response["Content-Type"], response.status_code), int(until - now) + 1
                )
        return response

    return wrapper

"""The idle clock of a session: when its user last did something.

Started at the login (so the first page after it writes nothing extra) and moved on by
accounts.middleware.IdleTimeoutMiddleware at most every TOUCH_SECONDS, so that a busy
clerk's pages do not each rewrite the session.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LAST_SEEN = "hoiccb_last_seen"
TOUCH_SECONDS = 120


@receiver(user_logged_in, dispatch_uid="hoiccb.accounts.idle.start")
def start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())

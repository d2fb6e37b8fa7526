"""Login throttling beyond django-axes' (username, address) lock.

- Per address: one address that fails LOGIN_IP_FAILURE_LIMIT times in LOGIN_IP_WINDOW_MINUTES
  (any usernames) is refused until its failures age out of the window; this stops one
  machine trying many usernames.
- Per username: a username that fails LOGIN_USERNAME_FAILURE_LIMIT times in
  LOGIN_USERNAME_WINDOW_MINUTES from any addresses is refused for the rest of that short
  window, and never at an address from which that login has recently succeeded. So a stranger
  can slow a guessing run against `admin` but cannot lock the real `admin` out for long.

Both read axes' failure log (AXES_ENABLE_ACCESS_FAILURE_LOG); a refused attempt is not a
failure, so refusals do not prolong themselves.
"""

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from hoiccb.lib.http import client_ip

KNOWN_ADDRESS_DAYS = 30


def refusal(request: HttpRequest, username: str) -> str | None:
    """Return why a login attempt must be refused now (Vietnamese), or None to let it through."""
    now = timezone.now()
    address = client_ip(request)
    if address is not None:
        window = datetime.timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES)
        failures = AccessFailureLog.objects.filter(ip_address=address, attempt_time__gte=now - window).count()
        if failures >= settings.LOGIN_IP_FAILURE_LIMIT:
            return (
                "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này. "
                f"Vui lòng thử lại sau {settings.LOGIN_IP_WINDOW_MINUTES} phút."
            )
    if username:
        window = datetime.timedelta(minutes=settings.LOGIN_USERNAME_WINDOW_MINUTES)
        # Tries made while axes already locked their (username, address) pair do not count: one
        # address alone cannot reach this limit.
        failures = AccessFailureLog.objects.filter(
            username=username, attempt_time__gte=now - window, locked_out=False
        ).count()
        if failures >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
            known = address is not None and (
                AccessLog.objects.filter(
                    username=username,
                    ip_address=address,
                    attempt_time__gte=now - datetime.timedelta(days=KNOWN_ADDRESS_DAYS),
                ).exists()
            )
            if not known:
                return (
                    "Tài khoản này vừa bị thử sai mật khẩu nhiều lần. "
                    f"Vui lòng thử lại sau {settings.LOGIN_USERNAME_WINDOW_MINUTES} phút."
                )
    return None

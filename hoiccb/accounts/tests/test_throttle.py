"""Login throttling: per (username, address) by axes, per address and per username by accounts.throttle.

The address is the client's behind a trusted proxy, so one attacker behind the proxy does
not lock everybody out, and a stranger cannot lock `admin` out for long.
"""

import datetime

import pytest
from axes.models import AccessFailureLog

from hoiccb.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_IP_FAILURE_LIMIT = 8
    settings.LOGIN_IP_WINDOW_MINUTES = 15
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    settings.LOGIN_USERNAME_WINDOW_MINUTES = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1"]


def _post(client, username, password, address):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
    )


def test_one_address_cannot_try_many_usernames(client, cast, settings):
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        response = _post(client, f"nguoi{n}", "sai", "198.51.100.1")
        assert "không đúng" in response.content.decode()
    response = _post(client, "coso1", PASSWORD, "198.51.100.1")
    assert response.status_code == 200
    assert "quá nhiều lần đăng nhập sai từ địa chỉ mạng này" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert _post(client, "coso1", PASSWORD, "203.0.113.5").status_code == 302


def test_behind_the_proxy_one_attackers_lock_is_not_everybodys(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "coso1", "sai", "198.51.100.1")
    assert _post(client, "coso1", PASSWORD, "198.51.100.1").status_code == 429
    # The real coso1 comes through the same proxy from another address.
    assert _post(client, "coso1", PASSWORD, "203.0.113.5").status_code == 302
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_a_stranger_cannot_lock_admin_out_for_long(client, cast, settings):
    # The real admin logged in from the office before.
    assert _post(client, "admin", PASSWORD, "203.0.113.5").status_code == 302
    client.logout()
    # Strangers from many addresses guess admin's password, two tries each.
    for n in range(settings.LOGIN_USERNAME_FAILURE_LIMIT // 2):
        for _ in range(2):
            _post(client, "admin", "sai", f"198.51.100.{n + 10}")
    stranger = _post(client, "admin", PASSWORD, "198.51.100.99")
    assert "vừa bị thử sai mật khẩu nhiều lần" in stranger.content.decode()
    assert "_auth_user_id" not in client.session
    # The real admin, at an address where they logged in before, still gets in.
    assert _post(client, "admin", PASSWORD, "203.0.113.5").status_code == 302
    client.logout()
    # And for anyone else the refusal ends with the short window.
    earlier = datetime.timedelta(minutes=settings.LOGIN_USERNAME_WINDOW_MINUTES, seconds=1)
    for failure in AccessFailureLog.objects.all():
        AccessFailureLog.objects.filter(pk=failure.pk).update(attempt_time=failure.attempt_time - earlier)
    assert _post(client, "admin", PASSWORD, "198.51.100.99").status_code == 302


def test_the_admin_login_is_throttled_too_and_stays_for_staff(client, cast, settings):
    for n in range(settings.LOGIN_IP_FAILURE_LIMIT):
        _post(client, f"nguoi{n}", "sai", "198.51.100.1")
    response = client.post(
        "/quan-tri/login/",
        {"username": "admin", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert "quá nhiều lần đăng nhập sai" in response.content.decode() and "_auth_user_id" not in client.session
    response = client.post(
        "/quan-tri/login/",
        {"username": "coso1", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert response.status_code == 200 and "_auth_user_id" not in client.session

"""Two-step login: required for roles that see sensitive data, optional for the rest, reset by an administrator.

The suite runs with OTP_REQUIRED_FOR_SENSITIVE off (DEBUG=1); these tests turn it on and go
through the real pages: password, enrolment with a code computed from the shown key, recovery
codes, the second step at the next login.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoiccb.accounts.models import Role, UserEvent
from hoiccb.conftest import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_SENSITIVE = True


def _login(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, drift=drift):06d}"


def _past_back_off(user) -> None:
    """Move the last wrong try back in time instead of sleeping through the back-off."""
    earlier = timezone.now() - datetime.timedelta(minutes=10)
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).exclude(throttling_failure_timestamp=None).update(
            throttling_failure_timestamp=earlier
        )


def _enrol(client) -> list[str]:
    page = client.get(reverse("accounts:second_factor"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    # The key shown for typing by hand is the device's key.
    import base64

    shown = page.context["key"].replace(" ", "")
    assert base64.b32decode(shown + "=" * (-len(shown) % 8)) == device.bin_key
    response = client.post(reverse("accounts:second_factor"), {"token": "000000" if _code(device) != "000000" else "1"})
    assert "Mã xác thực không đúng" in response.content.decode()
    response = client.post(reverse("accounts:second_factor"), {"token": _code(device)})
    assert response.status_code == 200
    return list(response.context["codes"])


def test_a_sensitive_role_must_enrol_then_pass_the_second_step(client, cast, required):
    _login(client, "coso1")
    # Every page sends the officer to enrolment first; nothing of the app is shown.
    response = client.get("/hoi-vien/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/hai-buoc/")
    codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert UserEvent.objects.filter(user=cast["coso1"], action="otp_enrolled").exists()
    assert client.get("/hoi-vien/").status_code == 200
    # Next login: the password alone opens nothing.
    client.post("/accounts/logout/")
    _login(client, "coso1")
    response = client.get("/hoi-vien/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc/")
    assert client.get("/tai-khoan/").status_code == 302
    # Nor can the password alone enrol a new app in place of the old one.
    response = client.get(reverse("accounts:second_factor"))
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/xac-thuc/")
    assert client.post(reverse("accounts:second_factor"), {"token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=cast["coso1"]).count() == 1
    response = client.post(reverse("accounts:verify"), {"token": "12345678", "next": "/hoi-vien/"})
    assert response.status_code == 200 and "không đúng" in response.content.decode()
    # Wrong codes slow the next tries down (exponential back-off), even with a right code.
    response = client.post(reverse("accounts:verify"), {"token": codes[0], "next": "/hoi-vien/"})
    assert "Vui lòng đợi" in response.content.decode()
    _past_back_off(cast["coso1"])
    # A recovery code works once.
    response = client.post(reverse("accounts:verify"), {"token": codes[0], "next": "/hoi-vien/"})
    assert response.status_code == 302 and response["Location"] == "/hoi-vien/"
    assert client.get("/hoi-vien/").status_code == 200
    client.post("/accounts/logout/")
    _login(client, "coso1")
    _past_back_off(cast["coso1"])  # the app device counted the recovery code as a wrong code
    response = client.post(reverse("accounts:verify"), {"token": codes[0]})
    assert response.status_code == 200 and "không đúng" in response.content.decode()
    _past_back_off(cast["coso1"])
    assert StaticToken.objects.filter(device__user=cast["coso1"]).count() == 9
    # The app's next code does.
    device = TOTPDevice.objects.get(user=cast["coso1"], confirmed=True)
    response = client.post(reverse("accounts:verify"), {"token": _code(device, drift=1), "next": "//evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_role_without_sensitive_data_may_enrol_and_is_then_asked(client, cast, required):
    _login(client, "uyvien")
    assert client.get("/hoi-vien/").status_code == 200
    _enrol(client)
    client.post("/accounts/logout/")
    _login(client, "uyvien")
    assert client.get("/hoi-vien/").status_code == 302


def test_the_second_step_is_off_for_the_demo_and_the_tests_but_on_in_production(cast, settings, tmp_path):
    assert settings.OTP_REQUIRED_FOR_SENSITIVE is False
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "OTP_REQUIRED")},
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    code = "from django.conf import settings as s; print(s.OTP_REQUIRED_FOR_SENSITIVE, s.SENSITIVE_IDLE_SECONDS)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.splitlines()[-1].split() == ["True", "1800"], result.stdout + result.stderr


def test_an_administrator_resets_a_second_factor_below_them_only(client, cast, tree, settings):
    officer = cast["coso1"]
    _login(client, "coso1")
    _enrol(client)
    client.post("/accounts/logout/")
    url = reverse("accounts:second_factor_reset", args=[officer.pk])
    # A peer officer cannot, nor an administrator over a peer administrator.
    client.force_login(cast["coso2"])
    assert client.post(url).status_code == 404
    admin_a = make_user("quantri_a", tree["unit_a"], Role.ADMIN)
    other = make_user("quantri_a2", tree["unit_a"], Role.ADMIN)
    client.force_login(admin_a)
    assert client.post(reverse("accounts:second_factor_reset", args=[other.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=officer).exists()
    # Where the second step is required, the administrator must pass their own first.
    settings.OTP_REQUIRED_FOR_SENSITIVE = True
    assert client.post(url).status_code == 302 and TOTPDevice.objects.filter(user=officer).exists()
    settings.OTP_REQUIRED_FOR_SENSITIVE = False
    page = client.get(reverse("accounts:edit", args=[officer.pk])).content.decode()
    assert "Đặt lại đăng nhập hai bước" in page
    assert client.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticToken.objects.filter(device__user=officer).exists()
    event = UserEvent.objects.get(user=officer, action="otp_reset")
    assert event.actor == admin_a
    # The officer enrols again at the next login.
    settings.OTP_REQUIRED_FOR_SENSITIVE = True
    client.force_login(officer)
    assert client.get("/").headers["Location"].startswith("/tai-khoan/hai-buoc/")

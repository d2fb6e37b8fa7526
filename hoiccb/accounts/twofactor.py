"""Two-step login: a TOTP app (Google Authenticator, Microsoft Authenticator, ...) plus recovery codes.

Who must use it, enrolment, and an administrator's reset. Devices are django-otp's: one
TOTPDevice for the app and one StaticDevice holding the single-use recovery codes.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User, UserEvent, UserEventAction
from hoiccb.org.audit import record

APP_DEVICE = "Ứng dụng xác thực"
RECOVERY_DEVICE = "Mã dự phòng"
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng."


def is_sensitive(user: User) -> bool:
    """Whether the user sees sensitive member data (CCCD, party, health, policy) or enters Django's admin."""
    return bool(user.is_authenticated and (scoping.can(user, "sensitive") or user.is_staff or user.is_superuser))


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second step (django-otp's middleware tells it on request.user)."""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def is_required(user: User) -> bool:
    """Whether this login must pass the second step: it enrolled, or its role requires it."""
    if not user.is_authenticated:
        return False
    if settings.OTP_REQUIRED_FOR_SENSITIVE and is_sensitive(user):
        return True
    return user_has_device(user)


def has_app(user: User) -> bool:
    """Whether the user has a confirmed authenticator app (else a required second step starts with enrolment)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def wait_seconds(user: User) -> int:
    """Return how long the user must wait before the next code is checked (0: now), after wrong codes."""
    from django.utils import timezone

    waits = [0]
    for device in devices_for_user(user):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return max(waits)


def pending_device(user: User) -> TOTPDevice:
    """Return the user's unconfirmed app device, created on first call: the enrolment page shows its key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """Return the device's secret in base32 groups of four, for typing into an app by hand."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """Return the otpauth:// link of the device as an inline SVG QR code (no script, no external image)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@transaction.atomic
def enrol_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the user's new app device with a code from it; returns the new recovery codes (shown once).

    An earlier app device and earlier recovery codes of the user stop working.
    """
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied("Thiết bị không hợp lệ.")
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError({"token": WRONG_CODE})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    record(
        UserEvent,
        actor=user,
        action=UserEventAction.OTP_ENROLLED,
        summary=f"Bật đăng nhập hai bước cho tài khoản {user.username}",
        user=user,
    )
    return codes


@transaction.atomic
def reset(*, actor: User, user: User) -> None:
    """Remove a login's second factor (lost phone): it enrols again at its next login. Audited."""
    if not scoping.manageable_users(actor).filter(pk=user.pk).exists():
        raise PermissionDenied("Bạn không được đặt lại đăng nhập hai bước của tài khoản này.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        UserEvent,
        actor=actor,
        action=UserEventAction.OTP_RESET,
        summary=f"Đặt lại đăng nhập hai bước của tài khoản {user.username}",
        user=user,
    )

"""Writes of logins: each checks the actor's right over the unit, validates, saves and leaves a UserEvent.

A password is set with `set_password` and never reaches the audit row: the row says
that it changed, not what to or from.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import Role, User, UserEvent, UserEventAction
from hoiccb.lib.audit import diff, snapshot
from hoiccb.org.audit import record
from hoiccb.org.models import Unit

# What an account's history shows, as {label: [before, after]}; never the password.
AUDITED_FIELDS = ("username", "full_name", "email", "role", "unit", "is_active")
EDITABLE_FIELDS = frozenset({"username", "full_name", "email", "role", "is_active"})
OUT_OF_SCOPE = "Bạn không có quyền quản lý tài khoản ở đơn vị này."


ABOVE_OR_EQUAL = "Chỉ được giao vai trò thấp hơn vai trò của bạn, hoặc tài khoản ở đơn vị cấp dưới."
NOT_MANAGEABLE = "Bạn không được sửa tài khoản này (ngang hoặc cao hơn bạn, hoặc tài khoản quản trị hệ thống)."


def _check(actor: User, unit: Unit | None, role: object = None) -> None:
    """Refuse a login outside the actor's subtree, or one that would stand level with or above them."""
    if not (scoping.can(actor, "manage_users") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied(OUT_OF_SCOPE)
    if not scoping.is_below(actor, unit, str(role or Role.VIEWER)):
        raise PermissionDenied(ABOVE_OR_EQUAL)


def _set_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


@transaction.atomic
def user_create(*, actor: User, unit: Unit, password: str, one_time: bool = False, **fields: object) -> User:
    """Create a login attached to `unit` (inside the actor's subtree); returns it.

    one_time: the password is mailed to the owner, who must replace it at the first login.
    """
    _check(actor, unit, fields.get("role"))
    unknown = fields.keys() - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    user = User(unit=unit, must_change_password=one_time, **fields)
    _set_password(user, password)
    user.full_clean()
    user.save()
    blank = dict.fromkeys(AUDITED_FIELDS, "")
    record(
        UserEvent,
        actor=actor,
        action=UserEventAction.CREATED,
        summary=f"Tạo tài khoản {user.username}",
        changes=diff(blank, snapshot(user, AUDITED_FIELDS), User),
        user=user,
    )
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, unit: Unit, password: str = "", **fields: object) -> User:
    """Change a login's details, role, unit or rights, and its password when one is given; returns it.

    Both the login's current unit and its new one must lie in the actor's subtree.
    """
    # Read the stored row: a bound ModelForm has already written the new values onto `user`.
    current = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if not scoping.manageable_users(actor).filter(pk=current.pk).exists():
        raise PermissionDenied(NOT_MANAGEABLE)
    _check(actor, unit, fields.get("role", current.role))
    unknown = fields.keys() - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not settable here: {', '.join(sorted(unknown))}")
    before = snapshot(current, AUDITED_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    current.unit = unit
    if password:
        _set_password(current, password)
    current.full_clean()
    current.save()
    changes = diff(before, snapshot(current, AUDITED_FIELDS), User)
    if changes:
        record(
            UserEvent,
            actor=actor,
            action=UserEventAction.UPDATED,
            summary=f"Sửa tài khoản {current.username}",
            changes=changes,
            user=current,
        )
    if password:
        record(
            UserEvent,
            actor=actor,
            action=UserEventAction.PASSWORD_SET,
            summary=f"Đặt lại mật khẩu tài khoản {current.username}",
            user=current,
        )
    return current


@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The owner replaces their password (the one-time one first): checked against the old one
    and the password rules; lifts `must_change_password`; returns the user."""
    current = User.objects.select_for_update().get(pk=user.pk)
    if not current.check_password(old_password):
        raise ValidationError({"old_password": "Mật khẩu hiện tại không đúng."})
    if new_password == old_password:
        raise ValidationError({"new_password1": "Mật khẩu mới phải khác mật khẩu hiện tại."})
    try:
        validate_password(new_password, current)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    current.set_password(new_password)
    current.must_change_password = False
    current.save(update_fields=["password", "must_change_password"])
    record(
        UserEvent,
        actor=current,
        action=UserEventAction.PASSWORD_CHANGED,
        summary=f"Tài khoản {current.username} tự đổi mật khẩu",
        user=current,
    )
    return current

"""Creating and changing a login leaves a UserEvent: who, what, role and unit before → after, never a password."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hoiccb.accounts import services
from hoiccb.accounts.models import Role, User, UserEvent
from hoiccb.conftest import make_user

NEW_PASSWORD = "mot-mat-khau-dai-2024"


def _form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "role": user.role,
        "unit": user.unit_id,
        "is_active": "on" if user.is_active else "",
        "password": "",
    }
    return {**data, **changes}


def _no_secret(event: UserEvent, user: User) -> None:
    stored = json.dumps(event.changes, ensure_ascii=False) + event.summary
    assert user.password and user.password not in stored
    assert NEW_PASSWORD not in stored and "argon2" not in stored.lower() and "mật khẩu" not in json.dumps(event.changes)


def test_creating_a_login_is_audited_without_its_password(client, cast, tree):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "thuky",
            "full_name": "Thư ký",
            "role": Role.OFFICER,
            "unit": tree["unit_b"].pk,
            "password": NEW_PASSWORD,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="thuky")
    assert user.check_password(NEW_PASSWORD)
    event = UserEvent.objects.get(user=user)
    assert (event.actor, event.action) == (cast["admin"], "created")
    assert event.changes["Vai trò"] == ["", "Cán bộ đơn vị"]
    assert event.changes["Đơn vị"] == ["", "Hội CCB Sở Y tế"]
    assert event.unit_path == tree["unit_b"].path
    _no_secret(event, user)


def test_changing_a_role_and_unit_is_audited_and_shown_on_the_account_page(client, cast, tree):
    client.force_login(cast["admin"])
    target = cast["coso2"]
    response = client.post(
        reverse("accounts:edit", args=[target.pk]), _form(target, role=Role.VIEWER, unit=tree["unit_a"].pk)
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.unit) == (Role.VIEWER, tree["unit_a"])
    event = UserEvent.objects.get(user=target)
    assert (event.actor, event.action) == (cast["admin"], "updated")
    assert event.changes == {
        "Vai trò": ["Cán bộ đơn vị", "Chỉ xem"],
        "Đơn vị": ["Hội CCB Sở Y tế", "Hội CCB Sở Tài chính"],
    }
    assert event.unit_path == tree["unit_a"].path
    page = client.get(reverse("accounts:edit", args=[target.pk])).content.decode()
    assert "Nhật ký tài khoản" in page and "Sửa tài khoản" in page
    assert "Cán bộ đơn vị → Chỉ xem" in page


def test_a_new_password_is_audited_as_a_fact_not_a_value(client, cast):
    client.force_login(cast["admin"])
    target = cast["coso2"]
    response = client.post(reverse("accounts:edit", args=[target.pk]), _form(target, password=NEW_PASSWORD))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    # Only the password changed: one row saying so, with no values.
    event = UserEvent.objects.get(user=target)
    assert (event.action, event.changes) == ("password_set", {})
    _no_secret(event, target)


def test_saving_without_a_change_writes_no_row(client, cast):
    client.force_login(cast["admin"])
    target = cast["coso2"]
    assert client.post(reverse("accounts:edit", args=[target.pk]), _form(target)).status_code == 302
    assert not UserEvent.objects.filter(user=target).exists()


def test_chair_of_a_sibling_unit_cannot_open_or_change_another_units_login(client, cast, tree):
    target = cast["coso2"]
    # The chair of unit A (an officer) cannot manage logins at all.
    client.force_login(cast["coso1"])
    assert client.get(reverse("accounts:edit", args=[target.pk])).status_code == 404
    # A login administrator attached to unit A sees its own subtree only.
    local_admin = make_user("quantri_a", tree["unit_a"], Role.ADMIN)
    client.force_login(local_admin)
    assert client.get(reverse("accounts:edit", args=[target.pk])).status_code == 404
    response = client.post(reverse("accounts:edit", args=[target.pk]), _form(target, role=Role.ADMIN))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.user_update(actor=local_admin, user=target, unit=tree["unit_a"], role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.user_create(actor=local_admin, unit=tree["unit_b"], password=NEW_PASSWORD, username="la")
    target.refresh_from_db()
    assert (target.role, target.unit) == (Role.OFFICER, tree["unit_b"])
    assert not UserEvent.objects.exists()

"""User administration cannot climb: an administrator manages only logins strictly below them.

Strictly below: a unit under theirs, or a lower role in their own unit. Superusers and staff
(who enter Django's admin) are never editable from the app, whatever unit they hang under.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from hoiccb.accounts import services
from hoiccb.accounts.models import Role, User, UserEvent
from hoiccb.conftest import PASSWORD, make_user

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


@pytest.fixture
def local(tree):
    """An administrator of unit A's subtree, and the logins around them."""
    return {
        "admin_a": make_user("quantri_a", tree["unit_a"], Role.ADMIN),
        "peer_a": make_user("quantri_a2", tree["unit_a"], Role.ADMIN),
        "officer_a": make_user("canbo_a", tree["unit_a"], Role.OFFICER),
        "admin_branch": make_user("quantri_a1", tree["branch_a"], Role.ADMIN),
        "root_in_branch": make_user("sieuquantri", tree["branch_a"], Role.VIEWER, is_superuser=True),
        "staff_in_branch": make_user("nhanvien", tree["branch_a"], Role.VIEWER, is_staff=True),
    }


def test_a_subtree_admin_cannot_reset_a_superusers_password(client, local):
    target = local["root_in_branch"]
    client.force_login(local["admin_a"])
    url = reverse("accounts:edit", args=[target.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(target, password=NEW_PASSWORD)).status_code == 404
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and target.is_superuser
    with pytest.raises(PermissionDenied):
        services.user_update(actor=local["admin_a"], user=target, unit=target.unit, password=NEW_PASSWORD)
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    staff = local["staff_in_branch"]
    response = client.post(reverse("accounts:edit", args=[staff.pk]), _form(staff, password=NEW_PASSWORD))
    assert response.status_code == 404
    assert not UserEvent.objects.exists()


def test_the_list_shows_only_logins_strictly_below(client, local, cast):
    client.force_login(local["admin_a"])
    page = client.get(reverse("accounts:list")).content.decode()
    for shown in ("canbo_a", "quantri_a1"):
        assert f">{shown}<" in page or shown in page
    for hidden in ("quantri_a2", "sieuquantri", "nhanvien", "coso2", "khoi"):
        assert hidden not in page, hidden


def test_a_peer_or_oneself_is_not_editable_but_a_lower_role_and_a_lower_unit_are(client, local, tree):
    admin_a = local["admin_a"]
    client.force_login(admin_a)
    for target in (local["peer_a"], admin_a):
        url = reverse("accounts:edit", args=[target.pk])
        assert client.post(url, _form(target, is_active="")).status_code == 404
        target.refresh_from_db()
        assert target.is_active
    # A lower role in the same unit, and an administrator of a unit below, are editable.
    for target in (local["officer_a"], local["admin_branch"]):
        response = client.post(reverse("accounts:edit", args=[target.pk]), _form(target, is_active=""))
        assert response.status_code == 302
        target.refresh_from_db()
        assert not target.is_active
        event = UserEvent.objects.get(user=target)
        assert (event.actor, event.action) == (admin_a, "updated")
        assert event.changes == {"Kích hoạt": ["Có", "Không"]}


def test_no_one_is_raised_to_the_admins_level_or_above(client, local, tree):
    admin_a = local["admin_a"]
    client.force_login(admin_a)
    officer = local["officer_a"]
    response = client.post(reverse("accounts:edit", args=[officer.pk]), _form(officer, role=Role.ADMIN))
    assert response.status_code == 200
    assert "vai trò thấp hơn" in response.content.decode()
    officer.refresh_from_db()
    assert officer.role == Role.OFFICER
    response = client.post(
        reverse("accounts:create"),
        {"username": "moi", "role": Role.ADMIN, "unit": tree["unit_a"].pk, "password": NEW_PASSWORD, "is_active": "on"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="moi").exists()
    # An administrator of the branch below is fine.
    response = client.post(
        reverse("accounts:create"),
        {"username": "moi", "role": Role.ADMIN, "unit": tree["branch_a"].pk, "password": NEW_PASSWORD},
    )
    assert response.status_code == 302 and User.objects.get(username="moi").role == Role.ADMIN
    assert not UserEvent.objects.filter(user=officer).exists()

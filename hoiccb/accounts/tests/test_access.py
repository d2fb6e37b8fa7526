import json

from django.urls import reverse

from hoiccb.accounts.models import Role, User
from hoiccb.conftest import PASSWORD


def test_healthz_is_public_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload == {"status": "ok"}  # a liveness check names no vendor (see lib/tests/test_deploy.py)


def test_every_page_but_login_and_healthz_needs_login(client, db):
    for url in ("/", "/don-vi/", "/hoi-vien/", "/hoi-vien/1/", "/tai-khoan/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200


def test_login_page_is_vietnamese_and_logs_in(client, cast):
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in page and 'lang="vi"' in page
    response = client.post("/accounts/login/", {"username": "coso1", "password": PASSWORD})
    assert response.status_code == 302
    assert "Hội CCB Sở Tài chính" in client.get("/").content.decode()


def test_login_is_throttled_after_repeated_failures(client, cast, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "coso1", "password": "sai"})
        assert "không đúng" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "coso1", "password": "sai"}).status_code == 429
    # Even the right password is refused while the lock lasts.
    response = client.post("/accounts/login/", {"username": "coso1", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from hoiccb import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_admin_manages_users_in_own_subtree_only(client, cast, tree):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("accounts:create"),
        {
            "username": "thuky",
            "full_name": "Thư ký",
            "role": Role.OFFICER,
            "unit": tree["unit_b"].pk,
            "password": "mot-mat-khau-dai-2024",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="thuky").unit == tree["unit_b"]
    # Officers cannot manage users at all.
    client.force_login(cast["coso1"])
    assert client.get(reverse("accounts:list")).status_code == 404


def test_dates_show_day_first(client, cast, members):
    client.force_login(cast["khoi"])
    body = client.get(reverse("members:detail", args=[members["hung"].pk])).content.decode()
    assert "05/06/1950" in body


def test_password_rules_speak_vietnamese(client, cast, tree):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("accounts:create"),
        {"username": "ngan", "full_name": "Ngắn", "role": Role.VIEWER, "unit": tree["unit_b"].pk, "password": "123"},
    )
    errors = " ".join(response.context["form"].errors["password"])
    assert "quá ngắn" in errors and "chữ số" in errors
    assert not User.objects.filter(username="ngan").exists()


def test_expired_session_on_htmx_search_redirects_whole_page(client, db):
    response = client.get("/hoi-vien/?q=hung", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="member-results")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_stale_form_gets_a_vietnamese_page(cast, tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["khoi"])
    response = client.post(reverse("members:create"), {"ho": "A"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()

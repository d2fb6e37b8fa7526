"""Security headers, no inline script in any template, and the idle end of a sensitive role's session."""

import re
import time
from pathlib import Path

from hoiccb.accounts.idle import LAST_SEEN

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def test_pages_send_a_policy_without_inline_script(client, cast):
    client.force_login(cast["coso1"])
    response = client.get("/hoi-vien/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_logged_in_pages_are_not_stored_by_any_cache(client, cast, members):
    client.force_login(cast["khoi"])
    for url in ("/", "/hoi-vien/", f"/hoi-vien/{members['hung'].pk}/", "/hoi-vien/xuat.xlsx"):
        response = client.get(url)
        assert "no-store" in response.get("Cache-Control", ""), url
    # The public news page, to a visitor, may be cached.
    client.logout()
    assert "no-store" not in client.get("/tin-tuc/").get("Cache-Control", "")


def test_no_template_carries_inline_script():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not inline_script.search(text), f"{path}: inline <script>"
        assert not handler.search(text), f"{path}: inline event handler"
        assert "javascript:" not in text, f"{path}: javascript: link"


def test_an_idle_session_of_a_sensitive_role_ends(client, cast, settings):
    client.force_login(cast["coso1"])
    assert client.get("/hoi-vien/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SENSITIVE_IDLE_SECONDS - 5
    session.save()
    response = client.get("/hoi-vien/")
    assert response.status_code == 302 and "idle=1" in response["Location"]
    assert response["Location"].startswith("/accounts/login/")
    assert "Phiên làm việc đã kết thúc" in client.get(response["Location"]).content.decode()
    # Logged out: the next page asks for the login again.
    assert client.get("/hoi-vien/").status_code == 302 and "_auth_user_id" not in client.session


def test_an_active_session_and_a_role_without_sensitive_data_go_on(client, cast, settings):
    client.force_login(cast["coso1"])
    client.get("/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SENSITIVE_IDLE_SECONDS + 60
    session.save()
    assert client.get("/hoi-vien/").status_code == 200
    client.force_login(cast["uyvien"])
    client.get("/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 10 * settings.SENSITIVE_IDLE_SECONDS
    session.save()
    assert client.get("/hoi-vien/").status_code == 200


def test_an_idle_htmx_request_sends_the_page_to_the_login(client, cast, settings):
    client.force_login(cast["coso1"])
    client.get("/")
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SENSITIVE_IDLE_SECONDS - 5
    session.save()
    response = client.get("/hoi-vien/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")

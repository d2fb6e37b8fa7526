"""Two-step login in a real browser, under the Content-Security-Policy: an officer enrols an
authenticator app from the key on the page, keeps the recovery codes, and no page breaks the policy."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from hoiccb.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_enrols_and_logs_in_with_a_code_under_the_policy(page, live_server, cast, settings):
    settings.OTP_REQUIRED_FOR_SENSITIVE = True
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("coso1")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Đăng nhập hai bước")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    key = page.locator("#manual-key").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(key + '=' * (-len(key) % 8))):06d}"
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Tôi đã lưu các mã, tiếp tục").click()
    expect(page.get_by_role("heading", name="Xin chào, coso1")).to_be_visible()
    # A page with htmx search and the dashboard with its charts work without inline script.
    page.get_by_role("link", name="Hội viên", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/bao-cao/tong-quan/")
    page.wait_for_load_state()
    assert violations == []

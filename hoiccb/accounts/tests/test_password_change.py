"""A bulk-created account logs in with the mailed one-time password and must set its own first."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from hoiccb.accounts.models import Role, User, UserEvent, UserEventAction
from hoiccb.conftest import PASSWORD, make_user

NEW = "Cuu-chien-binh-1975"


@pytest.fixture
def created(client, tree):
    admin_a = make_user("quantri_a", tree["unit_a"], Role.ADMIN)
    client.force_login(admin_a)
    rows = "Đơn vị\tHọ và tên\tVai trò\tE-mail\nA1\tNguyễn Văn An\tCán bộ đơn vị\tan@example.vn\n"
    assert client.post(reverse("accounts:bulk_create"), {"rows": rows, "tao": "1"}).status_code == 302
    client.logout()
    body = str(mail.outbox[-1].body)
    found = re.search(r"Mật khẩu tạm: (\S+)", body)
    assert found and "yêu cầu bạn đặt mật khẩu mới" in body
    return User.objects.get(username="annv"), found.group(1)


def test_first_login_goes_to_the_password_change_before_any_page(client, created):
    user, one_time = created
    assert user.must_change_password
    login = client.post(reverse("login"), {"username": "annv", "password": one_time, "next": "/hoi-vien/"})
    assert login.status_code == 302
    landed = client.get(login["Location"])
    assert landed.status_code == 302
    assert landed["Location"].startswith(reverse("accounts:password_change") + "?next=")
    page = client.get(landed["Location"]).content.decode()
    assert "mật khẩu tạm được gửi qua thư" in page and 'name="old_password"' in page
    # Every other page waits; logging out does not.
    assert client.get(reverse("members:list"))["Location"].startswith(reverse("accounts:password_change"))

    url = reverse("accounts:password_change")
    same = client.post(url, {"old_password": one_time, "new_password1": one_time, "new_password2": one_time})
    assert same.status_code == 200 and "Mật khẩu mới phải khác mật khẩu hiện tại." in same.content.decode()
    wrong = client.post(url, {"old_password": "doan-sai-1234", "new_password1": NEW, "new_password2": NEW})
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    mismatch = client.post(url, {"old_password": one_time, "new_password1": NEW, "new_password2": NEW + "x"})
    assert "Hai lần nhập mật khẩu mới không giống nhau." in mismatch.content.decode()
    short = client.post(url, {"old_password": one_time, "new_password1": "abc", "new_password2": "abc"})
    assert "Mật khẩu quá ngắn" in short.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(one_time)

    done = client.post(
        url, {"old_password": one_time, "new_password1": NEW, "new_password2": NEW, "next": "/hoi-vien/"}
    )
    assert done.status_code == 302 and done["Location"] == "/hoi-vien/"
    assert client.get(reverse("members:list")).status_code == 200  # still logged in, free to work
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW) and not user.check_password(one_time)
    assert UserEvent.objects.filter(user=user, action=UserEventAction.PASSWORD_CHANGED).count() == 1


def test_accounts_made_one_at_a_time_are_not_forced(client, cast):
    client.post(reverse("login"), {"username": "coso1", "password": PASSWORD})
    assert client.get(reverse("members:list")).status_code == 200
    # Anyone may still change their own password on the same page.
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "mật khẩu tạm" not in page and 'name="new_password2"' in page

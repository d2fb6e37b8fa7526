"""Many logins at once: previewed, created through the audited service, each told its password by mail."""

import io

import pytest
from django.core import mail
from django.urls import reverse

from hoiccb.accounts.models import Role, User, UserEvent, UserEventAction
from hoiccb.conftest import make_user

URL = "accounts:bulk_create"


@pytest.fixture
def admin_a(tree):
    return make_user("quantri_a", tree["unit_a"], Role.ADMIN)


ROWS = (
    "Đơn vị\tHọ và tên\tVai trò\tE-mail\n"
    "A1\tNguyễn Văn An\tCán bộ đơn vị\tan@example.vn\n"
    "Hội CCB Sở Tài chính\tTrần Thị Bình\tChỉ xem\tbinh@example.vn\n"
)


def test_rows_are_previewed_then_created_audited_and_mailed(client, admin_a, tree):
    client.force_login(admin_a)
    preview = client.post(reverse(URL), {"rows": ROWS, "xem_truoc": "1"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Tạo tài khoản (2)" in html and "annv" in html
    assert not User.objects.filter(username="annv").exists() and not mail.outbox

    response = client.post(reverse(URL), {"rows": ROWS, "tao": "1"})
    assert response.status_code == 302
    an = User.objects.get(username="annv")
    binh = User.objects.get(username="binhtt")
    assert (an.unit, an.role, an.email, an.full_name) == (
        tree["branch_a"],
        Role.OFFICER,
        "an@example.vn",
        "Nguyễn Văn An",
    )
    assert (binh.unit, binh.role) == (tree["unit_a"], Role.VIEWER)
    assert UserEvent.objects.filter(action=UserEventAction.CREATED, actor=admin_a).count() == 2
    assert len(mail.outbox) == 2
    letter = next(m for m in mail.outbox if m.to == ["an@example.vn"])
    password = letter.body.split("Mật khẩu tạm: ")[1].split("\n")[0]
    assert "annv" in letter.body and an.check_password(password)
    assert password not in str(list(UserEvent.objects.values_list("changes", flat=True)))


def test_a_row_that_would_climb_is_refused_with_the_services_reason(client, admin_a, tree):
    client.force_login(admin_a)
    rows = "A\tLê Văn Cường\tQuản trị hệ thống\tcuong@example.vn\nA1\tPhạm Văn Dũng\tChỉ xem\tdung@example.vn\n"
    response = client.post(reverse(URL), {"rows": rows, "tao": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chỉ được giao vai trò thấp hơn vai trò của bạn" in html
    assert not User.objects.filter(full_name="Lê Văn Cường").exists()
    assert User.objects.filter(full_name="Phạm Văn Dũng", unit=tree["branch_a"]).exists()
    assert [m.to for m in mail.outbox] == [["dung@example.vn"]]


def test_units_outside_the_subtree_bad_roles_and_bad_emails_are_shown_per_row(client, admin_a):
    client.force_login(admin_a)
    rows = (
        "B\tVõ Văn Em\tChỉ xem\tem@example.vn\n"
        "A1\tĐỗ Văn Giang\tthủ quỹ\tgiang@example.vn\n"
        "A1\tBùi Văn Hà\t\tkhong-phai-email\n"
    )
    html = client.post(reverse(URL), {"rows": rows, "tao": "1"}).content.decode()
    assert "Không tìm thấy đơn vị “B” trong phạm vi của bạn." in html
    assert "Vai trò “thủ quỹ” không có" in html
    assert "e-mail không hợp lệ" in html
    assert User.objects.count() == 1 and not mail.outbox


def test_a_csv_upload_fills_the_preview(client, admin_a):
    client.force_login(admin_a)
    upload = io.BytesIO("đơn vị;họ và tên;vai trò;email\nA1;Nguyễn Văn An;viewer;an@example.vn\n".encode())
    upload.name = "tai-khoan.csv"
    html = client.post(reverse(URL), {"file": upload, "xem_truoc": "1"}).content.decode()
    assert "Tạo tài khoản (1)" in html and "annv" in html
    assert not User.objects.filter(username="annv").exists()


def test_someone_without_the_right_cannot_open_it(client, cast):
    client.force_login(cast["coso1"])
    assert client.get(reverse(URL)).status_code == 404  # scoping.require: the page does not exist for them
    assert client.post(reverse(URL), {"rows": ROWS, "tao": "1"}).status_code == 404
    assert not mail.outbox


def test_the_service_refusal_reaches_the_row_when_the_preview_is_bypassed(admin_a, tree):
    from hoiccb.accounts import bulk

    rows = bulk.prepare(admin_a, "A1\tNguyễn Văn An\tChỉ xem\tan@example.vn\n")
    rows[0].unit = tree["unit_a"]  # the actor's own unit: an administrator there stands level
    rows[0].role = Role.ADMIN
    bulk.create_all(admin_a, rows, "http://testserver/dang-nhap/")
    assert rows[0].created is None
    assert rows[0].errors == [bulk.services.ABOVE_OR_EQUAL]
    assert not User.objects.filter(username="annv").exists() and not mail.outbox

"""403/404/500 pages are Vietnamese and lead home, with DEBUG on (make run) and off (production)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.views import defaults


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def mode(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_unknown_page_is_vietnamese(mode, cast, login):
    response = login(cast["coso1"]).get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in page and "nằm ngoài phạm vi đơn vị của bạn" in page
    assert 'href="/"' in page and "Page not found" not in page and "Using the URLconf" not in page


def test_object_outside_the_scope_is_vietnamese(mode, cast, members, login):
    response = login(cast["coso1"]).get(f"/hoi-vien/{members['hung_b'].pk}/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "nằm ngoài phạm vi đơn vị của bạn" in page and "Page not found" not in page


def test_forbidden_and_server_error_pages_are_vietnamese(mode, cast):
    request = RequestFactory().get("/")
    request.user = cast["coso1"]
    forbidden = defaults.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403 and "Không có quyền" in forbidden.content.decode()
    assert 'href="/"' in forbidden.content.decode()
    crashed = defaults.server_error(request)
    assert crashed.status_code == 500
    assert "Đã có lỗi xảy ra" in crashed.content.decode() and 'href="/"' in crashed.content.decode()

"""The home page lists directives to confirm, and for the sender those not yet confirmed."""

import pytest

from hoiccb.news import services
from hoiccb.news.tests.test_directives import issue

pytestmark = pytest.mark.django_db


def test_directives_to_confirm_and_unconfirmed_for_the_sender(cast, tree, login):
    directive = issue(cast["khoi"], tree["bloc"])
    page = login(cast["coso1"]).get("/").content.decode()
    assert "Văn bản gửi đến chưa xác nhận đã nhận" in page
    page = login(cast["khoi"]).get("/").content.decode()
    assert "Văn bản đã gửi còn nơi nhận chưa xác nhận" in page and "2 lượt đơn vị chưa xác nhận" in page
    services.receipt_confirm(actor=cast["coso1"], directive=directive)
    page = login(cast["coso1"]).get("/").content.decode()
    assert "chưa xác nhận đã nhận" not in page

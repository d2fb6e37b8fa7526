"""The account list is searched by user name, name, e-mail or unit, and only among the logins one manages."""

from django.urls import reverse

from hoiccb.accounts.models import Role
from hoiccb.conftest import make_user


def _names(html: str, candidates: tuple[str, ...]) -> set[str]:
    return {name for name in candidates if f">{name}<" in html}


ALL = ("quantri_a2", "canbo_a", "hung_a1", "nhanvien_b")


def test_search_by_name_email_unit_and_user_name_within_scope(client, tree):
    admin = make_user("quantri_a", tree["unit_a"], Role.ADMIN)
    make_user("quantri_a2", tree["unit_a"], Role.ADMIN, full_name="Lê Văn Hùng")  # a peer: never listed
    make_user("canbo_a", tree["unit_a"], Role.OFFICER, full_name="Trần Thị Mai", email="mai@soTaiChinh.vn")
    make_user("hung_a1", tree["branch_a"], Role.VIEWER, full_name="Nguyễn Văn Hùng")
    make_user("nhanvien_b", tree["unit_b"], Role.VIEWER, full_name="Phạm Văn Hùng")  # another unit
    client.force_login(admin)
    url = reverse("accounts:list")

    def found(q: str) -> set[str]:
        response = client.get(url, {"q": q})
        assert response.status_code == 200
        return _names(response.content.decode(), ALL)

    assert found("") == {"canbo_a", "hung_a1"}
    assert found("hung") == {"hung_a1"}  # without accents, and not the peer nor unit B's
    assert found("HÙNG nguyễn") == {"hung_a1"}
    assert found("mai@sotaichinh") == {"canbo_a"}
    assert found("chi hoi 1") == {"hung_a1"}
    assert found("A1") == {"hung_a1"}
    assert found("canbo") == {"canbo_a"}
    html = client.get(url, {"q": "không ai"}).content.decode()
    assert "Không có tài khoản nào phù hợp" in html
    assert client.get(url, {"q": "x\x00" * 500}).status_code == 200

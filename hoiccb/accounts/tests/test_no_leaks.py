"""Walk every URL pattern as one grassroots chair against the objects of a sibling unit.

A new URL pattern with a parameter this test does not know fails the test, so
every page added later is walked too. The walk's machinery is leaks_walk.py, the
world of two sibling units leaks_world.py.
"""

import pytest

from hoiccb.accounts.tests import leaks_world
from hoiccb.accounts.tests.leaks_walk import PARAMETER, PUBLIC_PATTERNS, all_patterns, body_text, build_url, target_for
from hoiccb.activities.models import Activity, Attachment, Gift

# The world and its autouse companions (news, awards, reports, meetings), with their after-checks.
world = leaks_world.world
_news_in_the_world = leaks_world._news_in_the_world
_awards_in_the_world = leaks_world._awards_in_the_world
_reports_in_the_world = leaks_world._reports_in_the_world
_meetings_in_the_world = leaks_world._meetings_in_the_world


@pytest.mark.parametrize("actor_key,victim_key", [("coso1", "coso2"), ("coso2", "coso1")])
def test_no_pattern_shows_a_sibling_units_data(client, world, actor_key, victim_key):
    actor, victim = world[actor_key], world[victim_key]
    client.force_login(actor["user"])
    walked = 0
    for route, name in all_patterns():
        if "<" in route:
            assert route.count("<") == 1 and PARAMETER.search(route), f"teach this test about {route}"
            url = build_url(route, target_for(name, victim))
            allowed = (200, 404, 405) if name in PUBLIC_PATTERNS else (404, 405)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in allowed, f"{method.upper()} {url} ({name}) → {response.status_code}"
                shown = response.content.decode() if not response.streaming else ""
                for secret in victim["secrets"]:
                    assert secret not in shown, f"{method.upper()} {url} shows {secret!r}"
        else:
            response = client.get("/" + route)
            assert response.status_code in (200, 302, 404, 405), f"GET /{route} → {response.status_code}"
            body = body_text(response)
            for secret in victim["secrets"]:
                assert secret not in body, f"/{route} shows {secret!r}"
        walked += 1
    assert walked >= 15
    # The victim's data is untouched by all those POSTs.
    victim["member"].refresh_from_db()
    assert victim["member"].is_active and victim["member"].unit == victim["unit"]
    assert Activity.objects.filter(pk=victim["activity"].pk).exists()
    assert Attachment.objects.filter(pk=victim["attachment"].pk).exists()
    assert Gift.objects.filter(pk=victim["gift"].pk).exists()
    victim["recommendation"].refresh_from_db()
    assert victim["recommendation"].status == "open" and not victim["recommendation"].follow_ups.exists()


def test_search_does_not_reach_outside_the_scope(client, world):
    client.force_login(world["coso1"]["user"])
    body = client.get("/hoi-vien/", {"q": "tran van hai", "status": ""}).content.decode()
    assert "Trần Văn Hai" not in body
    body = client.get("/hoi-vien/", {"unit": world["coso2"]["unit"].pk}).content.decode()
    assert "Trần Văn Hai" not in body


def test_admin_site_is_for_staff_only(client, world):
    client.force_login(world["coso1"]["user"])
    response = client.get("/quan-tri/members/theatre/")
    assert response.status_code == 302 and "/quan-tri/login/" in response["Location"]


def test_user_without_unit_sees_nothing(client, cast, world):
    client.force_login(cast["nounit"])
    for url in ("/", "/don-vi/", "/hoi-vien/"):
        body = client.get(url).content.decode()
        for victim in world.values():
            for secret in victim["secrets"]:
                assert secret not in body


def test_public_pages_show_nothing_unpublished_to_a_logged_out_visitor(client, world):
    for route, _name in all_patterns():
        if "<" in route or not route.startswith("tin-tuc/"):
            continue
        response = client.get("/" + route)
        assert response.status_code in (200, 302), f"/{route} → {response.status_code}"
        for victim in world.values():
            for secret in (victim["article"].title, victim["photo"].caption, victim["directive"].summary):
                assert secret not in response.content.decode(), f"/{route} shows {secret!r}"
    for victim in world.values():
        assert client.get(f"/tin-tuc/bai/{victim['article'].slug}/").status_code == 404
        assert client.get(f"/tin-tuc/anh/{victim['photo'].pk}/").status_code == 404
        assert client.get(f"/van-ban/{victim['directive'].pk}/tai-ve/").status_code == 302  # to the login page
        assert victim["article"].photos.count() == 1 and victim["directive"].receipts.get().state == "unread"

"""The no-leaks walk upwards: a grassroots chair against the objects of the parent bloc itself.

The bloc's own activity with a gift, working session and draft article lie above the chair's
subtree, so every pattern that names them answers 404 (or 405), and no page shows them.
"""

import datetime

from django.utils import timezone

from hoiccb.accounts.tests.leaks_walk import (
    PARAMETER,
    PUBLIC_PATTERNS,
    all_patterns,
    body_text,
    build_url,
    target_for,
)
from hoiccb.activities import services as activity_services
from hoiccb.activities.models import ActivityKind
from hoiccb.conftest import admit, ensure_reference_data
from hoiccb.meetings import services as meeting_services
from hoiccb.news import services as news_services


def bloc_objects(cast, tree) -> dict:
    khoi, bloc = cast["khoi"], tree["bloc"]
    if not ActivityKind.objects.exists():
        ensure_reference_data()
    # Members live in grassroots units, not in the bloc: this one is in the chair's sibling unit.
    member = admit(khoi, tree["unit_b"], "Phạm Văn Khối", cccd="001048000009", party_member=True)
    activity = activity_services.activity_create(
        actor=khoi,
        unit=bloc,
        kind=ActivityKind.objects.get(code="an-sinh"),
        title="Thăm hỏi của Khối riêng",
        start_date=datetime.date.today(),
        occasion="tet",
    )
    gift = activity_services.gift_add(
        actor=khoi,
        activity=activity,
        beneficiary_name="Hộ ông Khối Riêng",
        address="Thôn 9",
        circumstance="ho_ngheo",
        value=700_000,
        form="tien",
        funding_source="quy_hoi",
    )
    meeting = meeting_services.meeting_create(
        actor=khoi, unit=bloc, kind="lam_viec", title="Buổi làm việc riêng của Khối", starts_at=timezone.now()
    )
    article = news_services.article_create(
        actor=khoi, unit=bloc, title="Bản nháp riêng của Khối", lead="Chưa đăng.", body_source="Nháp."
    )
    return {
        "unit": bloc,
        "user": khoi,
        "member": member,
        "activity": activity,
        "gift": gift,
        "meeting": meeting,
        "article": article,
        "secrets": [member.full_name, member.cccd, activity.title, gift.beneficiary_name, meeting.title, article.title],
    }


def test_no_pattern_shows_the_parent_blocs_own_objects(client, cast, tree):
    victim = bloc_objects(cast, tree)
    client.force_login(cast["coso1"])
    walked = 0
    for route, name in all_patterns():
        if "<" in route:
            assert PARAMETER.search(route), f"teach this test about {route}"
            try:
                target = target_for(name, victim)
            except KeyError:
                continue  # a kind of object the bloc has none of here (the sibling walk covers it)
            url = build_url(route, target)
            allowed = (200, 404, 405) if name in PUBLIC_PATTERNS else (404, 405)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in allowed, f"{method.upper()} {url} ({name}) → {response.status_code}"
                body = "" if response.streaming else response.content.decode(errors="replace")
                for secret in victim["secrets"]:
                    assert secret not in body, f"{method.upper()} {url} ({name}) shows {secret!r}"
        else:
            response = client.get("/" + route)
            kind = response.get("Content-Type", "")
            body = body_text(response) if "html" in kind or "spreadsheet" in kind else ""
            for secret in victim["secrets"]:
                assert secret not in body, f"/{route} shows {secret!r}"
        walked += 1
    assert walked >= 40, walked
    victim["member"].refresh_from_db()
    assert victim["member"].is_active and victim["member"].unit == tree["unit_b"]

"""The no-leaks walk with real writes: forms filled in as their owner would send them.

- Every POST pattern on a sibling unit's objects, with the data the owner's own page would
  send (a valid form, not an empty body), is refused and changes nothing.
- A chair's own forms, sent with the sibling unit's ids in their fields (unit, member,
  assignee...), reach nothing of the sibling unit.
- The viewer and committee roles of the bloc write nothing with any form of the units below
  (the committee may write news drafts), and every list's filters set to a sibling unit's ids
  or names show nothing of it.

The world (two sibling units with every kind of object) and its checks that nothing changed
come from leaks_world.py, the walk over every URL pattern from leaks_walk.py.
"""

import pytest
from django.apps import apps
from django.test import Client

from hoiccb.accounts.models import Role
from hoiccb.accounts.tests import leaks_world
from hoiccb.accounts.tests.leaks_walk import PUBLIC_PATTERNS, all_patterns, body_text, build_url, target_for
from hoiccb.accounts.tests.pageforms import page_forms, post_form
from hoiccb.conftest import make_user
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.audit import AuditEvent

# The world and its autouse companions (news, awards, reports, meetings), with their after-checks.
world = leaks_world.world
_news_in_the_world = leaks_world._news_in_the_world
_awards_in_the_world = leaks_world._awards_in_the_world
_reports_in_the_world = leaks_world._reports_in_the_world
_meetings_in_the_world = leaks_world._meetings_in_the_world

# Pages whose GET by the owner changes what the world's checks look at (a download marks a
# directive opened), and the login machinery.
SKIP = {"directives:download", "logout", "login"}


def audit_models():
    return [model for model in apps.get_models() if issubclass(model, AuditEvent)]


def written_by(user) -> dict[str, int]:
    """Return {audit table: rows} that `user` wrote, leaving out empty tables."""
    counts = {model._meta.label: model.objects.filter(actor=user).count() for model in audit_models()}
    return {label: n for label, n in counts.items() if n}


def written_under(user, path: str) -> dict[str, int]:
    counts = {
        model._meta.label: model.objects.filter(actor=user, unit_path__startswith=path).count()
        for model in audit_models()
    }
    return {label: n for label, n in counts.items() if n}


def shown(response) -> str:
    return "" if response.streaming else response.content.decode(errors="replace")


def owners_form(owner: Client, url: str) -> dict | None:
    """Return what the owner's page at `url` would post back, or None when it has no such form."""
    page = owner.get(url)
    if page.status_code != 200 or page.streaming or "text/html" not in page.get("Content-Type", ""):
        return None
    return post_form(page.content.decode(), url)


def test_valid_posts_on_a_sibling_units_objects_are_refused(client, world):
    actor, victim = world["coso1"], world["coso2"]
    owner = Client()
    owner.force_login(victim["user"])
    client.force_login(actor["user"])
    before = written_by(actor["user"])  # the world was built by the chairs themselves
    posted = 0
    for route, name in all_patterns():
        if "<" not in route or name in SKIP:
            continue
        url = build_url(route, target_for(name, victim))
        data = owners_form(owner, url)
        if data is None:
            continue
        response = client.post(url, data)
        allowed = (200, 404, 405) if name in PUBLIC_PATTERNS else (404, 405)
        assert response.status_code in allowed, f"POST {url} ({name}) with the owner's data → {response.status_code}"
        for secret in victim["secrets"]:
            assert secret not in shown(response), f"POST {url} shows {secret!r}"
        posted += 1
    assert posted >= 20, posted
    assert written_by(actor["user"]) == before


def foreign_ids(data: dict, victim: dict) -> dict:
    """Put the victim's unit, member and login ids into every field that names one."""
    ids = {"unit": victim["unit"].pk, "member": victim["member"].pk, "user": victim["user"].pk}
    changed = dict(data)
    for name in data:
        base = name.rsplit("-", 1)[-1]
        if "unit" in base or base in ("don_vi", "parent", "recipient_root"):
            changed[name] = [str(ids["unit"])]
        elif "member" in base:
            changed[name] = [str(ids["member"])]
        elif base in ("assignee", "owner", "user"):
            changed[name] = [str(ids["user"])]
    return changed


def own_urls(actor: dict):
    for route, name in all_patterns():
        if name in SKIP:
            continue
        yield name, (build_url(route, target_for(name, actor)) if "<" in route else "/" + route)


def test_own_forms_sent_with_a_sibling_units_ids_reach_nothing_of_it(client, world):
    actor, victim = world["coso1"], world["coso2"]
    client.force_login(actor["user"])
    before = written_under(actor["user"], victim["unit"].path)
    posted = 0
    for name, url in own_urls(actor):
        data = owners_form(client, url)
        if data is None:
            continue
        response = client.post(url, foreign_ids(data, victim))
        assert response.status_code < 500, f"POST {url} ({name}) → {response.status_code}"
        for secret in victim["secrets"]:
            assert secret not in shown(response), f"POST {url} ({name}) shows {secret!r}"
        posted += 1
    assert posted >= 20, posted
    assert written_under(actor["user"], victim["unit"].path) == before
    # Nothing of the sibling unit got attached to the chair's own objects either.
    for name, url in own_urls(actor):
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if "html" not in kind and "spreadsheet" not in kind:
            continue
        body = body_text(response)
        for secret in victim["secrets"]:
            assert secret not in body, f"after the posts, {url} ({name}) shows {secret!r}"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.COMMITTEE])
def test_viewer_and_committee_of_the_bloc_write_nothing(client, world, tree, role):
    reader = make_user(f"doc_{role}", tree["bloc"], role)
    client.force_login(reader)
    posted = 0
    victim = world["coso2"]
    owner = Client()
    owner.force_login(victim["user"])
    for route, name in all_patterns():
        if "<" not in route or name in SKIP:
            continue
        url = build_url(route, target_for(name, victim))
        data = owners_form(owner, url)
        if data is None:
            continue
        response = client.post(url, data)
        assert response.status_code < 500, f"POST {url} ({name}) → {response.status_code}"
        posted += 1
    for route, name in all_patterns():
        if "<" in route or name in SKIP:
            continue
        url = "/" + route
        data = owners_form(client, url)
        if data is not None:
            assert client.post(url, data).status_code < 500, url
    assert posted >= 20, posted
    written = written_by(reader)
    if role == Role.COMMITTEE:
        written = {label: n for label, n in written.items() if not label.startswith("news.")}
    assert written == {}


def test_every_lists_filters_set_to_a_sibling_unit_show_nothing_of_it(client, world):
    actor, victim = world["coso1"], world["coso2"]
    client.force_login(actor["user"])
    # Searched by name without tone marks, so that a page echoing the query does not "show" it.
    query = normalize_search(victim["member"].full_name)
    filtered = 0
    for route, name in all_patterns():
        if "<" in route or name in SKIP:
            continue
        url = "/" + route
        page = client.get(url)
        if page.status_code != 200 or page.streaming or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in page_forms(page.content.decode()):
            if form.method != "get":
                continue
            data = form.data()
            for field in set(data) | set(form.selects):
                if "unit" in field or field == "don_vi":
                    data[field] = [str(victim["unit"].pk)]
                elif field in ("q", "tim"):
                    data[field] = [query]
            response = client.get(form.action or url, data)
            assert response.status_code in (200, 302, 404), f"GET {url} {data} → {response.status_code}"
            body = body_text(response)
            for secret in victim["secrets"]:
                assert secret not in body, f"{url} filtered by {data} shows {secret!r}"
            filtered += 1
    assert filtered >= 5, filtered

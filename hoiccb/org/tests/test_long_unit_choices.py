"""A choice among many units is the search picker, never a long list: the directive and
inspection forms, a member's transfer, and every other form built on scoped_unit_field."""

import pytest
from django.urls import reverse

from hoiccb.org import fields


@pytest.fixture
def many_units(monkeypatch):
    # The shared tree has five units; a bloc has ~95. Lower the bar instead of building 50 units.
    monkeypatch.setattr(fields, "PICKER_FROM", 2)


def test_a_short_scope_keeps_its_plain_list(cast, login):
    page = login(cast["khoi"]).get(reverse("directives:create")).content.decode()
    assert '<select name="recipient_root"' in page and 'name="recipient_root__q"' not in page


def test_directive_and_inspection_forms_pick_units_by_typing(cast, login, many_units):
    client = login(cast["khoi"])
    directive = client.get(reverse("directives:create")).content.decode()
    for name in ("issuing_unit", "recipient_root"):
        assert f'name="{name}__q"' in directive and f'<select name="{name}"' not in directive
    # The bloc itself is chosen already, as before.
    assert f'type="radio" name="issuing_unit" value="{cast["khoi"].unit_id}" checked' in directive
    plan = client.get(reverse("activities:plan_create")).content.decode()
    assert 'name="unit__q"' in plan and 'name="inspected_units__q"' in plan
    assert '<select name="unit"' not in plan and "Giữ Ctrl" not in plan


def test_transfer_picks_the_unit_by_typing_with_or_without_javascript(cast, members, tree, login, many_units):
    client = login(cast["khoi"])
    member = members["hung"]
    url = reverse("members:transfer", args=[member.pk])
    # Without JavaScript: the typed words come back as matches to tick.
    typed = client.post(url, {"to_unit__q": "so y te", "on": "2024-05-15"})
    page = typed.content.decode()
    assert typed.status_code == 200
    assert f'type="radio" name="to_unit" value="{tree["unit_b"].pk}"' in page and "Hội CCB Sở Y tế" in page
    assert f'name="to_unit" value="{tree["unit_a"].pk}"' not in page  # only what matches the words
    done = client.post(url, {"to_unit": tree["unit_b"].pk, "on": "2024-05-15"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.unit == tree["unit_b"]

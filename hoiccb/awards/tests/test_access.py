"""can_manage_awards: the awards office over the user's own subtree, nothing beside or above it."""

import pytest
from django.core.exceptions import PermissionDenied

from hoiccb.awards.access import can_manage_awards, require_manage_awards


def test_the_bloc_officer_manages_the_bloc_and_every_unit_below_it(cast, tree):
    khoi = cast["khoi"]
    assert [can_manage_awards(khoi, tree[u]) for u in ("bloc", "unit_a", "branch_a", "unit_b")] == [True] * 4
    assert can_manage_awards(khoi, tree["province"]) is False  # above the bloc


def test_a_unit_chair_manages_their_own_unit_but_not_the_sibling_or_the_bloc(cast, tree):
    assert can_manage_awards(cast["coso1"], tree["unit_a"]) is True
    assert can_manage_awards(cast["coso1"], tree["branch_a"]) is True
    assert can_manage_awards(cast["coso2"], tree["unit_a"]) is False  # the sibling unit
    assert can_manage_awards(cast["coso2"], tree["branch_a"]) is False
    assert can_manage_awards(cast["coso2"], tree["bloc"]) is False


def test_a_committee_member_sees_but_does_not_manage(cast, tree):
    uyvien = cast["uyvien"]
    assert [can_manage_awards(uyvien, tree[u]) for u in ("bloc", "unit_a", "unit_b")] == [False] * 3
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        require_manage_awards(uyvien, tree["unit_a"])


def test_no_unit_means_no_awards_office(cast, tree):
    assert can_manage_awards(cast["nounit"], tree["unit_a"]) is False
    assert can_manage_awards(cast["khoi"], None) is False

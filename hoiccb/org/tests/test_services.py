import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoiccb.members.models import EventKind, Member
from hoiccb.org import selectors, services
from hoiccb.org.models import PositionRole, Unit, UnitEvent, UnitStatus
from hoiccb.org.people import people


def test_children_get_paths_inside_the_parent(tree):
    assert tree["branch_a"].path.startswith(tree["unit_a"].path)
    assert tree["unit_a"].path != tree["unit_b"].path
    assert set(Unit.objects.subtree(tree["unit_a"])) == {tree["unit_a"], tree["branch_a"]}


def test_officer_creates_branch_in_own_subtree_only(cast, tree, kinds):
    branch = services.unit_create(
        actor=cast["coso1"], parent=tree["unit_a"], kind=kinds["chi-hoi"], code="A2", name="Chi hội 2"
    )
    assert branch.parent == tree["unit_a"]
    assert UnitEvent.objects.filter(unit=branch, action="created", actor=cast["coso1"]).exists()
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=cast["coso1"], parent=tree["unit_b"], kind=kinds["chi-hoi"], code="B9", name="Chi hội lạ"
        )


def test_move_rewrites_subtree_and_member_paths(cast, tree, members, kinds):
    group = services.unit_create(
        actor=cast["khoi"], parent=tree["branch_a"], kind=kinds["to-hoi"], code="A1T", name="Tổ 1"
    )
    moved = services.unit_move(actor=cast["khoi"], unit=tree["branch_a"], new_parent=tree["unit_b"])
    assert moved.parent == tree["unit_b"]
    assert moved.path.startswith(tree["unit_b"].path)
    assert Unit.objects.get(pk=group.pk).path.startswith(moved.path)
    hung = Member.objects.get(pk=members["hung"].pk)
    assert hung.unit_path == moved.path
    counts = people().headcounts(tree["unit_b"].path, depth=0)
    assert counts[tree["unit_b"].path] == 2
    assert people().headcounts(tree["unit_a"].path, depth=0)[tree["unit_a"].path] == 1


def test_levels_are_kept(cast, tree, kinds):
    with pytest.raises(ValidationError):  # a grassroots association under another one
        services.unit_move(actor=cast["khoi"], unit=tree["unit_a"], new_parent=tree["unit_b"])
    with pytest.raises(ValidationError):  # a central-level unit under a branch
        services.unit_create(
            actor=cast["coso1"], parent=tree["branch_a"], kind=kinds["trung-uong"], code="X", name="Trung ương"
        )
    with pytest.raises(ValidationError):  # a grassroots association merged into a branch
        services.unit_merge(
            actor=cast["khoi"], unit=tree["unit_b"], into=tree["branch_a"], on=datetime.date(2025, 1, 1)
        )
    with pytest.raises(ValidationError):  # a branch turned into a province
        services.unit_update(actor=cast["khoi"], unit=tree["branch_a"], kind=kinds["tinh"])


def test_a_unit_with_members_keeps_a_kind_that_holds_members(cast, tree, members, kinds):
    kinds["to-hoi"].holds_members = False
    kinds["to-hoi"].save()
    with pytest.raises(ValidationError) as info:  # branch_a has Nguyễn Văn Hùng
        services.unit_update(actor=cast["khoi"], unit=tree["branch_a"], kind=kinds["to-hoi"])
    assert "kind" in info.value.message_dict
    assert Unit.objects.get(pk=tree["branch_a"].pk).kind == kinds["chi-hoi"]


def test_move_under_own_descendant_is_refused(cast, tree):
    with pytest.raises(ValidationError):
        services.unit_move(actor=cast["khoi"], unit=tree["unit_a"], new_parent=tree["branch_a"])


def test_officer_cannot_move_own_unit_or_others(cast, tree):
    with pytest.raises(PermissionDenied):
        services.unit_move(actor=cast["coso1"], unit=tree["unit_a"], new_parent=tree["bloc"])
    with pytest.raises(PermissionDenied):
        services.unit_move(actor=cast["coso1"], unit=tree["unit_b"], new_parent=tree["unit_a"])


def test_merge_moves_members_and_keeps_their_history(cast, tree, members):
    on = datetime.date(2025, 7, 1)
    services.unit_merge(actor=cast["khoi"], unit=tree["unit_a"], into=tree["unit_b"], on=on)
    merged = Unit.objects.get(pk=tree["unit_a"].pk)
    assert merged.status == UnitStatus.MERGED
    assert merged.successor == tree["unit_b"]
    assert merged.ended_on == on
    an = Member.objects.get(pk=members["an"].pk)
    assert an.unit == tree["unit_b"]
    event = an.events.get(action=EventKind.UNIT_MERGED)
    assert event.from_unit == merged and event.to_unit == tree["unit_b"]
    # The branch moves under the successor with its members.
    branch = Unit.objects.get(pk=tree["branch_a"].pk)
    assert branch.parent == tree["unit_b"]
    assert Member.objects.get(pk=members["hung"].pk).unit_path.startswith(tree["unit_b"].path)


def test_merge_into_itself_or_a_merged_unit_is_refused(cast, tree):
    with pytest.raises(ValidationError):
        services.unit_merge(
            actor=cast["khoi"], unit=tree["unit_a"], into=tree["branch_a"], on=datetime.date(2025, 1, 1)
        )
    services.unit_merge(actor=cast["khoi"], unit=tree["unit_b"], into=tree["unit_a"], on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.unit_merge(
            actor=cast["khoi"],
            unit=tree["branch_a"],
            into=Unit.objects.get(pk=tree["unit_b"].pk),
            on=datetime.date(2025, 1, 1),
        )


def test_officers_by_term(cast, tree, members):
    term = services.term_create(actor=cast["coso1"], unit=tree["unit_a"], start_year=2022, end_year=2027)
    services.officer_assign(
        actor=cast["coso1"],
        unit=tree["unit_a"],
        term=term,
        member=members["an"],
        role=PositionRole.CHAIR,
        start_date=datetime.date(2022, 7, 1),
    )
    assert [p.member for p in selectors.current_officers(tree["unit_a"])] == [members["an"]]
    with pytest.raises(ValidationError):
        services.officer_assign(
            actor=cast["coso1"],
            unit=tree["unit_a"],
            term=term,
            member=members["hung_b"],
            role=PositionRole.EXECUTIVE,
            start_date=datetime.date(2022, 7, 1),
        )
    with pytest.raises(ValidationError):
        services.term_create(actor=cast["coso1"], unit=tree["unit_a"], start_year=2027, end_year=2022)


def test_tree_counts_only_active_members_per_subtree(cast, tree, members):
    from hoiccb.lib.dates import PartialDate
    from hoiccb.members.services import member_record_death

    member_record_death(actor=cast["khoi"], member=members["an"], died_on=PartialDate(2024, 1, 2))
    root, rows = selectors.tree(cast["khoi"], depth=2)
    counts = {unit.code: n for unit, _, n in rows}
    assert counts == {"K": 2, "A": 1, "A1": 1, "B": 1}
    assert root == tree["bloc"]

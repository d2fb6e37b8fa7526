"""Every row that copies its unit's path is re-pathed when the tree changes."""

import datetime

import pytest
from django.apps import apps

from hoiccb.org import services
from hoiccb.org.unit_owned import UnitOwned, unit_owned_models


def test_every_model_with_a_unit_path_is_unit_owned():
    copies = [m for m in apps.get_models() if any(f.name == "unit_path" for f in m._meta.get_fields())]
    assert len(copies) >= 19
    strays = [m.__name__ for m in copies if not issubclass(m, UnitOwned)]
    assert strays == [], f"keep unit_path through org.unit_owned.UnitOwned: {strays}"
    assert set(unit_owned_models()) == set(copies)


@pytest.mark.django_db
def test_moving_a_unit_repaths_rows_of_every_app(tree, cast, members):
    from hoiccb.activities.models import ActivityKind
    from hoiccb.activities.services import activity_create

    branch, member = tree["branch_a"], members["hung"]
    kind, _ = ActivityKind.objects.get_or_create(code="tuyen-truyen", defaults={"name": "Tuyên truyền"})
    activity = activity_create(
        actor=cast["khoi"], unit=branch, kind=kind, title="Tuyên truyền", start_date=datetime.date(2026, 3, 1)
    )
    old_path = branch.path
    services.unit_move(actor=cast["khoi"], unit=branch, new_parent=tree["unit_b"])
    for row in (branch, member, activity):
        row.refresh_from_db()
    assert branch.path.startswith(tree["unit_b"].path) and branch.path != old_path
    assert member.unit_path == branch.path
    assert activity.unit_path == branch.path


@pytest.mark.django_db
def test_a_narrow_save_does_not_write_back_a_stale_path(tree, cast, members):
    from hoiccb.members.models import Member

    member = Member.objects.select_related("unit").get(pk=members["hung"].pk)  # unit read before it moves
    services.unit_move(actor=cast["khoi"], unit=tree["branch_a"], new_parent=tree["unit_b"])
    moved_path = Member.objects.get(pk=member.pk).unit_path
    member.notes = "Ghi chú mới"
    member.save(update_fields=["notes"])
    assert Member.objects.get(pk=member.pk).unit_path == moved_path
    member.unit = tree["unit_b"]
    member.save(update_fields=["unit"])  # a change of unit does rewrite the copy
    assert Member.objects.get(pk=member.pk).unit_path == tree["unit_b"].path

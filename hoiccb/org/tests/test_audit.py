"""Audit rows keep their unit's path, and follow it when the unit moves."""

import pytest

from hoiccb.accounts import services as account_services
from hoiccb.accounts.models import Role, UserEvent
from hoiccb.members.models import MemberEvent
from hoiccb.org import services
from hoiccb.org.audit import AuditEvent
from hoiccb.org.models import UnitEvent


@pytest.mark.django_db
def test_event_unit_paths_follow_their_unit_when_it_moves(tree, cast, members):
    branch, hung = tree["branch_a"], members["hung"]
    assert hung.unit == branch
    clerk = account_services.user_create(
        actor=cast["admin"], unit=branch, password="mot-mat-khau-dai-2024", username="thuky", role=Role.VIEWER
    )
    created = UnitEvent.objects.get(unit=branch, action="created")
    admitted = MemberEvent.objects.get(member=hung)
    login = UserEvent.objects.get(user=clerk)
    old_path = branch.path
    for event in (created, admitted, login):
        assert event.unit_path == old_path

    services.unit_move(actor=cast["khoi"], unit=branch, new_parent=tree["unit_b"])

    branch.refresh_from_db()
    assert branch.path != old_path and branch.path.startswith(tree["unit_b"].path)
    for event in (created, admitted, login):
        event.refresh_from_db()
        assert event.unit_path == branch.path
    moved = UnitEvent.objects.get(unit=branch, action="moved")
    assert moved.unit_path == branch.path and moved.actor == cast["khoi"]


@pytest.mark.django_db
def test_merge_writes_member_events_under_the_receiving_unit(tree, cast, members):
    import datetime

    services.unit_merge(actor=cast["khoi"], unit=tree["unit_b"], into=tree["unit_a"], on=datetime.date(2024, 1, 1))
    merged = MemberEvent.objects.filter(action="unit_merged")
    assert merged.exists()
    assert {e.unit_path for e in merged} == {tree["unit_a"].path}


def test_every_event_table_has_the_one_shape():
    from django.apps import apps

    events = [m for m in apps.get_models() if issubclass(m, AuditEvent)]
    names = {m._meta.label for m in events}
    assert {
        "org.UnitEvent",
        "members.MemberEvent",
        "members.SensitiveAccess",
        "activities.ActivityEvent",
        "news.NewsEvent",
        "reports.ReportEvent",
        "meetings.MeetingEvent",
        "accounts.UserEvent",
        "awards.AwardEvent",
        "awards.NominationEvent",
    } <= names
    for model in events:
        fields = {f.name for f in model._meta.get_fields()}
        assert {"actor", "at", "action", "summary", "changes", "unit_path"} <= fields, model
        assert not {"kind", "recorded_at"} & fields, model

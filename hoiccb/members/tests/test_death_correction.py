"""Recording a death asks first; a death recorded by mistake is corrected with a reason, in the history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hoiccb.lib.dates import PartialDate
from hoiccb.members import services
from hoiccb.members.models import EventKind, Member, MemberStatus


def test_death_asks_first_then_records(cast, members, login):
    client = login(cast["coso1"])
    member = members["an"]
    url = reverse("members:death", args=[member.pk])
    asked = client.post(url, {"died_on": "03/2024", "note": "Gia đình báo"})
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Ghi nhận hội viên Lê Thị Ân đã từ trần?" in page and "không thể cho sinh hoạt trở lại" in page
    assert 'name="xac_nhan"' in page and 'value="03/2024"' in page
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE  # nothing happened yet
    done = client.post(url, {"died_on": "03/2024", "note": "Gia đình báo", "xac_nhan": "1"})
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED and member.died_on == PartialDate(2024, 3)


def test_correcting_a_death_needs_a_reason_and_is_in_the_history(cast, members, login):
    member = services.member_record_death(actor=cast["coso1"], member=members["an"], died_on=PartialDate(2024, 3))
    with pytest.raises(ValidationError):
        services.member_reinstate(actor=cast["coso1"], member=member, on=member.created_at.date())
    client = login(cast["coso1"])
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "Đính chính: ghi nhầm từ trần" in detail
    url = reverse("members:death_correct", args=[member.pk])
    empty = client.post(url, {"reason": "  ", "xac_nhan": "1"})
    assert empty.status_code == 200 and "This field is required" not in empty.content.decode()
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED
    asked = client.post(url, {"reason": "Ghi nhầm người cùng tên"}).content.decode()
    assert "chưa từ trần và sinh hoạt trở lại?" in asked
    client.post(url, {"reason": "Ghi nhầm người cùng tên", "xac_nhan": "1"})
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE and member.died_on is None
    event = member.events.order_by("-at", "-id")[0]
    assert event.action == EventKind.REINSTATED and event.actor == cast["coso1"]
    assert "Ghi nhầm người cùng tên" in event.note
    assert event.changes["Ngày từ trần"] == ["03/2024", ""]
    assert event.changes["Tình trạng"][0] == "Đã từ trần"
    # The death entry stays in the history.
    assert member.events.filter(action=EventKind.DIED).exists()


def test_sibling_chair_cannot_correct(cast, members):
    member = services.member_record_death(actor=cast["khoi"], member=members["an"], died_on=PartialDate(2024))
    with pytest.raises((PermissionDenied, ValidationError)):
        services.member_death_correct(actor=cast["coso2"], member=member, reason="Nhầm")
    assert Member.objects.get(pk=member.pk).status == MemberStatus.DECEASED

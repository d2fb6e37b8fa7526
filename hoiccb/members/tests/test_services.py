import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.members import services
from hoiccb.members.models import EventKind, Member, MemberStatus


def test_admit_fills_search_and_sort_columns_and_history(cast, tree):
    member = admit(cast["coso1"], tree["unit_a"], "Nguyễn Văn Hùng", card_number="YB-9")
    assert member.search_text == "nguyen van hung yb-9"
    assert member.birth_year == 1950
    assert member.unit_path == tree["unit_a"].path
    event = member.events.get()
    assert event.action == EventKind.ADMITTED and event.actor == cast["coso1"] and event.to_unit == tree["unit_a"]


@pytest.mark.parametrize(
    "fields,field_in_error",
    [
        ({"cccd": "12345"}, "cccd"),
        ({"cccd": "00105000000A"}, "cccd"),
        ({"birth_date": PartialDate(1890)}, "birth_date"),
        ({"birth_date": PartialDate(1950), "enlisted_on": PartialDate(1949)}, "enlisted_on"),
        ({"birth_date": PartialDate(1950), "enlisted_on": PartialDate(1955)}, "enlisted_on"),
        ({"enlisted_on": PartialDate(1970), "discharged_on": PartialDate(1969)}, "discharged_on"),
        ({"party_joined_on": PartialDate(1970)}, "party_joined_on"),
        ({"phone": "gọi tôi"}, "phone"),
    ],
)
def test_admit_rejects_implausible_records(cast, tree, fields, field_in_error):
    with pytest.raises(ValidationError) as info:
        admit(cast["coso1"], tree["unit_a"], **fields)
    assert field_in_error in info.value.message_dict
    assert Member.objects.count() == 0


def test_cccd_is_unique_when_present(cast, tree):
    admit(cast["coso1"], tree["unit_a"], cccd="001050000001")
    admit(cast["coso1"], tree["unit_a"], "Lê Văn Ba")  # no CCCD twice is fine
    admit(cast["coso1"], tree["unit_a"], "Lê Văn Bốn")
    with pytest.raises(ValidationError) as info:
        admit(cast["coso1"], tree["unit_a"], "Trần Văn Năm", cccd="001050000001")
    assert "cccd" in info.value.message_dict


def test_members_sit_only_in_units_that_hold_members(cast, tree):
    with pytest.raises(ValidationError) as info:
        admit(cast["khoi"], tree["bloc"])
    assert "unit" in info.value.message_dict


def test_admit_outside_scope_is_refused(cast, tree):
    with pytest.raises(PermissionDenied):
        admit(cast["coso1"], tree["unit_b"])
    with pytest.raises(PermissionDenied):
        admit(cast["uyvien"], tree["unit_a"])


def test_update_records_before_and_after(cast, members):
    hung = members["hung"]
    updated = services.member_update(
        actor=cast["coso1"],
        member=hung,
        expected_version=hung.version,
        changes={"ten": "Hưng", "residence": "Phường Yên Ninh"},
    )
    assert updated.version == hung.version + 1
    assert updated.search_text.startswith("nguyen van hung")
    event = updated.events.get(action=EventKind.UPDATED)
    assert event.changes == {"Tên": ["Hùng", "Hưng"], "Nơi ở hiện nay": ["", "Phường Yên Ninh"]}
    assert event.actor == cast["coso1"]


def test_second_clerk_with_stale_version_gets_conflict(cast, members):
    hung = members["hung"]
    opened_version = hung.version
    services.member_update(
        actor=cast["coso1"], member=hung, expected_version=opened_version, changes={"phone": "0912345678"}
    )
    with pytest.raises(services.EditConflict) as info:
        services.member_update(
            actor=cast["khoi"], member=hung, expected_version=opened_version, changes={"phone": "0987654321"}
        )
    assert info.value.current.phone == "0912345678"
    assert Member.objects.get(pk=hung.pk).phone == "0912345678"


def test_transfer_writes_from_and_to(cast, tree, members):
    hung = services.member_transfer(
        actor=cast["khoi"], member=members["hung"], to_unit=tree["unit_b"], on=datetime.date(2024, 5, 1)
    )
    assert hung.unit == tree["unit_b"] and hung.unit_path == tree["unit_b"].path
    event = hung.events.get(action=EventKind.TRANSFERRED)
    assert (event.from_unit, event.to_unit, event.happened_on) == (
        tree["branch_a"],
        tree["unit_b"],
        datetime.date(2024, 5, 1),
    )


def test_officer_cannot_transfer_into_sibling_unit(cast, tree, members):
    with pytest.raises(PermissionDenied):
        services.member_transfer(
            actor=cast["coso1"], member=members["an"], to_unit=tree["unit_b"], on=datetime.date(2024, 5, 1)
        )
    assert Member.objects.get(pk=members["an"].pk).unit == tree["unit_a"]


def test_death_then_no_more_lifecycle_steps(cast, tree, members):
    an = services.member_record_death(actor=cast["coso1"], member=members["an"], died_on=PartialDate(2024, 2))
    assert an.status == MemberStatus.DECEASED and an.died_on == PartialDate(2024, 2)
    assert an.events.filter(action=EventKind.DIED).exists()
    with pytest.raises(ValidationError):
        services.member_transfer(actor=cast["coso1"], member=an, to_unit=tree["branch_a"], on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError):
        services.member_reinstate(actor=cast["coso1"], member=an, on=datetime.date(2024, 5, 1))


def test_death_before_birth_is_refused(cast, members):
    with pytest.raises(ValidationError):
        services.member_record_death(actor=cast["coso1"], member=members["an"], died_on=PartialDate(1940))
    assert Member.objects.get(pk=members["an"].pk).status == MemberStatus.ACTIVE


def test_leave_and_reinstate(cast, members):
    an = services.member_leave(
        actor=cast["coso1"], member=members["an"], on=datetime.date(2024, 1, 1), reason="Chuyển về quê"
    )
    assert an.status == MemberStatus.LEFT
    an = services.member_reinstate(actor=cast["coso1"], member=an, on=datetime.date(2024, 6, 1))
    assert an.status == MemberStatus.ACTIVE
    assert list(an.events.values_list("action", flat=True)) == [
        EventKind.REINSTATED,
        EventKind.LEFT,
        EventKind.ADMITTED,
    ]


def test_card_numbers_are_unique(cast, members):
    services.member_issue_card(
        actor=cast["coso1"], member=members["an"], number="yb-100", issued_on=datetime.date(2024, 1, 1)
    )
    assert Member.objects.get(pk=members["an"].pk).card_number == "YB-100"
    with pytest.raises(ValidationError):
        services.member_issue_card(
            actor=cast["khoi"], member=members["hung_b"], number="YB-100", issued_on=datetime.date(2024, 1, 1)
        )

"""A congress to elect at: a grassroots unit's đại hội with its delegates checked in."""

import datetime

import pytest
from django.utils import timezone

from hoiccb.conftest import admit
from hoiccb.lib.dates import PartialDate
from hoiccb.meetings import places, services
from hoiccb.meetings.elections import voting_services

# Seventeen names, in the order the ballot must print them (tên, chữ đệm, họ; Vietnamese letters:
# Lê before Nguyễn for the same "Văn An", Chiến before Cường, D before Đ, u before ư).
BALLOT_ORDER = [
    "Lê Văn An",
    "Nguyễn Văn An",
    "Phạm Thị Bình",
    "Hoàng Văn Chiến",
    "Đỗ Văn Cường",
    "Vũ Văn Dũng",
    "Bùi Văn Đức",
    "Ngô Văn Giang",
    "Trần Văn Hải",
    "Lý Văn Hùng",
    "Trịnh Văn Hưng",
    "Đặng Văn Khoa",
    "Mai Văn Lâm",
    "Đinh Văn Long",
    "Phan Văn Minh",
    "Cao Văn Sơn",
    "Tạ Văn Tâm",
]
CONGRESS_DAY = datetime.date(2022, 8, 15)


def hold_congress(actor, unit, branch, *, delegates: int, candidate_names=BALLOT_ORDER, checked_in=None):
    """A congress of `unit` on CONGRESS_DAY with `delegates` delegates of `branch` (the candidates first)."""
    meeting = services.meeting_create(
        actor=actor,
        unit=unit,
        kind="dai_hoi",
        title=f"Đại hội {unit.name} nhiệm kỳ 2022–2027",
        starts_at=timezone.make_aware(datetime.datetime.combine(CONGRESS_DAY, datetime.time(8, 0))),
        venue="Hội trường cơ quan",
    )
    (allotment,) = places.allot(actor=actor, meeting=meeting, places={branch: delegates})
    # Shuffle the admission order so that the ballot order cannot come from the ids.
    names = list(reversed(candidate_names)) + [f"Hội Viên Số{i:03d}" for i in range(delegates - len(candidate_names))]
    members = {}
    for n, name in enumerate(names):
        member = admit(actor, branch, name, birth_date=PartialDate(1950 + n % 15), party_member=n % 2 == 0)
        members[name] = member
        delegate = places.delegate_add(actor=actor, allotment=allotment, member=member)
        if checked_in is None or n < checked_in:
            places.check_in(actor=actor, attendee=delegate)
    return meeting, members


def enter(actor, batch, slot, serial, *, invalid="", crossed=()):
    return voting_services.ballot_enter(
        actor=actor, batch=batch, slot=slot, serial=serial, invalid=invalid, crossed=[c.pk for c in crossed]
    )


@pytest.fixture
def congress(cast, tree):
    return hold_congress(cast["coso1"], tree["unit_a"], tree["branch_a"], delegates=120)

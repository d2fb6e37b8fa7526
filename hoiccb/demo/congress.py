"""Demo congress: the bloc's congress of 1 July 2022 for the 2022–2027 term, its ballots entered twice
by two counters and counted, the new Ban Chấp hành confirmed into the tree; then the committee's
first session electing its chairman, deputies and standing committee the same way."""

import datetime
import random

from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.meetings import places as meeting_places
from hoiccb.meetings import services as meeting_services
from hoiccb.meetings.elections import confirmation, selectors, services, voting_services
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.models import Meeting, MeetingStatus
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import OfficerPosition, Unit
from hoiccb.org.paths import subtree_filter

CONGRESS_DAY = datetime.date(2022, 7, 1)
DELEGATES = 120
ABSENT = 2
BATCH = 60


def _at(hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(CONGRESS_DAY, datetime.time(hour, 0)))


def _meeting(actor: User, bloc: Unit, kind: str, title: str, hour: int) -> Meeting:
    meeting = meeting_services.meeting_create(
        actor=actor, unit=bloc, kind=kind, title=title, starts_at=_at(hour), venue="Hội trường Đảng ủy Khối"
    )
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])
    return meeting


def _delegates(actor: User, meeting: Meeting, present: int) -> list[Member]:
    """Fill every unit's places with its first members and check in the first `present`; returns the members."""
    chosen: list[Member] = []
    for allotment in meeting_places.allot_proportional(actor=actor, meeting=meeting, total=DELEGATES, minimum=1):
        pool = Member.objects.filter(
            status=MemberStatus.ACTIVE, **subtree_filter("unit_path", allotment.unit.path)
        ).order_by("id")[: allotment.places]
        for member in pool:
            delegate = meeting_places.delegate_add(actor=actor, allotment=allotment, member=member)
            if len(chosen) < present:
                meeting_places.check_in(actor=actor, attendee=delegate)
            chosen.append(member)
    return chosen


def _ballots(rng: random.Random, candidates, seats: int, voters: int, support: dict, spoilt: bool):
    """Each voter keeps a candidate with that candidate's support, and no more than the seats; with
    `spoilt` the last four ballots are invalid, one of each kind (the third keeps every name)."""
    ballots = []
    for _ in range(voters - 4 if spoilt else voters):
        kept = sorted((c for c in candidates if rng.random() < support[c.pk]), key=lambda c: -support[c.pk])[:seats]
        ballots.append(("", [c for c in candidates if c not in kept]))
    if spoilt:
        ballots += [(Invalid.NOT_OURS, []), (Invalid.ADDED_NAME, candidates[:2]), ("", []), (Invalid.OTHER_MARKS, [])]
    return ballots


def _count(first: User, second: User, election, rng: random.Random, support: dict, spoilt: bool) -> None:
    """Vote, count in batches entered by two counters, sign; the congress then confirms."""
    voting = services.list_approve(actor=first, election=election)
    voting_services.voting_close(actor=first, round=voting)
    candidates = selectors.ballot_order(voting)
    ballots = _ballots(rng, candidates, voting.seats, voting.present, support, spoilt)
    for start in range(0, len(ballots), BATCH):
        batch = voting_services.batch_open(actor=first, round=voting)
        for slot, counter in ((1, first), (2, second)):
            for serial, (invalid, crossed) in enumerate(ballots[start : start + BATCH], start + 1):
                voting_services.ballot_enter(
                    actor=counter,
                    batch=batch,
                    slot=slot,
                    serial=serial,
                    invalid=invalid,
                    crossed=[c.pk for c in crossed],
                )
        voting_services.batch_count(actor=first, batch=batch)
    voting_services.round_sign(actor=first, round=voting)
    confirmation.election_confirm(actor=first, election=election)


def _elect(first: User, second: User, meeting: Meeting, body: str, seats: int, people, rng: random.Random):
    election = services.election_create(actor=first, meeting=meeting, body=body, seats=seats)
    for member in people:
        services.candidate_add(actor=first, election=election, member=member)
    ranked = list(election.candidates.all())
    rng.shuffle(ranked)
    # The favourites keep most votes; the names a list has over its seats fall under half.
    support = {c.pk: 0.97 - 0.015 * i if i < seats else 0.4 for i, c in enumerate(ranked)}
    _count(first, second, election, rng, support, spoilt=meeting.kind == "dai_hoi")
    return election


def _session_delegates(actor: User, session: Meeting, members: list[Member], grassroots: list[Unit]) -> None:
    """The first session's voters are the new committee, each under their grassroots association."""
    by_unit: dict[Unit, list[Member]] = {}
    for member in members:
        top = next(g for g in grassroots if member.unit_path.startswith(g.path))
        by_unit.setdefault(top, []).append(member)
    places = {unit: len(people) for unit, people in by_unit.items()}
    for allotment in meeting_places.allot(actor=actor, meeting=session, places=places):
        for member in by_unit[allotment.unit]:
            delegate = meeting_places.delegate_add(actor=actor, allotment=allotment, member=member)
            meeting_places.check_in(actor=actor, attendee=delegate)


def build(*, bloc: Unit, grassroots: list[Unit], first: User, second: User) -> dict:
    """Hold the bloc's 2022 congress and the new committee's first session; returns the elections."""
    rng = random.Random(2022)
    congress = _meeting(first, bloc, "dai_hoi", "Đại hội đại biểu Hội CCB Khối lần thứ IV, nhiệm kỳ 2022–2027", 8)
    delegates = _delegates(first, congress, DELEGATES - ABSENT)
    committee = _elect(first, second, congress, "bch", 16, delegates[:18], rng)
    members = list(
        Member.objects.filter(
            pk__in=[p.member_id for p in OfficerPosition.objects.filter(pk__in=committee.created_positions)]
        ).order_by("id")
    )
    session = _meeting(first, bloc, "bch", "Hội nghị Ban Chấp hành lần thứ nhất, nhiệm kỳ 2022–2027", 14)
    _session_delegates(first, session, members, grassroots)
    chair = _elect(first, second, session, "chu_tich", 1, members[:1], rng)
    deputies = _elect(first, second, session, "pho_chu_tich", 2, members[1:4], rng)
    standing = _elect(first, second, session, "btv", 5, members[:6], rng)
    return {"congress": committee, "chair": chair, "deputies": deputies, "standing": standing}

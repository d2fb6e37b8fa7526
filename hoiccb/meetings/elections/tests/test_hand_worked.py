"""The congress counted by hand: 120 delegates, 118 ballots, 15 seats, 17 candidates.

Ballots 1–114 are valid; each crosses out two or three names so that the candidates, in ballot
order, keep these votes (crossed out = 114 - votes):

    1–13 : 110, 109, …, 98     (crossed out on 4, 5, …, 16 ballots)
    14   : 95                  (19)
    15,16: 90 and 90           (24 each) — a tie for the 15th seat
    17   : 57                  (57)      — exactly half of 114, not elected

Ballots 115–118 are invalid, one of each kind: not the congress's, keeps 16 names (> 15),
a name added, other marks. So 118 = 114 valid + 4 invalid, half of 114 is 57, fourteen are
elected and the 15th seat goes to a second round between candidates 15 and 16:
116 ballots, 70 keep 15, 44 keep 16, 2 keep both (invalid: more than one of one seat).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hoiccb.meetings.elections import confirmation, selectors, services, voting_services
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.elections.models import ElectionStatus, RoundStatus
from hoiccb.meetings.elections.tests.conftest import BALLOT_ORDER, enter
from hoiccb.meetings.models import MeetingEvent
from hoiccb.org import services as org_services
from hoiccb.org.models import OfficerPosition, PositionRole, Term

VOTES_ROUND_1 = [110, 109, 108, 107, 106, 105, 104, 103, 102, 101, 100, 99, 98, 95, 90, 90, 57]
PERCENT_ROUND_1 = [
    96.49,
    95.61,
    94.74,
    93.86,
    92.98,
    92.11,
    91.23,
    90.35,
    89.47,
    88.60,
    87.72,
    86.84,
    85.96,
    83.33,
    78.95,
    78.95,
    50.0,
]


def round_one_ballots(names):
    """Serial → (invalid, crossed candidates): the crosses dealt out ballot after ballot, round-robin."""
    ballots: dict[int, tuple[str, list]] = {serial: ("", []) for serial in range(1, 115)}
    pointer = 0
    for candidate, votes in zip(names, VOTES_ROUND_1, strict=True):
        for _ in range(114 - votes):
            ballots[pointer % 114 + 1][1].append(candidate)
            pointer += 1
    ballots[115] = (Invalid.NOT_OURS, [])
    ballots[116] = ("", [names[0]])  # keeps 16 of 17: the count itself finds it invalid
    ballots[117] = (Invalid.ADDED_NAME, names[:3])
    ballots[118] = (Invalid.OTHER_MARKS, names[:2])
    return ballots


def enter_twice(first, second, voting, ballots, batch_size=60):
    """Both counters enter every batch; each batch is then counted."""
    serials = sorted(ballots)
    for start in range(0, len(serials), batch_size):
        batch = voting_services.batch_open(actor=first, round=voting)
        for slot, counter in ((1, first), (2, second)):
            for serial in serials[start : start + batch_size]:
                invalid, crossed = ballots[serial]
                enter(counter, batch, slot, serial, invalid=invalid, crossed=crossed)
        voting_services.batch_count(actor=first, batch=batch)


@pytest.fixture
def old_chair(cast, tree, members):
    term = org_services.term_create(actor=cast["khoi"], unit=tree["unit_a"], start_year=2017, end_year=2022)
    return org_services.officer_assign(
        actor=cast["khoi"],
        unit=tree["unit_a"],
        term=term,
        member=members["hung"],
        role=PositionRole.CHAIR,
        start_date=datetime.date(2017, 9, 1),
    )


def test_the_hand_worked_congress(cast, tree, congress, old_chair, client):
    meeting, people = congress
    chair, counter = cast["coso1"], cast["khoi"]
    election = services.election_create(actor=chair, meeting=meeting, body="bch", seats=15)
    for name in BALLOT_ORDER[:16]:
        services.candidate_add(actor=chair, election=election, member=people[name])
    with pytest.raises(ValidationError, match="ít nhất 17 người"):
        services.list_approve(actor=chair, election=election)  # 16 for 15 seats: under 10 % more
    services.candidate_add(actor=chair, election=election, member=people[BALLOT_ORDER[16]])
    first = services.list_approve(actor=chair, election=election)

    names = selectors.ballot_order(first)
    assert [c.full_name for c in names] == BALLOT_ORDER
    assert names[0].birth_year and names[0].unit_name == tree["branch_a"].name

    with pytest.raises(ValidationError, match="Chưa kết thúc bỏ phiếu"):
        voting_services.batch_open(actor=chair, round=first)
    voting_services.voting_close(actor=chair, round=first)
    first.refresh_from_db()
    assert first.present == 120

    enter_twice(chair, counter, first, round_one_ballots(names))
    result = selectors.round_result(first)
    assert (result.cast, result.valid, result.invalid_total, result.base) == (118, 114, 4, 114)
    assert result.invalid == {
        Invalid.NOT_OURS: 1,
        Invalid.TOO_MANY: 1,
        Invalid.ADDED_NAME: 1,
        Invalid.OTHER_MARKS: 1,
    }
    by_name = {row.candidate.full_name: row.outcome for row in selectors.ballot_outcomes(first, result)}
    assert [by_name[n].votes for n in BALLOT_ORDER] == VOTES_ROUND_1
    assert [by_name[n].percent for n in BALLOT_ORDER] == PERCENT_ROUND_1
    verdicts = [by_name[n].verdict for n in BALLOT_ORDER]
    assert verdicts == ["elected"] * 14 + ["tied", "tied", "not_half"]
    assert result.seats_left == 1

    voting_services.round_sign(actor=chair, round=first)
    with pytest.raises(ValidationError, match="đã ký biên bản"):
        enter(chair, first.batches.first(), 1, 1)

    # The congress votes again between the two tied for the last seat.
    tied = [c for c in names if c.full_name in ("Cao Văn Sơn", "Phan Văn Minh")]
    second = voting_services.further_round_open(actor=chair, election=election, candidates=tied, seats=1)
    assert [c.full_name for c in selectors.ballot_order(second)] == ["Phan Văn Minh", "Cao Văn Sơn"]
    voting_services.voting_close(actor=chair, round=second)
    minh, son = selectors.ballot_order(second)
    again = {s: ("", [son]) for s in range(1, 71)}
    again |= {s: ("", [minh]) for s in range(71, 115)}
    again |= {115: ("", []), 116: ("", [])}
    enter_twice(chair, counter, second, again)
    result = selectors.round_result(second)
    assert (result.cast, result.valid, result.invalid) == (116, 114, {Invalid.TOO_MANY: 2})
    outcomes = {row.candidate.full_name: row.outcome for row in selectors.ballot_outcomes(second, result)}
    assert (outcomes["Phan Văn Minh"].votes, outcomes["Phan Văn Minh"].percent) == (70, 61.4)
    assert (outcomes["Cao Văn Sơn"].votes, outcomes["Cao Văn Sơn"].percent) == (44, 38.6)
    assert outcomes["Phan Văn Minh"].elected and not outcomes["Cao Văn Sơn"].elected
    voting_services.round_sign(actor=chair, round=second)
    second.refresh_from_db()
    assert second.status == RoundStatus.SIGNED

    # Into the tree: a new 2022–2027 term, fifteen members of the committee from the congress date.
    confirmation.election_confirm(actor=chair, election=election)
    term = Term.objects.get(unit=tree["unit_a"], start_year=2022)
    assert term.end_year == 2027
    committee = OfficerPosition.objects.filter(term=term, role=PositionRole.EXECUTIVE)
    assert committee.count() == 15
    assert {p.start_date for p in committee} == {datetime.date(2022, 8, 15)}
    assert set(committee.values_list("member__ten", flat=True)) >= {"Minh", "Long"}
    assert not committee.filter(member__ten__in=["Sơn", "Tâm"]).exists()
    old_chair.refresh_from_db()
    assert old_chair.end_date == datetime.date(2022, 8, 14)
    client.force_login(chair)
    page = client.get(reverse("org:detail", args=[tree["unit_a"].pk])).content.decode()
    assert "Phan Văn Minh" in page and "Cao Văn Sơn" not in page

    # An authorised user reverses it, with a reason; the tree is as before.
    with pytest.raises(ValidationError):
        confirmation.election_revert(actor=chair, election=election, reason=" ")
    confirmation.election_revert(
        actor=chair, election=election, reason="Nhập nhầm biên bản, Đại hội đề nghị xác nhận lại"
    )
    assert not Term.objects.filter(unit=tree["unit_a"], start_year=2022).exists()
    old_chair.refresh_from_db()
    assert old_chair.end_date is None
    election.refresh_from_db()
    assert election.status == ElectionStatus.APPROVED
    assert MeetingEvent.objects.filter(action="election_revert", summary__contains="Nhập nhầm biên bản").exists()
    assert MeetingEvent.objects.filter(action="election_confirm").exists()


def test_counting_waits_for_the_box_and_a_sibling_cannot_confirm(cast, tree, congress):
    meeting, people = congress
    chair = cast["coso1"]
    election = services.election_create(actor=chair, meeting=meeting, body="bch", seats=3, double_entry=False)
    for name in BALLOT_ORDER[:4]:
        services.candidate_add(actor=chair, election=election, member=people[name])
    voting = services.list_approve(actor=chair, election=election)
    with pytest.raises(ValidationError, match="Chưa kết thúc bỏ phiếu"):
        voting_services.batch_open(actor=chair, round=voting)
    voting_services.voting_close(actor=chair, round=voting)
    batch = voting_services.batch_open(actor=chair, round=voting)
    names = selectors.ballot_order(voting)
    with pytest.raises(ValidationError, match="phiếu được in số 1 đến 120"):
        enter(chair, batch, 1, 121, crossed=names[:1])
    enter(chair, batch, 1, 1, crossed=names[:1])
    voting_services.batch_count(actor=chair, batch=batch)
    voting_services.round_sign(actor=chair, round=voting)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        confirmation.election_confirm(actor=cast["coso2"], election=election)
    with pytest.raises(ValidationError, match="không bầu"):
        services.election_create(actor=chair, meeting=meeting, body="xyz", seats=1)

"""Tallied batches: a counting team enters a stack's paper totals; two counters must agree line by
line, a tally that cannot be right is refused, and a tallied batch counts exactly as its ballots."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hoiccb.meetings.elections import docs, selectors, services, voting_services
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.elections.tests.conftest import BALLOT_ORDER, enter, hold_congress
from hoiccb.meetings.elections.tests.test_pages_and_papers import docx_text

NAMES = BALLOT_ORDER[:6]
SEATS = 5


def open_counting(chair, meeting, people, body):
    election = services.election_create(actor=chair, meeting=meeting, body=body, seats=SEATS)
    for name in NAMES:
        services.candidate_add(actor=chair, election=election, member=people[name])
    voting = services.list_approve(actor=chair, election=election)
    voting_services.voting_close(actor=chair, round=voting)
    return voting


@pytest.fixture
def congress(cast, tree):
    return hold_congress(cast["coso1"], tree["unit_a"], tree["branch_a"], delegates=24, candidate_names=NAMES)


@pytest.fixture
def voting(cast, congress):
    meeting, people = congress
    return open_counting(cast["coso1"], meeting, people, "bch")


def tally(actor, batch, slot, *, ballots, valid, invalid=None, votes=None):
    return voting_services.tally_enter(
        actor=actor,
        batch=batch,
        slot=slot,
        ballots=ballots,
        valid=valid,
        invalid=invalid or {},
        votes={c.pk: n for c, n in (votes or {}).items()},
    )


def test_a_tally_entered_alike_by_two_counters_counts(cast, voting):
    names = selectors.ballot_order(voting)
    batch = voting_services.batch_open(actor=cast["coso1"], round=voting, tallied=True)
    totals = dict(
        ballots=10, valid=9, invalid={Invalid.OTHER_MARKS: 1}, votes=dict(zip(names, [9, 8, 7, 6, 5, 4], strict=True))
    )
    tally(cast["coso1"], batch, 1, **totals)
    with pytest.raises(ValidationError, match="thứ hai chưa nhập"):
        voting_services.batch_count(actor=cast["coso1"], batch=batch)
    tally(cast["khoi"], batch, 2, **totals)
    assert selectors.tally_differences(batch) == []
    voting_services.batch_count(actor=cast["coso1"], batch=batch)
    result = selectors.round_result(voting)
    assert (result.cast, result.valid, result.invalid) == (10, 9, {Invalid.OTHER_MARKS: 1})
    assert [o.votes for o in result.outcomes] == [9, 8, 7, 6, 5, 4]
    # Counted: no counter may change it any more.
    with pytest.raises(ValidationError, match="đã được tính"):
        tally(cast["khoi"], batch, 2, **totals)


def test_two_differing_tallies_show_each_line_and_hold_the_batch(cast, voting, client):
    names = selectors.ballot_order(voting)
    batch = voting_services.batch_open(actor=cast["coso1"], round=voting, tallied=True)
    votes = dict(zip(names, [6, 6, 5, 5, 4, 3], strict=True))
    tally(cast["coso1"], batch, 1, ballots=8, valid=7, invalid={Invalid.ADDED_NAME: 1}, votes=votes)
    misread = votes | {names[2]: 4}  # the second counter read one name's total wrong, and the reason
    tally(cast["khoi"], batch, 2, ballots=8, valid=7, invalid={Invalid.OTHER_MARKS: 1}, votes=misread)
    differences = [(d.label, d.first, d.second) for d in selectors.tally_differences(batch)]
    assert differences == [
        (Invalid.ADDED_NAME.label, 1, 0),
        (Invalid.OTHER_MARKS.label, 0, 1),
        (names[2].full_name, 5, 4),
    ]
    with pytest.raises(ValidationError, match=f"Hai lần nhập khác nhau ở: .*{names[2].full_name}"):
        voting_services.batch_count(actor=cast["coso1"], batch=batch)
    assert selectors.round_result(voting).cast == 0
    # The same counter may not enter both.
    with pytest.raises(ValidationError, match="hai người kiểm phiếu khác nhau"):
        tally(cast["coso1"], batch, 2, ballots=8, valid=7, invalid={Invalid.ADDED_NAME: 1}, votes=votes)

    client.force_login(cast["coso1"])
    page = client.get(reverse("meetings:counting", args=[voting.pk])).content.decode()
    assert "3 dòng khác nhau" in page
    assert f"{names[2].full_name}: người thứ nhất 5 · người thứ hai 4" in page

    # The second counter looks at the paper again and corrects the entry: the batch counts.
    tally(cast["khoi"], batch, 2, ballots=8, valid=7, invalid={Invalid.ADDED_NAME: 1}, votes=votes)
    voting_services.batch_count(actor=cast["coso1"], batch=batch)
    assert selectors.round_result(voting).invalid == {Invalid.ADDED_NAME: 1}


@pytest.mark.parametrize(
    ("totals", "message"),
    [
        (dict(ballots=10, valid=8, invalid={Invalid.OTHER_MARKS: 1}), r"\(8\) cộng số phiếu không hợp lệ \(1\)"),
        (dict(ballots=5, valid=5, votes=[6, 0, 0, 0, 0, 0]), "được 6 phiếu, nhiều hơn số phiếu hợp lệ của tập"),
        (dict(ballots=2, valid=2, votes=[2, 2, 2, 2, 2, 1]), r"Tổng số phiếu bầu \(11\) nhiều hơn mức có thể"),
        (dict(ballots=25, valid=25), r"chỉ còn 24 phiếu chưa kiểm"),
        (dict(ballots=0, valid=0), "ít nhất là 1"),
    ],
)
def test_a_tally_that_cannot_be_right_is_refused(cast, voting, totals, message):
    names = selectors.ballot_order(voting)
    batch = voting_services.batch_open(actor=cast["coso1"], round=voting, tallied=True)
    votes = dict(zip(names, totals.pop("votes", [0] * 6), strict=True))
    with pytest.raises(ValidationError, match=message):
        tally(cast["coso1"], batch, 1, votes=votes, **totals)
    assert not batch.tallies.exists()


def test_the_uncounted_ballots_shrink_as_batches_count(cast, voting):
    first = voting_services.batch_open(actor=cast["coso1"], round=voting, tallied=True)
    second = voting_services.batch_open(actor=cast["coso1"], round=voting, tallied=True)
    for batch in (first, second):  # both entered while nothing is counted: 20 each fits in 24
        tally(cast["coso1"], batch, 1, ballots=20, valid=20)
        tally(cast["khoi"], batch, 2, ballots=20, valid=20)
    voting_services.batch_count(actor=cast["coso1"], batch=first)
    with pytest.raises(ValidationError, match="chỉ còn 4 phiếu chưa kiểm"):
        voting_services.batch_count(actor=cast["coso1"], batch=second)
    # A ballot-by-ballot batch refuses totals, and the other way round.
    with pytest.raises(ValidationError, match="nhập tổng hợp"):
        enter(cast["coso1"], second, 1, 21)


def test_a_bad_tally_through_the_page(cast, voting, client):
    names = selectors.ballot_order(voting)
    client.force_login(cast["coso1"])
    client.post(reverse("meetings:batch_open", args=[voting.pk]), {"tong_hop": "1"})
    batch = voting.batches.get()
    assert batch.tallied
    url = reverse("meetings:batch", args=[batch.pk]) + "?lan=1"
    page = client.get(url).content.decode()
    assert 'inputmode="numeric"' in page and names[0].full_name in page
    data = {"ballots": 10, "valid": 10, **{f"invalid_{r}": 0 for r in Invalid.values}}
    data |= {f"vote_{c.pk}": 3 for c in names} | {f"vote_{names[0].pk}": 11}
    response = client.post(url, data)
    assert response.status_code == 200 and not batch.tallies.exists()
    assert f"{names[0].full_name} được 11 phiếu, nhiều hơn số phiếu hợp lệ của tập (10)." in response.content.decode()
    response = client.post(url, data | {f"vote_{names[0].pk}": "-1"})
    assert "Không được âm." in response.content.decode()
    response = client.post(url, data | {f"vote_{names[0].pk}": 10})
    assert response.status_code == 302 and batch.tallies.get().votes[str(names[0].pk)] == 10
    # The counting page names the batch as tallied, with the first counter's ballots.
    page = client.get(reverse("meetings:counting", args=[voting.pk])).content.decode()
    assert "tổng hợp</span> · người thứ nhất 10 phiếu" in page


def paper_tally(readings, names, seats):
    """What a counting team writes on paper for a stack of ballots: each invalid one under its
    reason (one keeping too many names under that reason), each kept name of a valid one a vote."""
    invalid: dict[str, int] = {}
    votes = dict.fromkeys(names, 0)
    for reason, crossed in readings:
        kept = [c for c in names if c not in crossed]
        reason = reason or (Invalid.TOO_MANY if len(kept) > seats else "")
        if reason:
            invalid[reason] = invalid.get(reason, 0) + 1
            continue
        for c in kept:
            votes[c] += 1
    ballots = len(readings)
    return dict(ballots=ballots, valid=ballots - sum(invalid.values()), invalid=invalid, votes=votes)


def test_twenty_ballots_one_by_one_or_tallied_give_the_same_result(cast, congress):
    chair, second = cast["coso1"], cast["khoi"]
    meeting, people = congress
    one_by_one = open_counting(chair, meeting, people, "bch")
    tallied = open_counting(chair, meeting, people, "dai_bieu")
    # Twenty readings by position on the ballot: names crossed out, and some invalid for a reason.
    rng = random.Random(20)
    readings = []
    for serial in range(1, 21):
        reason = rng.choice(Invalid.values) if serial in (4, 11, 17) else ""
        crossed = set(rng.sample(range(6), rng.choice([0, 1, 1, 1, 2, 3, 6])))  # 0 crossed: too many kept
        readings.append((serial, reason, crossed))

    names_a = selectors.ballot_order(one_by_one)
    batch = voting_services.batch_open(actor=chair, round=one_by_one)
    for serial, reason, crossed in readings:
        for actor, slot in ((chair, 1), (second, 2)):
            enter(actor, batch, slot, serial, invalid=reason, crossed=[names_a[i] for i in crossed])
    voting_services.batch_count(actor=chair, batch=batch)

    names_b = selectors.ballot_order(tallied)
    for stack in (readings[:13], readings[13:]):  # two teams, two stacks
        batch = voting_services.batch_open(actor=chair, round=tallied, tallied=True)
        totals = paper_tally([(r, {names_b[i] for i in c}) for _, r, c in stack], names_b, SEATS)
        totals["votes"] = {c.pk: n for c, n in totals["votes"].items()}
        for actor, slot in ((chair, 1), (second, 2)):
            voting_services.tally_enter(actor=actor, batch=batch, slot=slot, **totals)
        voting_services.batch_count(actor=chair, batch=batch)

    def seen(voting):
        result = selectors.round_result(voting)
        outcomes = [
            (r.candidate.full_name, r.outcome.votes, r.outcome.percent, r.outcome.verdict)
            for r in selectors.ballot_outcomes(voting, result)
        ]
        return result.cast, result.valid, result.invalid, result.base, outcomes

    a, b = seen(one_by_one), seen(tallied)
    assert a == b
    assert a[0] == 20 and a[2].get(Invalid.TOO_MANY, 0) > 0 and 0 < a[1] < 20  # the sample covers the rules
    assert "elected" in {o[3] for o in a[4]} and len({o[3] for o in a[4]}) > 1

    # Both rounds signed: the counting minutes read the same numbers and the same table.
    for voting in (one_by_one, tallied):
        voting_services.round_sign(actor=chair, round=voting)
    minutes = [docx_text(docs.count_minutes(v.election)) for v in (one_by_one, tallied)]
    sections = [m[m.index("Bầu lần 1") :] for m in minutes]
    assert sections[0] == sections[1]
    assert "số phiếu thu về: 20" in sections[1]

"""Two counters enter the same batch: one differing ballot is shown and holds the batch back."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hoiccb.meetings.elections import selectors, services, voting_services
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.elections.tests.conftest import BALLOT_ORDER, enter, hold_congress


@pytest.fixture
def counting(cast, tree):
    chair = cast["coso1"]
    meeting, people = hold_congress(
        chair, tree["unit_a"], tree["branch_a"], delegates=12, candidate_names=BALLOT_ORDER[:6]
    )
    election = services.election_create(actor=chair, meeting=meeting, body="bch", seats=5)
    for name in BALLOT_ORDER[:6]:
        services.candidate_add(actor=chair, election=election, member=people[name])
    voting = services.list_approve(actor=chair, election=election)
    voting_services.voting_close(actor=chair, round=voting)
    return voting, voting_services.batch_open(actor=chair, round=voting), selectors.ballot_order(voting)


def test_a_single_differing_ballot_is_flagged(cast, counting, client):
    voting, batch, names = counting
    first, second = cast["coso1"], cast["khoi"]
    for serial in range(1, 11):
        enter(first, batch, 1, serial, crossed=names[serial % 6 : serial % 6 + 1])
    for serial in range(1, 11):
        crossed = names[serial % 6 : serial % 6 + 1]
        if serial == 7:
            crossed = names[:1]  # the second counter misread ballot 7
        enter(second, batch, 2, serial, crossed=crossed)
    differences = selectors.batch_differences(batch)
    assert [d.serial for d in differences] == [7]
    with pytest.raises(ValidationError, match="phiếu số 7"):
        voting_services.batch_count(actor=first, batch=batch)
    assert selectors.round_result(voting).cast == 0  # nothing counted yet

    client.force_login(first)
    page = client.get(reverse("meetings:counting", args=[voting.pk])).content.decode()
    assert "Phiếu số 7: hai lần nhập khác nhau" in page and "1 phiếu khác nhau" in page
    assert f"Người thứ nhất: gạch {names[1].full_name} · người thứ hai: gạch {names[0].full_name}" in page

    # Looking at the paper again, the second counter corrects ballot 7: the batch counts.
    enter(second, batch, 2, 7, crossed=names[1:2])
    assert selectors.batch_differences(batch) == []
    voting_services.batch_count(actor=first, batch=batch)
    assert selectors.round_result(voting).cast == 10


def test_a_ballot_missing_from_one_entry_and_one_counter_twice(cast, counting):
    _, batch, _ = counting
    enter(cast["coso1"], batch, 1, 1, invalid=Invalid.OTHER_MARKS)
    enter(cast["coso1"], batch, 1, 2)
    enter(cast["khoi"], batch, 2, 1, invalid=Invalid.OTHER_MARKS)
    assert [(d.serial, d.second) for d in selectors.batch_differences(batch)] == [(2, None)]
    with pytest.raises(ValidationError, match="hai người kiểm phiếu khác nhau"):
        enter(cast["coso1"], batch, 2, 2)

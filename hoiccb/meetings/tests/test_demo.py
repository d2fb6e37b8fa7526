import pytest
from django.core.management import call_command

from hoiccb.accounts.models import User
from hoiccb.lib.forms import today
from hoiccb.meetings import selectors
from hoiccb.meetings.elections import selectors as election_selectors
from hoiccb.meetings.elections.counting import Invalid
from hoiccb.meetings.models import Meeting, TaskStatus
from hoiccb.org.models import PositionRole
from hoiccb.org.selectors import current_officers

pytestmark = pytest.mark.django_db


def test_demo_holds_the_conference_in_preparation_and_a_past_working_session(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    conference = Meeting.objects.get(kind="tong_ket")
    assert "2019–2024" in conference.title and conference.status == "planned"
    assert conference.agenda.count() == 8 and conference.guests.count() == 4
    assert sum(conference.allotments.values_list("places", flat=True)) == 120
    assert conference.allotments.filter(places__lt=2).count() == 0
    assert conference.delegates.exists()
    assert set(conference.tasks.values_list("status", flat=True)) == set(TaskStatus.values)
    khoi, uyvien = User.objects.get(username="khoi"), User.objects.get(username="uyvien1")
    assert selectors.late_tasks(khoi, today()).exists() and selectors.blocked_tasks(khoi).exists()
    assert selectors.my_tasks(uyvien).exists()
    session = Meeting.objects.get(kind="lam_viec")
    assert session.minutes and session.conclusions.count() == 3
    assert all(c.task.group == "ket_luan" for c in session.conclusions.all())

    # The bloc's 2022–2027 congress (seed_demo is slow: its checks ride along here).
    congress = Meeting.objects.get(kind="dai_hoi")
    committee = congress.elections.get(body="bch")
    voting = committee.rounds.get()
    result = election_selectors.round_result(voting)
    assert (committee.status, voting.status, voting.present, result.cast) == ("confirmed", "signed", 118, 118)
    assert set(result.invalid) == set(Invalid.values) and len(result.elected) == 16
    assert all(b.counted_at and not election_selectors.batch_differences(b) for b in voting.batches.all())
    officers = current_officers(congress.unit)
    assert sum(p.role == PositionRole.EXECUTIVE for p in officers) == 16
    assert [p.role for p in officers].count(PositionRole.CHAIR) == 1
    assert {p.term.start_year for p in officers} == {2022}

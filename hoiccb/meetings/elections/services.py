"""Writes of an election's beginning: the election and its candidate list, the list's approval
that opens voting, and what the voting and confirmation modules share (the audit entry, the status
check, the congress date). The counting is in `voting`, the result entering the tree in
`confirmation`. Each write checks the actor, validates, and leaves a MeetingEvent."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import name_sort_key
from hoiccb.meetings import access as meetings_access
from hoiccb.meetings.elections.counting import Base, margin_problem
from hoiccb.meetings.elections.models import Candidate, ElectedBody, Election, ElectionStatus, Round
from hoiccb.meetings.models import Meeting, MeetingEvent, MeetingKind
from hoiccb.members.models import Member
from hoiccb.members.privacy.access_log import access_record
from hoiccb.org.audit import record
from hoiccb.org.models import OfficerPosition

# The margin of the candidate list over the seats, by default (each election may change it).
LIST_MARGIN_PCT = (10, 30)
# One person to elect (a chairman): the list may have as many names as seats.
SINGLE_MARGIN_PCT = (0, 100)
TERM_YEARS = 5

# Which bodies each kind of meeting elects: the congress its committee and delegates, the new
# committee's first session its standing committee, chairman, deputies and inspection committee.
BODIES_AT: dict[str, set[str]] = {
    MeetingKind.CONGRESS: set(ElectedBody.values),
    MeetingKind.COMMITTEE: {ElectedBody.STANDING, ElectedBody.CHAIR, ElectedBody.VICE_CHAIR, ElectedBody.INSPECTION},
}


def log_event(actor: User, election: Election, action: str, summary: str, **changes) -> None:
    record(
        MeetingEvent,
        actor=actor,
        action=action,
        summary=f"{election}: {summary}",
        changes=changes,
        meeting=election.meeting,
    )


def require_status(election: Election, *allowed: str, message: str) -> None:
    if election.status not in allowed:
        raise ValidationError(message)


def default_margin(body: str) -> tuple[int, int]:
    return SINGLE_MARGIN_PCT if body in (ElectedBody.CHAIR,) else LIST_MARGIN_PCT


def congress_date(election: Election) -> datetime.date:
    return timezone.localtime(election.meeting.starts_at).date()


# --- The election and its list -------------------------------------------------------------------


@transaction.atomic
def election_create(
    *,
    actor: User,
    meeting: Meeting,
    body: str,
    seats: int,
    min_extra_pct: int | None = None,
    max_extra_pct: int | None = None,
    majority_base: str = Base.VALID,
    double_entry: bool = True,
) -> Election:
    meetings_access.require_manage(actor, meeting)
    if body not in BODIES_AT.get(meeting.kind, set()):
        what = ElectedBody(body).label if body in ElectedBody.values else body
        raise ValidationError({"body": f"{meeting.get_kind_display()} không bầu {what}."})
    low, high = default_margin(body)
    election = Election(
        meeting=meeting,
        unit=meeting.unit,
        body=body,
        seats=seats,
        min_extra_pct=low if min_extra_pct is None else min_extra_pct,
        max_extra_pct=high if max_extra_pct is None else max_extra_pct,
        majority_base=majority_base,
        double_entry=double_entry,
    )
    election.full_clean()
    election.save()
    log_event(actor, election, "election_create", f"{seats} người")
    return election


def _profile_position(member: Member) -> str:
    held = OfficerPosition.objects.filter(member=member, end_date__isnull=True).select_related("unit")
    return "; ".join(f"{p.get_role_display()} {p.unit.name}" for p in held)


@transaction.atomic
def candidate_add(*, actor: User, election: Election, member: Member) -> Candidate:
    meetings_access.require_manage(actor, election.meeting)
    require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua, không thêm được người.")
    if not member.is_active or not member.unit.is_within(election.unit):
        raise ValidationError("Người ứng cử phải là hội viên đang sinh hoạt trong đơn vị.")
    if election.candidates.filter(member=member).exists():
        raise ValidationError(f"{member.full_name} đã có trong danh sách.")
    candidate = Candidate(
        election=election,
        member=member,
        full_name=member.full_name,
        sort_key=name_sort_key(member.ho, member.chu_dem, member.ten),
        birth_year=member.birth_year,
        unit_name=member.unit.name,
        party_member=member.party_member,
        position=_profile_position(member),
    )
    candidate.full_clean(exclude=["sort_key"])
    candidate.save()
    # The profile read out to the congress shows party membership: a sensitive field, so logged.
    access_record(actor=actor, purpose=f"Lý lịch ứng cử viên ({election})", member=member, fields=["party_member"])
    log_event(actor, election, "candidate_add", member.full_name)
    return candidate


@transaction.atomic
def candidate_remove(*, actor: User, candidate: Candidate) -> None:
    election = candidate.election
    meetings_access.require_manage(actor, election.meeting)
    require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua, không bỏ được người.")
    candidate.delete()
    log_event(actor, election, "candidate_remove", candidate.full_name)


@transaction.atomic
def list_approve(*, actor: User, election: Election) -> Round:
    """The congress approves the list: the margin is checked and voting opens (round 1); returns the round."""
    meetings_access.require_manage(actor, election.meeting)
    require_status(election, ElectionStatus.DRAFT, message="Danh sách đã được thông qua.")
    candidates = list(election.candidates.all())
    problem = margin_problem(len(candidates), election.seats, election.min_extra_pct, election.max_extra_pct)
    if problem:
        raise ValidationError(problem)
    election.status, election.approved_at = ElectionStatus.APPROVED, timezone.now()
    election.save(update_fields=["status", "approved_at"])
    voting = Round.objects.create(election=election, number=1, seats=election.seats)
    voting.candidates.set(candidates)
    log_event(actor, election, "list_approve", f"thông qua danh sách {len(candidates)} người, bầu {election.seats}")
    return voting

"""The result of an election entering the unit's tree: confirmation makes the elected its officers
from the congress date (a new committee opens a new term), and its reversal undoes exactly that.
Each write checks the actor, validates, and leaves a MeetingEvent."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.meetings.elections import selectors
from hoiccb.meetings.elections.models import Candidate, ElectedBody, Election, ElectionStatus, RoundStatus
from hoiccb.meetings.elections.services import TERM_YEARS, congress_date, log_event, require_status
from hoiccb.org import services as org_services
from hoiccb.org.models import OfficerPosition, PositionRole, Term

ROLE_OF: dict[str, str] = {
    ElectedBody.EXECUTIVE: PositionRole.EXECUTIVE,
    ElectedBody.STANDING: PositionRole.STANDING,
    ElectedBody.CHAIR: PositionRole.CHAIR,
    ElectedBody.VICE_CHAIR: PositionRole.VICE_CHAIR,
    ElectedBody.INSPECTION: PositionRole.INSPECTION_MEMBER,
}


def _require_officers(actor: User, election: Election) -> None:
    # The same right as giving officer positions by hand (org.services.officer_assign).
    if not (scoping.can(actor, "manage_units") and scoping.unit_in_scope(actor, election.unit)):
        raise PermissionDenied("Bạn không có quyền xác nhận kết quả bầu cử vào tổ chức của đơn vị này.")


def _term_for(actor: User, election: Election, on: datetime.date) -> tuple[Term, bool]:
    """The term the elected serve in, and whether this confirmation created it: a new committee
    opens the term beginning in the congress's year; the bodies it elects serve in the unit's latest term."""
    if election.body == ElectedBody.EXECUTIVE:
        term = Term.objects.filter(unit=election.unit, start_year=on.year).first()
        if term is not None:
            return term, False
        return org_services.term_create(
            actor=actor, unit=election.unit, start_year=on.year, end_year=on.year + TERM_YEARS
        ), True
    term = Term.objects.filter(unit=election.unit).order_by("-start_year").first()
    if term is None:
        raise ValidationError("Đơn vị chưa có nhiệm kỳ: hãy xác nhận kết quả bầu Ban Chấp hành trước.")
    return term, False


@transaction.atomic
def election_confirm(*, actor: User, election: Election) -> Election:
    """Confirm the result: the elected take their positions from the congress date (a new committee
    opens a new term and ends the positions of the previous terms). Returns the election."""
    _require_officers(actor, election)
    require_status(election, ElectionStatus.APPROVED, message="Cuộc bầu chưa thông qua danh sách hoặc đã xác nhận.")
    if election.rounds.exclude(status=RoundStatus.SIGNED).exists():
        raise ValidationError("Còn lần bầu chưa được tổ kiểm phiếu ký biên bản.")
    standing = selectors.election_standing(election)
    if not standing.elected:
        raise ValidationError("Chưa có ai trúng cử.")
    on = congress_date(election)
    created: list[int] = []
    ended: list[int] = []
    role = ROLE_OF.get(election.body)  # delegates to the upper congress hold no position
    if role is not None:
        term, term_created = _term_for(actor, election, on)
        if election.body == ElectedBody.EXECUTIVE:
            for position in OfficerPosition.objects.filter(unit=election.unit, end_date__isnull=True).exclude(
                term=term
            ):
                end = max(on - datetime.timedelta(days=1), position.start_date)
                org_services.officer_end(actor=actor, position=position, end_date=end)
                ended.append(position.pk)
        for candidate in Candidate.objects.filter(pk__in=standing.elected).select_related("member__unit"):
            position = org_services.officer_assign(
                actor=actor, unit=election.unit, term=term, member=candidate.member, role=role, start_date=on
            )
            created.append(position.pk)
        election.term, election.term_created = term, term_created
    election.status, election.confirmed_at, election.confirmed_by = ElectionStatus.CONFIRMED, timezone.now(), actor
    election.created_positions, election.ended_positions = created, ended
    election.save()
    log_event(
        actor,
        election,
        "election_confirm",
        f"xác nhận {len(standing.elected)} người trúng cử, từ ngày {on:%d/%m/%Y}",
        created=created,
        ended=ended,
    )
    return election


@transaction.atomic
def election_revert(*, actor: User, election: Election, reason: str) -> Election:
    """Undo a confirmation, with the reason: its positions go, the ended ones are held again, a term it
    opened is removed when nothing else stands in it. The count stays as signed."""
    _require_officers(actor, election)
    require_status(election, ElectionStatus.CONFIRMED, message="Cuộc bầu chưa được xác nhận.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Ghi rõ lý do hủy xác nhận."})
    OfficerPosition.objects.filter(pk__in=election.created_positions).delete()
    OfficerPosition.objects.filter(pk__in=election.ended_positions).update(end_date=None)
    if election.term_created and election.term is not None and not election.term.positions.exists():
        election.term.delete()
    undone = {"created": election.created_positions, "ended": election.ended_positions}
    election.status = ElectionStatus.APPROVED
    election.term, election.term_created = None, False
    election.created_positions, election.ended_positions = [], []
    election.confirmed_at, election.confirmed_by = None, None
    election.save()
    log_event(actor, election, "election_revert", f"hủy xác nhận: {reason}", reason=reason, **undone)
    return election

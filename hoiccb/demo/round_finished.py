"""Demo data of a finished award round, so a newcomer sees every document without running a
round first: the 2023 round of the movement, its Giấy khen voted on a list by the council, the
decision issued and its certificates printed, and the Bằng khen tỉnh proposed upward with the
dossier sent and the province's decision recorded (one awarded, one not).

Its nominees come from units after the first four, which the open 2024 round uses, so that no
member is nominated in both rounds."""

import datetime
import random

from django.core.exceptions import PermissionDenied, ValidationError

from hoiccb.accounts.models import Role, User
from hoiccb.awards.documents import certificates
from hoiccb.awards.documents import services as document_services
from hoiccb.awards.movements.models import Movement
from hoiccb.awards.rounds import services
from hoiccb.awards.rounds.models import AwardForm, Nomination, NominationState, Round, Share
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit
from hoiccb.org.selectors import signer_for

S = NominationState
NAME = "Khen thưởng phong trào CCB gương mẫu năm 2023"
ISSUED = datetime.date(2023, 12, 20)
SENT = datetime.date(2023, 12, 22)
PROVINCE_DECIDED = datetime.date(2024, 1, 15)


def _nominate(rnd: Round, form: AwardForm, unit: Unit, actor: User, how_many: int, taken: set[int]) -> list[Nomination]:
    """Up to `how_many` nominations of `form` from `unit`, skipping members the rules refuse."""
    chair = User.objects.filter(unit=unit).first() or actor
    made: list[Nomination] = []
    for member in Member.objects.filter(unit_path__startswith=unit.path, status=MemberStatus.ACTIVE).order_by("id")[
        :40
    ]:
        if len(made) >= how_many:
            break
        if member.pk in taken:
            continue
        try:
            n = services.nominate(
                actor=chair,
                round=rnd,
                form=form,
                unit=unit,
                member=member,
                summary=(
                    f"Năm 2023, hội viên {member.full_name} gương mẫu chấp hành chủ trương của Đảng, pháp luật của "
                    "Nhà nước; tích cực vận động hội viên giúp nhau phát triển kinh tế, xây dựng Hội vững mạnh."
                ),
            )
        except (ValidationError, PermissionDenied):
            continue  # a member the rules refuse (already awarded, not rated enough): try the next
        taken.add(member.pk)
        services.transition(actor=chair, nomination=n, to=S.SUBMITTED)
        services.transition(actor=actor, nomination=n, to=S.REVIEW)
        made.append(n)
    return made


def _seats(rnd: Round, form: AwardForm, units: list[Unit]) -> list[tuple[Unit, int]]:
    amounts = dict(Share.objects.filter(quota__round=rnd, quota__form=form).values_list("unit_id", "amount"))
    return [(u, amounts.get(u.pk, 0)) for u in units if amounts.get(u.pk, 0)]


def build(*, bloc: Unit, grassroots: list[Unit]) -> Round | None:
    """Build the finished round (after `hoiccb.demo.awards.build`, whose movement it uses); returns it."""
    rng = random.Random(2023)
    actor = User.objects.filter(unit=bloc, role=Role.STANDING).first()
    movement = Movement.objects.filter(unit=bloc, name="Cựu chiến binh gương mẫu").first()
    units = grassroots[4:]
    if actor is None or movement is None or not units:
        return None
    forms = {f.code: f for f in AwardForm.objects.all()}
    giay_khen, bang_khen = forms["giay-khen-khoi"], forms["bang-khen-tinh"]
    rnd = services.round_create(actor=actor, unit=bloc, movement=movement, name=NAME, year=2023)
    services.quota_set(actor=actor, round=rnd, form=giay_khen, basis="number", value=8)
    services.quota_set(actor=actor, round=rnd, form=bang_khen, basis="number", value=2)
    taken: set[int] = set()
    local = [
        n for unit, seats in _seats(rnd, giay_khen, units) for n in _nominate(rnd, giay_khen, unit, actor, seats, taken)
    ]
    upward = [
        n for unit, seats in _seats(rnd, bang_khen, units) for n in _nominate(rnd, bang_khen, unit, actor, seats, taken)
    ]
    # One council meeting votes the whole list: 9 members present.
    votes = {n.pk: (rng.choice([7, 8, 9]), 0, 0) for n in local + upward}
    if votes:
        services.record_votes(actor=actor, round=rnd, present=9, votes=votes)
    if local:
        decision = services.decision_issue(
            actor=actor, round=rnd, form=giay_khen, issued_on=ISSUED, signer=signer_for(bloc).name
        )
        job, queued = document_services.certificates_request(actor=actor, decision=decision)
        if queued:
            certificates.run(job.pk)  # printed now, so the demo has the PDF without a worker
    if upward:
        for n in upward:
            services.transition(actor=actor, nomination=n, to=S.UPWARD)
        document_services.dossier_send(
            actor=actor, round=rnd, form=bang_khen, seq=3, sent_on=SENT, signer=signer_for(bloc).name, place="Yên Bái"
        )
        document_services.upward_result_record(
            actor=actor,
            round=rnd,
            form=bang_khen,
            number="15/QĐ-CCB",
            decided_on=PROVINCE_DECIDED,
            issuer="Ban Thường vụ Hội CCB tỉnh",
            awarded={upward[0].pk},
        )
    return rnd

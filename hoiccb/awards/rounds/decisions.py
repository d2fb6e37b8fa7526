"""Writes of decisions: a numbered decision for a form's approved nominations (which writes the
award history), and a later decision that corrects or revokes it.

Each service checks the actor's scope again, validates with full_clean(), and writes an
AwardEvent in the same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds.models import AwardForm, Decision, DecisionKind, Nomination, NominationState, Round
from hoiccb.lib.text import clean_text
from hoiccb.org.audit import record

S = NominationState


@transaction.atomic
def decision_issue(
    *, actor: User, round: Round, form: AwardForm, issued_on: datetime.date, signer: str, place: str = "Yên Bái"
) -> Decision:
    """Number a decision for the approved nominations of a form, and write the award history."""
    require_manage_awards(actor, round.unit)
    approved = list(
        Nomination.objects.select_for_update().filter(round=round, form=form, state=S.APPROVED, decision__isnull=True)
    )
    if not approved:
        raise ValidationError(f"Chưa có đề nghị {form.name} nào được duyệt mà chưa có quyết định.")
    if form.level != "khoi" and round.unit.kind.code == "khoi":
        raise ValidationError(f"{form.name} do cấp trên khen thưởng: hãy lập hồ sơ đề nghị cấp trên.")
    if not signer.strip():
        raise ValidationError("Ghi người ký.")
    year = issued_on.year
    last = Decision.objects.select_for_update().filter(unit=round.unit, year=year).aggregate(m=Max("seq"))["m"] or 0
    decision = Decision(
        round=round,
        form=form,
        unit=round.unit,
        year=year,
        seq=last + 1,
        issued_on=issued_on,
        signer=signer.strip(),
        place=place,
        created_by=actor,
    )
    decision.full_clean()
    decision.save()
    Nomination.objects.filter(pk__in=[n.pk for n in approved]).update(decision=decision)
    AwardRecord.objects.bulk_create(
        AwardRecord(
            form=form,
            member=n.member,
            unit=n.nominee_unit,
            unit_path=n.nominee_path,
            year=year,
            achievement=round.name[:255],
            decision=decision,
            decision_text=decision.number,
        )
        for n in Nomination.objects.filter(decision=decision).select_related("member", "nominee_unit")
    )
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="decision_issue",
        summary=f"Ban hành {decision} ({len(approved)} người, tập thể)",
    )
    return decision


@transaction.atomic
def decision_amend(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    issued_on: datetime.date,
    signer: str,
    content: str,
    place: str = "Yên Bái",
) -> Decision:
    """Issue a new decision that corrects or revokes `decision` (which stays as it was); returns the new one.

    A revocation takes the awards the decision gave out of the award history (the audit entry
    lists them); a correction notes the correcting decision on each of them.
    """
    original = Decision.objects.select_for_update().select_related("unit", "form").get(pk=decision.pk)
    require_manage_awards(actor, original.unit)
    if kind not in (DecisionKind.CORRECT, DecisionKind.REVOKE):
        raise ValidationError("Chọn đính chính hoặc thu hồi.")
    if original.kind != DecisionKind.AWARD:
        raise ValidationError("Chỉ đính chính hoặc thu hồi một quyết định khen thưởng.")
    if original.amendments.filter(kind=DecisionKind.REVOKE).exists():
        raise ValidationError(f"{original} đã bị thu hồi.")
    content = clean_text(content, multiline=True)
    if not content:
        raise ValidationError({"content": "Ghi nội dung đính chính hoặc lý do thu hồi."})
    signer = clean_text(signer)
    if not signer:
        raise ValidationError({"signer": "Ghi người ký."})
    if issued_on < original.issued_on:
        raise ValidationError({"issued_on": f"Ngày ký phải từ ngày {original.issued_on:%d/%m/%Y} trở đi."})
    year = issued_on.year
    last = Decision.objects.select_for_update().filter(unit=original.unit, year=year).aggregate(m=Max("seq"))["m"] or 0
    amendment = Decision(
        round=original.round,
        form=original.form,
        unit=original.unit,
        kind=kind,
        amends=original,
        content=content,
        year=year,
        seq=last + 1,
        issued_on=issued_on,
        signer=signer,
        place=clean_text(place) or original.place,
        created_by=actor,
    )
    amendment.full_clean()
    amendment.save()
    records = AwardRecord.objects.filter(decision=original).select_related("member", "unit")
    names = [str(r.member.full_name if r.member is not None else r.unit) for r in records]
    if kind == DecisionKind.REVOKE:
        records.delete()
        verb = "Thu hồi"
    else:
        AwardRecord.objects.filter(decision=original).update(
            decision_text=f"{original.number}, đính chính theo {amendment.number}"[:100]
        )
        verb = "Đính chính"
    record(
        AwardEvent,
        actor=actor,
        unit=original.unit,
        action=f"decision_{kind}",
        summary=f"{verb} {original} bằng {amendment}",
        changes={"decision": original.pk, "amendment": amendment.pk, "content": content, "recipients": names},
    )
    return amendment

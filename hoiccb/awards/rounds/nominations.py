"""Writes of nominations: a unit nominates a member or a collective within its share, mends the
nomination, and moves it from step to step (TRANSITIONS says who may).

Each service checks the actor's scope again, validates with full_clean(), and writes a
NominationEvent in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.rounds import rules
from hoiccb.awards.rounds.models import (
    HOLDING_STATES,
    AwardForm,
    Nomination,
    NominationAction,
    NominationEvent,
    NominationState,
    Round,
    Share,
)
from hoiccb.awards.rounds.selectors import seats
from hoiccb.lib.files import DOCUMENT_MAX_BYTES, guard_upload
from hoiccb.lib.text import clean_text
from hoiccb.org.audit import record
from hoiccb.org.models import Unit

S = NominationState
# Who may move a nomination from one state to the next: "unit" (the nominating unit) or "round" (the organiser).
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "unit",
    (S.RETURNED, S.SUBMITTED): "unit",
    (S.SUBMITTED, S.REVIEW): "round",
    (S.SUBMITTED, S.RETURNED): "round",
    (S.REVIEW, S.RETURNED): "round",
    (S.APPROVED, S.UPWARD): "round",
    (S.DRAFT, S.WITHDRAWN): "unit",
    (S.RETURNED, S.WITHDRAWN): "unit",
}


def record_step(nomination: Nomination, actor: User, action: NominationAction, before: str, note: str = "") -> None:
    """Write the nomination's step from `before` to its current state, `note` saying why."""
    record(
        NominationEvent,
        actor=actor,
        action=action,
        summary=note,
        nomination=nomination,
        from_state=before,
        to_state=nomination.state,
    )


def _require_free_seat(round: Round, form: AwardForm, unit: Unit) -> None:
    """Refuse when the unit's nominations holding a seat already fill its share."""
    # Lock the unit's share so two nominations at once cannot both take the last seat.
    Share.objects.select_for_update().filter(quota__round=round, quota__form=form, unit=unit).first()
    share, used = seats(round, form, unit)
    if share == 0:
        raise ValidationError(f"Đơn vị chưa được giao suất {form.name} trong đợt này.")
    if used >= share:
        raise ValidationError(f"Vượt chỉ tiêu: đơn vị được {share} suất {form.name} và đã dùng {used}.")


NOMINATION_ATTACHMENT_KINDS = frozenset({"pdf", "docx"})


def _checked_attachment(upload):
    """The upload checked by content (lib.files), its refusal under the attachment field."""
    try:
        checked = guard_upload(
            upload, accept=NOMINATION_ATTACHMENT_KINDS, max_bytes=DOCUMENT_MAX_BYTES, what="tệp PDF hoặc Word (.docx)"
        )
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.messages}) from None
    return checked.file


@transaction.atomic
def nominate(
    *,
    actor: User,
    round: Round,
    form: AwardForm,
    unit: Unit,
    summary: str,
    member=None,
    nominee_unit=None,
    attachment=None,
) -> Nomination:
    if not (scoping.can(actor, "nominate") and scoping.unit_in_scope(actor, unit)):
        raise PermissionDenied("Đơn vị nằm ngoài phạm vi của bạn.")
    if member is not None and not member.unit_path.startswith(unit.path):
        raise ValidationError("Hội viên không thuộc đơn vị đề nghị.")
    if nominee_unit is not None and not nominee_unit.is_within(unit):
        raise ValidationError("Tập thể không thuộc đơn vị đề nghị.")
    if round.state != "open":
        raise ValidationError("Đợt khen thưởng đã kết thúc.")
    _require_free_seat(round, form, unit)
    reasons = rules.problems(round=round, form=form, member=member, unit=nominee_unit)
    if reasons:
        raise ValidationError(reasons)
    nomination = Nomination(
        round=round, form=form, unit=unit, member=member, nominee_unit=nominee_unit, summary=summary, created_by=actor
    )
    if attachment is not None:
        nomination.attachment = _checked_attachment(attachment)
    nomination.full_clean()
    nomination.save()
    record_step(nomination, actor, NominationAction.CREATED, "", "Lập đề nghị")
    return nomination


@transaction.atomic
def transition(*, actor: User, nomination: Nomination, to: str, note: str = "") -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("round__unit", "unit").get(pk=nomination.pk)
    who = TRANSITIONS.get((nomination.state, to))
    if who is None:
        raise ValidationError(f"Không thể chuyển từ «{S(nomination.state).label}» sang «{S(to).label}».")
    owner = nomination.unit if who == "unit" else nomination.round.unit
    capability = "nominate" if who == "unit" else "manage_awards"
    if not (scoping.can(actor, capability) and scoping.unit_in_scope(actor, owner)):
        raise PermissionDenied("Bạn không có quyền chuyển trạng thái này.")
    if to == S.RETURNED and not note.strip():
        raise ValidationError("Ghi lý do trả lại.")
    if to in HOLDING_STATES and nomination.state not in HOLDING_STATES:
        # A returned nomination gave its seat back; the unit may have used it since.
        _require_free_seat(nomination.round, nomination.form, nomination.unit)
    before = nomination.state
    nomination.state = to
    nomination.save(update_fields=["state"])
    record_step(nomination, actor, NominationAction.MOVED, before, note)
    return nomination


@transaction.atomic
def nomination_edit(
    *, actor: User, nomination: Nomination, summary: str, attachment=None, drop_attachment: bool = False
) -> Nomination:
    """Mend a draft or a returned nomination (its summary, its file) before sending it (again)."""
    nomination = Nomination.objects.select_for_update().select_related("unit").get(pk=nomination.pk)
    if not (scoping.can(actor, "nominate") and scoping.unit_in_scope(actor, nomination.unit)):
        raise PermissionDenied("Đề nghị nằm ngoài phạm vi của bạn.")
    if nomination.state not in (S.DRAFT, S.RETURNED):
        raise ValidationError(
            f"Chỉ sửa được đề nghị còn nháp hoặc bị trả lại (đề nghị này: «{nomination.get_state_display()}»)."
        )
    summary = clean_text(summary, multiline=True)
    if not summary:
        raise ValidationError({"summary": "Ghi tóm tắt thành tích."})
    changed = ["tóm tắt thành tích"] if summary != nomination.summary else []
    nomination.summary = summary
    if attachment is not None:
        nomination.attachment = _checked_attachment(attachment)
        changed.append("tệp đính kèm")
    elif drop_attachment and nomination.attachment:
        nomination.attachment = ""
        changed.append("bỏ tệp đính kèm")
    nomination.full_clean()
    nomination.save(update_fields=["summary", "attachment"])
    record_step(
        nomination, actor, NominationAction.EDITED, nomination.state, "Sửa " + (", ".join(changed) or "(không đổi)")
    )
    return nomination

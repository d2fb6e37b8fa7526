"""Writes of the awards documents: queueing a decision's certificates, recording the upward
dossier as sent, replacing or resetting the decision's Word template.

Each service checks the actor's rights again and writes an audit row in the same transaction.
"""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.documents import certificates, decision_template, tasks
from hoiccb.awards.documents.models import CertificateJob, JobState, UpwardDossier
from hoiccb.awards.documents.selectors import recipients
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.rounds.models import (
    SENT_UP_STATES,
    AwardForm,
    Decision,
    Nomination,
    NominationAction,
    NominationEvent,
    NominationState,
    Round,
)
from hoiccb.lib import storage
from hoiccb.lib.text import clean_text
from hoiccb.org.audit import record, record_many

# --- Certificates ----------------------------------------------------------------------------


@transaction.atomic
def certificates_request(*, actor: User, decision: Decision) -> tuple[CertificateJob, bool]:
    """Queue the certificates of a decision; returns (job, queued).

    Nothing new is queued while a job runs, nor when the stored PDF is still current.
    """
    require_manage_awards(actor, decision.unit, "Quyết định nằm ngoài phạm vi của bạn.")
    rows = recipients(decision)
    if not rows:
        raise ValidationError("Quyết định chưa có ai trong danh sách.")
    now = timezone.now()
    job, created = CertificateJob.objects.select_for_update().get_or_create(
        decision=decision, defaults={"fingerprint": "", "requested_at": now, "requested_by": actor}
    )
    if not created:
        if job.is_busy and not certificates.is_stale(job):
            return job, False
        if certificates.ready_file(decision, job) is not None:
            return job, False
    job.state, job.message, job.finished_at = JobState.QUEUED, "", None
    job.fingerprint, job.total = certificates.fingerprint(decision, rows), len(rows)
    job.requested_by, job.requested_at = actor, now
    job.save()
    record(
        AwardEvent,
        actor=actor,
        unit=decision.unit,
        action="certificates_request",
        summary=f"In {len(rows)} giấy khen theo {decision}",
    )
    certificates.report(job, 0, "Đang chờ đến lượt xử lý…")
    transaction.on_commit(lambda: tasks.print_certificates.enqueue(job_id=job.pk))
    return job, True


# --- The upward dossier ------------------------------------------------------------------------


@transaction.atomic
def dossier_send(
    *, actor: User, round: Round, form: AwardForm, seq: int, sent_on: datetime.date, signer: str, place: str
) -> UpwardDossier:
    """Record the number, date and signer of the dossier sent upward (again to correct them)."""
    require_manage_awards(actor, round.unit, "Đợt khen thưởng nằm ngoài phạm vi của bạn.")
    rows = list(Nomination.objects.select_for_update().filter(round=round, form=form, state__in=SENT_UP_STATES))
    if not rows:
        raise ValidationError(f"Không có đề nghị {form.name} nào ở bước «Đề nghị cấp trên».")
    if not signer.strip():
        raise ValidationError("Ghi người ký tờ trình.")
    before = UpwardDossier.objects.filter(round=round, form=form).first()
    dossier = before or UpwardDossier(round=round, form=form)
    old = (before.number, f"{before.sent_on:%d/%m/%Y}") if before else None
    dossier.seq, dossier.sent_on, dossier.signer, dossier.place = seq, sent_on, signer.strip(), place.strip()
    dossier.nominations, dossier.sent_by = len(rows), actor
    dossier.full_clean()
    dossier.save()
    note = f"Gửi hồ sơ đề nghị cấp trên: Tờ trình số {dossier.number} ngày {sent_on:%d/%m/%Y}"
    record_many(
        NominationEvent,
        (
            NominationEvent(
                nomination=n,
                actor=actor,
                action=NominationAction.DOSSIER_SENT,
                summary=note,
                from_state=n.state,
                to_state=n.state,
            )
            for n in rows
        ),
    )
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="dossier_send",
        summary=f"{note} – {len(rows)} đề nghị {form.name}",
        changes={"trước": list(old) if old else None, "sau": [dossier.number, f"{sent_on:%d/%m/%Y}"]},
    )
    return dossier


@transaction.atomic
def upward_result_record(
    *,
    actor: User,
    round: Round,
    form: AwardForm,
    number: str,
    decided_on: datetime.date,
    issuer: str,
    awarded: set[int],
    awarded_form: AwardForm | None = None,
) -> UpwardDossier:
    """Record the upper level's decision on a dossier sent: the nominations in `awarded` (ids) get
    `awarded_form` (by default the form proposed) in their award history, the others are marked
    not awarded. Recording again corrects it (the history written the first time is replaced)."""
    require_manage_awards(actor, round.unit, "Đợt khen thưởng nằm ngoài phạm vi của bạn.")
    dossier = UpwardDossier.objects.select_for_update().filter(round=round, form=form).first()
    if dossier is None:
        raise ValidationError(f"Chưa ghi nhận gửi hồ sơ {form.name}: ghi nhận đã gửi trước, rồi mới ghi kết quả.")
    number, issuer = clean_text(number), clean_text(issuer)
    if not number:
        raise ValidationError({"number": "Ghi số quyết định của cấp trên (ví dụ 125/QĐ-CCB)."})
    if decided_on < dossier.sent_on:
        raise ValidationError({"decided_on": f"Ngày quyết định phải từ ngày gửi hồ sơ ({dossier.sent_on:%d/%m/%Y})."})
    given = awarded_form or form
    rows = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(round=round, form=form, state__in=SENT_UP_STATES)
        .select_related("member", "nominee_unit")
    )
    unknown = awarded - {n.pk for n in rows}
    if unknown:
        raise ValidationError("Có người, tập thể không thuộc hồ sơ này.")
    AwardRecord.objects.filter(nomination__in=rows).delete()
    text = f"{number} ({issuer})" if issuer else number
    records, events = [], []
    for n in rows:
        before = n.state
        n.state = NominationState.AWARDED_ABOVE if n.pk in awarded else NominationState.DECLINED_ABOVE
        if n.state == NominationState.AWARDED_ABOVE:
            records.append(
                AwardRecord(
                    form=given,
                    member=n.member,
                    unit=n.nominee_unit,
                    unit_path=n.nominee_path,
                    year=decided_on.year,
                    achievement=n.summary[:255],
                    decision_text=text[:100],
                    nomination=n,
                )
            )
        note = f"Cấp trên {'khen' if n.pk in awarded else 'không khen'}: Quyết định {text} ngày {decided_on:%d/%m/%Y}"
        events.append(
            NominationEvent(
                nomination=n,
                actor=actor,
                action=NominationAction.RESULT_ABOVE,
                summary=note,
                from_state=before,
                to_state=n.state,
            )
        )
    Nomination.objects.bulk_update(rows, ["state"])
    AwardRecord.objects.bulk_create(records)
    record_many(NominationEvent, events)
    dossier.result_number, dossier.result_on, dossier.result_issuer = number[:100], decided_on, issuer[:200]
    dossier.result_form, dossier.result_by, dossier.result_at = given, actor, timezone.now()
    dossier.full_clean()
    dossier.save()
    record(
        AwardEvent,
        actor=actor,
        unit=round.unit,
        action="upward_result",
        summary=f"Kết quả {dossier}: {len(records)}/{len(rows)} được khen {given.name} theo Quyết định {text}",
        changes={"khen": sorted(awarded), "không khen": sorted(n.pk for n in rows if n.pk not in awarded)},
    )
    return dossier


# --- The decision's Word template --------------------------------------------------------------


def _require_template_admin(actor: User) -> None:
    if not decision_template.can_manage(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống được thay mẫu quyết định.")


@transaction.atomic
def template_upload(*, actor: User, name: str, data: bytes) -> None:
    """Check a replacement template and put it in place of the current one."""
    _require_template_admin(actor)
    decision_template.check(data, name=name)
    record(
        AwardEvent,
        actor=actor,
        unit=actor.unit,
        action="template_upload",
        summary=f"Thay mẫu quyết định khen thưởng bằng tệp «{name[:150]}»",
        changes={"name": name[:255], "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
    )
    storage.write(decision_template.template_path(), data)


@transaction.atomic
def template_reset(*, actor: User) -> None:
    """Go back to the built-in default."""
    _require_template_admin(actor)
    if not storage.exists(decision_template.template_path()):
        raise ValidationError("Đang dùng mẫu mặc định.")
    record(
        AwardEvent, actor=actor, unit=actor.unit, action="template_reset", summary="Dùng lại mẫu quyết định mặc định"
    )
    storage.delete(decision_template.template_path())

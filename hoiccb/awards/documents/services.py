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
from hoiccb.awards.rounds.models import (
    AwardForm,
    Decision,
    Nomination,
    NominationAction,
    NominationEvent,
    NominationState,
    Round,
)
from hoiccb.lib import storage
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
    rows = list(Nomination.objects.select_for_update().filter(round=round, form=form, state=NominationState.UPWARD))
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

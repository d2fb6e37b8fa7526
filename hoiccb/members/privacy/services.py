"""Writes of the personal-data area: requests, consents, anonymisation.

Keyword-only, checked against the actor's right ("privacy") and scope, one transaction
each with its PrivacyEvent. Law 91/2025/QH15; deadlines from Decree 356/2025/NĐ-CP.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib import files
from hoiccb.lib.text import clean_text
from hoiccb.members.models import ImportRow, Member, MemberEvent, MemberPhoto, SensitiveAccess
from hoiccb.members.privacy import registry
from hoiccb.members.privacy.access_log import access_record
from hoiccb.members.privacy.models import (
    Anonymisation,
    AnonymisationState,
    Consent,
    DataRequest,
    PrivacyEvent,
    PrivacyEventKind,
    RequestKind,
    RequestState,
)
from hoiccb.org.audit import record

# Days to carry out a request, counted from its receipt (Decree 356/2025: an answer within
# 2 working days, the request done within 10 to 20 days by kind; 15 for stopping a
# processing). The register proposes the shorter; the clerk may set another date.
DEADLINE_DAYS: dict[str, int] = {
    RequestKind.ACCESS: 10,
    RequestKind.CORRECTION: 10,
    RequestKind.OBJECTION: 15,
    RequestKind.RESTRICTION: 15,
    RequestKind.DELETION: 15,
    RequestKind.WITHDRAWAL: 15,
}


def _check(actor: User, member: Member | None) -> None:
    """Refuse an actor without the personal-data right, or a member outside their subtree."""
    if not scoping.can(actor, "privacy"):
        raise PermissionDenied("Bạn không có quyền quản lý dữ liệu cá nhân.")
    prefix = scoping.member_path_prefix(actor)
    if member is not None and (prefix is None or not member.unit_path.startswith(prefix)):
        raise PermissionDenied("Hội viên này không thuộc đơn vị của bạn.")


def _log(actor: User, action: str, member: Member | None, summary: str, **extra: Any) -> PrivacyEvent:
    member_ref = extra.pop("member_ref", None)
    return record(
        PrivacyEvent,
        actor=actor,
        action=action,
        summary=summary,
        member=member,
        member_ref=member.pk if member is not None else member_ref,
        **extra,
    )


def label(field: Any) -> str:
    """Return a field's name as a heading: first letter capital, the rest as written ("Số CCCD")."""
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def default_deadline(kind: str, received_on: datetime.date) -> datetime.date:
    return received_on + datetime.timedelta(days=DEADLINE_DAYS.get(kind, 10))


# --- Requests of the data subject -------------------------------------------------------


@transaction.atomic
def request_receive(
    *,
    actor: User,
    member: Member,
    kind: str,
    received_on: datetime.date,
    details: str,
    channel: str = "",
    deadline: datetime.date | None = None,
) -> DataRequest:
    """Enter a member's request in the register; returns it (deadline proposed by kind when not given)."""
    _check(actor, member)
    request = DataRequest(
        member=member,
        member_ref=member.pk,
        member_name=member.full_name,
        kind=kind,
        received_on=received_on,
        deadline=deadline or default_deadline(kind, received_on),
        channel=clean_text(channel),
        details=clean_text(details, multiline=True),
        created_by=actor,
    )
    request.full_clean()
    request.save()
    _log(
        actor,
        PrivacyEventKind.REQUEST_RECEIVED,
        member,
        f"{request.get_kind_display()}, hạn {request.deadline:%d/%m/%Y}",
    )
    return request


@transaction.atomic
def request_update(*, actor: User, request: DataRequest, state: str, outcome: str = "") -> DataRequest:
    """Move a request to `state` with its outcome (a refusal needs its reason); returns it."""
    request = DataRequest.objects.select_for_update(of=("self",)).select_related("member").get(pk=request.pk)
    if request.member is not None:
        _check(actor, request.member)
    elif not (
        scoping.can(actor, "privacy") and scoping.in_scope(actor, DataRequest.objects.filter(pk=request.pk)).exists()
    ):
        raise PermissionDenied("Bạn không có quyền xử lý yêu cầu này.")
    outcome = clean_text(outcome, multiline=True)
    if state == RequestState.REFUSED and not outcome:
        raise ValidationError({"outcome": "Từ chối phải ghi rõ lý do để trả lời hội viên."})
    if state not in RequestState.values:
        raise ValidationError({"state": "Trạng thái không hợp lệ."})
    before = request.get_state_display()
    request.state = state
    request.outcome = outcome or request.outcome
    request.closed_at = None if request.is_open else (request.closed_at or timezone.now())
    request.full_clean()
    request.save()
    _log(
        actor,
        PrivacyEventKind.REQUEST_UPDATED,
        request.member,
        f"{request.get_kind_display()}: {request.get_state_display()}",
        changes={"Trạng thái": [before, request.get_state_display()]},
        member_ref=request.member_ref,
        unit_path=request.unit_path,
    )
    return request


# --- Consents ------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *, actor: User, member: Member, purpose: str, given_on: datetime.date, method: str, upload=None
) -> Consent:
    """Record a member's consent to processing their sensitive data for `purpose`; returns it.

    `upload` is the signed form or its scan (PDF or Word), kept outside the public media.
    """
    _check(actor, member)
    consent = Consent(member=member, purpose=clean_text(purpose), given_on=given_on, method=method, recorded_by=actor)
    if upload is not None:
        try:
            checked = files.guard_upload(
                upload, accept=files.DOCUMENTS, max_bytes=files.DOCUMENT_MAX_BYTES, what=files.DOCUMENTS_WHAT
            )
        except ValidationError as exc:
            raise ValidationError({"document": exc.messages}) from None
        consent.document.save(checked.file.name or "dong-y", checked.file, save=False)
        consent.document_name = checked.name
    try:
        consent.full_clean()
        consent.save()
    except Exception:
        if consent.document:
            consent.document.delete(save=False)
        raise
    _log(actor, PrivacyEventKind.CONSENT_RECORDED, member, consent.purpose)
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, on: datetime.date) -> Consent:
    """Record that the member withdrew a consent on `on`; returns it."""
    consent = Consent.objects.select_for_update(of=("self",)).select_related("member").get(pk=consent.pk)
    _check(actor, consent.member)
    if consent.withdrawn_on is not None:
        raise ValidationError("Sự đồng ý này đã được rút lại.")
    consent.withdrawn_on = on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on"])
    _log(actor, PrivacyEventKind.CONSENT_WITHDRAWN, consent.member, consent.purpose)
    return consent


# --- Everything we hold ------------------------------------------------------------------------


@transaction.atomic
def subject_export_logged(*, actor: User, member: Member, fmt: str, ip_address: str | None = None) -> None:
    """Note that everything held about `member` was handed out (it shows sensitive data, so it is a read too)."""
    _check(actor, member)
    _log(actor, PrivacyEventKind.DATA_EXPORTED, member, f"Tệp {fmt.upper()}")
    access_record(actor=actor, purpose=f"xuất toàn bộ dữ liệu ({fmt.upper()})", member=member, ip_address=ip_address)


# --- Anonymisation ---------------------------------------------------------------------------------


def anonymous_name(member_pk: int) -> tuple[str, str, str]:
    """Return (họ, chữ đệm, tên) of an anonymised member: "Hội viên đã ẩn danh #id"."""
    return "Hội viên", "đã ẩn danh", f"#{member_pk}"


# Fields cleared, with what a user reads in the preview.
CLEARED_FIELDS: dict[str, Any] = {
    "cccd": None,
    "card_number": None,
    "phone": "",
    "hometown": "",
    "residence": "",
    "birth_date": None,
    "party_joined_on": None,
    "health_note": "",
    "served_unit": "",
    "notes": "",
}


@dataclass
class Change:
    label: str
    before: str
    after: str


def anonymisation_preview(member: Member) -> dict[str, Any]:
    """Return what anonymising `member` would change: field changes and the counts of other rows touched."""
    from hoiccb.lib.audit import display_value
    from hoiccb.members.models import member_field

    full = " ".join(anonymous_name(member.pk))
    changes = [Change("Họ và tên", member.full_name, full)]
    for name in CLEARED_FIELDS:
        field = member_field(name)
        current = display_value(member, field)
        if current:
            changes.append(Change(label(field), current, "(xoá)"))
    if MemberPhoto.objects.filter(member=member).exists():
        changes.append(Change("Ảnh thẻ", "có ảnh", "(xoá)"))
    return {
        "changes": changes,
        # Saved entries only: an import's admission is told from the import, and names no more than it.
        "events": MemberEvent.objects.filter(member=member).count(),
        "import_rows": ImportRow.objects.filter(member=member).count(),
        "access_rows": SensitiveAccess.objects.filter(member=member).count(),
        "requests": DataRequest.objects.filter(member=member).count(),
        "documents": Consent.objects.filter(member=member).exclude(document="").count(),
        "elsewhere": registry.count_copies(member),
    }


@transaction.atomic
def anonymisation_ask(*, actor: User, member: Member, reason: str, request: DataRequest | None = None) -> Anonymisation:
    """Ask for a member to be anonymised; a different user with the right confirms. Returns the pending ask."""
    _check(actor, member)
    reason = clean_text(reason, multiline=True)
    if not reason:
        raise ValidationError({"reason": "Ghi căn cứ ẩn danh (yêu cầu xoá của hội viên, quyết định…)."})
    if request is not None and (request.member_id != member.pk or request.kind != RequestKind.DELETION):
        raise ValidationError({"request": "Chỉ gắn được yêu cầu xoá dữ liệu của chính hội viên này."})
    if Anonymisation.objects.filter(member_ref=member.pk, state=AnonymisationState.PENDING).exists():
        raise ValidationError("Hội viên này đã có đề nghị ẩn danh đang chờ xác nhận.")
    ask = Anonymisation(member=member, member_ref=member.pk, request=request, reason=reason, requested_by=actor)
    ask.full_clean()
    ask.save()
    _log(actor, PrivacyEventKind.ANONYMISATION_ASKED, member, reason[:200])
    return ask


@transaction.atomic
def anonymisation_cancel(*, actor: User, ask: Anonymisation) -> Anonymisation:
    ask = Anonymisation.objects.select_for_update(of=("self",)).select_related("member").get(pk=ask.pk)
    _check(actor, ask.member)
    if ask.state != AnonymisationState.PENDING:
        raise ValidationError("Đề nghị này không còn chờ xác nhận.")
    ask.state = AnonymisationState.CANCELLED
    ask.decided_by = actor
    ask.decided_at = timezone.now()
    ask.save(update_fields=["state", "decided_by", "decided_at"])
    _log(actor, PrivacyEventKind.ANONYMISATION_CANCELLED, ask.member, "")
    return ask


@transaction.atomic
def anonymisation_confirm(*, actor: User, ask: Anonymisation) -> Member:
    """Carry out a pending anonymisation, confirmed by a user other than the one who asked; returns the member.

    Only this member's rows change: the record, the free text and values kept in its
    history and import rows, the name copies in the access log and the request register,
    and its consent documents (deleted once the transaction commits). The rows themselves
    stay, so counts and the trace of who did what remain.
    """
    ask = Anonymisation.objects.select_for_update().get(pk=ask.pk)
    if ask.state != AnonymisationState.PENDING or ask.member_id is None:
        raise ValidationError("Đề nghị này không còn chờ xác nhận.")
    member = Member.objects.select_for_update().select_related("unit").get(pk=ask.member_id)
    _check(actor, member)
    if actor.pk == ask.requested_by_id:
        raise PermissionDenied("Người xác nhận phải khác người đề nghị ẩn danh.")
    member.ho, member.chu_dem, member.ten = anonymous_name(member.pk)
    for name, value in CLEARED_FIELDS.items():
        setattr(member, name, value)
    member.version += 1
    member.refresh_derived()
    member.save()
    hidden = "(đã ẩn danh)"
    events = list(MemberEvent.objects.filter(member=member))
    for event in events:
        event.changes = {label: [hidden, hidden] for label in event.changes}
        event.note = ""
        event.summary = ""
    MemberEvent.objects.bulk_update(events, ["changes", "note", "summary"], batch_size=1000)
    ImportRow.objects.filter(member=member).update(raw=[], values={}, before=None, conversions=[], notes=[])
    MemberPhoto.objects.filter(member=member).delete()
    label = member.full_name
    registry.forget(member, label)
    SensitiveAccess.objects.filter(member=member).update(member_name=label)
    DataRequest.objects.filter(member=member).update(member_name=label)
    documents: list[tuple[Any, str]] = []
    for consent in Consent.objects.filter(member=member).exclude(document=""):
        documents.append((consent.document.storage, consent.document.name or ""))
        consent.document = ""
        consent.document_name = ""
        consent.save(update_fields=["document", "document_name"])
    ask.state = AnonymisationState.DONE
    ask.decided_by = actor
    ask.decided_at = timezone.now()
    ask.save(update_fields=["state", "decided_by", "decided_at"])
    # The audit row names no one: the old name is exactly what must go.
    _log(
        actor,
        PrivacyEventKind.ANONYMISED,
        member,
        f"Đề nghị của người dùng #{ask.requested_by_id}, {len(events)} mục lịch sử được xoá nội dung",
    )
    transaction.on_commit(lambda: _delete_files(documents))
    return member


def _delete_files(documents: list[tuple[Any, str]]) -> None:
    for storage, name in documents:
        storage.delete(name)

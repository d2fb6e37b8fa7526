"""Writes of member cards: the photo, numbers for members who have none, and a sheet job."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.members.cards import photos
from hoiccb.members.cards.models import CardJob, MemberPhoto
from hoiccb.members.models import EventKind, Member, MemberEvent
from hoiccb.org.audit import record, record_many
from hoiccb.org.models import Unit

MAX_CARDS = 5000  # one sheet job; a province prints unit by unit


def _require(actor: User, unit: Unit) -> None:
    if not scoping.can(actor, "edit_members") or not scoping.unit_in_scope(actor, unit):
        raise PermissionDenied("Bạn không có quyền làm thẻ cho hội viên của đơn vị này.")


@transaction.atomic
def photo_set(*, actor: User, member: Member, upload) -> MemberPhoto:
    """Store the member's card photo (checked, cropped to 3×4, re-encoded); returns it."""
    _require(actor, member.unit)
    data, width, height = photos.card_photo(upload)
    photo, _ = MemberPhoto.objects.update_or_create(
        member=member, defaults={"image": data, "width": width, "height": height, "uploaded_by": actor}
    )
    record(MemberEvent, actor=actor, action=EventKind.UPDATED, summary="Cập nhật ảnh thẻ hội viên", member=member)
    return photo


@transaction.atomic
def cards_number_missing(*, actor: User, unit: Unit, members: Sequence[Member], issued_on: datetime.date) -> int:
    """Give each member without a card a number ("HV" and the member's id, 7 digits) and record the issue.

    Returns how many cards were issued. Each issue is a history entry of the member.
    """
    _require(actor, unit)
    pending = [m for m in members if not m.card_number and m.unit_path.startswith(unit.path)]
    taken = set(
        Member.objects.filter(card_number__in=[f"HV{m.pk:07d}" for m in pending]).values_list("card_number", flat=True)
    )
    issued = []
    for member in pending:
        number = f"HV{member.pk:07d}"
        if number in taken:
            continue
        member.card_number, member.card_issued_on = number, issued_on
        member.refresh_derived()
        member.version += 1
        issued.append(member)
    Member.objects.bulk_update(issued, ["card_number", "card_issued_on", "search_text", "version"], batch_size=1000)
    record_many(
        MemberEvent,
        (
            MemberEvent(
                actor=actor,
                action=EventKind.CARD_ISSUED,
                member=m,
                happened_on=issued_on,
                unit_path=m.unit_path,
                changes={"Số thẻ hội viên": ["", m.card_number]},
            )
            for m in issued
        ),
    )
    return len(issued)


@transaction.atomic
def cards_request(*, actor: User, unit: Unit, members: Sequence[Member], base_url: str) -> CardJob:
    """Queue a sheet of the members' cards (those with a card number); returns the job."""
    _require(actor, unit)
    ids = [m.pk for m in members if m.card_number]
    if not ids:
        raise ValidationError("Không có hội viên nào đã có số thẻ trong danh sách. Hãy cấp số thẻ trước.")
    if len(ids) > MAX_CARDS:
        raise ValidationError(f"Mỗi lần in tối đa {MAX_CARDS} thẻ; hãy chọn đơn vị nhỏ hơn.")
    job = CardJob.objects.create(unit=unit, member_ids=ids, total=len(ids), base_url=base_url, requested_by=actor)

    def enqueue() -> None:
        from hoiccb.members.cards.tasks import print_cards

        print_cards.enqueue(job.pk)

    transaction.on_commit(enqueue)
    return job

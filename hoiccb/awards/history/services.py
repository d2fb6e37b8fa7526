"""Writes of the award history: an award entered by hand, and the import of past awards
(the preview of an uploaded file, then the commit of the rows the user kept).

Each service checks the actor's rights again and writes an AwardEvent in the same transaction.
"""

import hashlib
from collections import Counter
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.awards.access import require_manage_awards
from hoiccb.awards.audit import AwardEvent
from hoiccb.awards.history.importing import analyse, find_columns, past_awards
from hoiccb.awards.history.models import AwardImport, AwardImportState, AwardRecord
from hoiccb.awards.rounds.models import AwardForm
from hoiccb.lib.sheets.reading import read_upload
from hoiccb.members import access as members_access
from hoiccb.org.audit import record


def require_importer(actor: User) -> None:
    """Importing past awards needs the awards office only: each row is checked against the scope."""
    if not scoping.can(actor, "manage_awards"):
        raise PermissionDenied("Bạn không có quyền nhập khen thưởng.")


@transaction.atomic
def award_record_add(*, actor: User, form: AwardForm, year: int, member=None, unit=None, **fields) -> AwardRecord:
    """Enter an award received before the system existed."""
    require_manage_awards(actor, member.unit if member else unit)
    award = AwardRecord(form=form, year=year, member=member, unit=unit, **fields)
    award.unit_path = member.unit_path if member else unit.path
    award.full_clean()
    award.save()
    record(
        AwardEvent,
        actor=actor,
        unit=member.unit if member else unit,
        action="record_add",
        summary=f"Nhập khen thưởng {form} năm {year} cho {award.recipient_name}",
    )
    return award


@transaction.atomic
def preview(*, actor: User, file_name: str, data: bytes) -> AwardImport:
    """Read an uploaded file and store its preview; raises FileRejected with the reason."""
    require_importer(actor)
    if actor.unit is None:
        raise PermissionDenied("Tài khoản chưa gắn với đơn vị nào.")
    sheet = read_upload(file_name, data)
    layout = find_columns(sheet.rows)
    rows = analyse(actor, sheet.rows, layout, untyped=file_name.lower().endswith(".csv"))
    counts = Counter(r["status"] for r in rows)
    batch = AwardImport.objects.create(
        created_by=actor,
        unit=actor.unit,
        file_name=Path(file_name).name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        counts={"rows": len(rows), **counts},
    )
    record(
        AwardEvent,
        actor=actor,
        unit=actor.unit,
        action="history_preview",
        summary=f"Tải lên tệp khen thưởng đã có “{batch.file_name}”: {len(rows)} dòng",
        changes=dict(batch.counts),
    )
    return batch


@transaction.atomic
def commit(*, actor: User, batch: AwardImport, skip: frozenset[int] | set[int] = frozenset()) -> int:
    """Write every new row the user kept (all not in `skip`) in one go; returns how many were written."""
    require_importer(actor)
    batch = AwardImport.objects.select_for_update().get(pk=batch.pk)
    if not scoping.unit_in_scope(actor, batch.unit):
        raise PermissionDenied("Lần nhập này nằm ngoài phạm vi của bạn.")
    if batch.state != AwardImportState.PREVIEW:
        raise ValidationError("Tệp này đã được ghi rồi.")
    chosen = [r for r in batch.rows if r["status"] == "new" and r["number"] not in skip]
    if not chosen:
        raise ValidationError("Không có dòng nào được chọn để ghi.")
    # Check again: the scope, the forms and the history may have changed since the preview.
    members = {m.pk: m for m in members_access.members(actor).filter(pk__in={r["member_id"] for r in chosen})}
    units = {u.pk: u for u in scoping.units(actor).filter(pk__in={r["unit_id"] for r in chosen})}
    forms = {f.pk: f for f in AwardForm.objects.filter(pk__in={r["form_id"] for r in chosen})}
    recorded, _first = past_awards(set(members), {r["unit_id"] for r in chosen if not r["member_id"]})
    problems, records = [], []
    for r in chosen:
        member = members.get(r["member_id"]) if r["member_id"] else None
        unit = units.get(r["unit_id"]) if not r["member_id"] else None
        who = ("m", r["member_id"]) if r["member_id"] else ("u", r["unit_id"])
        path = member.unit_path if member is not None else unit.path if unit is not None else None
        if path is None or r["form_id"] not in forms:
            problems.append(f"Dòng {r['number']}: hội viên, đơn vị hoặc hình thức không còn trong phạm vi của bạn.")
        elif (who, r["form_id"], r["year"]) in recorded:
            problems.append(f"Dòng {r['number']}: đã được ghi vào lịch sử trong lúc chờ xác nhận.")
        else:
            award = AwardRecord(
                form=forms[r["form_id"]],
                member=member,
                unit=unit,
                unit_path=path,
                year=r["year"],
                achievement=r["achievement"],
                decision_text=r["decision"],
                source_import=batch,
            )
            award.full_clean(
                exclude=["form", "member", "unit", "decision", "source_import"], validate_constraints=False
            )
            records.append(award)
    if problems:
        more = f" (và {len(problems) - 5} dòng khác)" if len(problems) > 5 else ""
        raise ValidationError(" ".join(problems[:5]) + more + " Hãy tải tệp lên lại.")
    AwardRecord.objects.bulk_create(records, batch_size=1000)
    written = {r["number"] for r in chosen}
    for r in batch.rows:
        r["written"] = r["number"] in written
    batch.state = AwardImportState.COMMITTED
    batch.committed_at = timezone.now()
    batch.counts = {**batch.counts, "written": len(records), "skipped": len(skip & {r["number"] for r in batch.rows})}
    batch.save(update_fields=["rows", "state", "committed_at", "counts"])
    record(
        AwardEvent,
        actor=actor,
        unit=batch.unit,
        action="history_import",
        summary=f"Ghi {len(records)} khen thưởng đã có từ tệp “{batch.file_name}”",
        changes={"import": batch.pk, "written": len(records)},
    )
    return len(records)

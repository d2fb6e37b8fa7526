"""An import whose worker died mid-job goes back to where the user can retry or abandon it.

The reaper (hoiccb/lib/jobs.py) calls these handlers for a job it marked failed.
The commit and the undo run in one transaction, so a dead worker wrote nothing:
the import returns to the state before the job, with a message saying so.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hoiccb.accounts.models import User
from hoiccb.lib import jobs
from hoiccb.members.imports import progress
from hoiccb.members.imports.services import _check_importer
from hoiccb.members.models import ImportState, MemberImport

# job → (busy state while it runs, state to return to, message)
RETURNS = {
    "analyse": (
        ImportState.ANALYSING,
        ImportState.FAILED,
        "Tiến trình nền đã dừng đột ngột khi đang đọc tệp. Hãy đọc lại tệp, hoặc bỏ lần nhập này.",
    ),
    "commit": (
        ImportState.COMMITTING,
        ImportState.READY,
        "Tiến trình nền đã dừng đột ngột khi đang ghi; không có gì được ghi vào sổ. "
        "Hãy bấm xác nhận để ghi lại, hoặc bỏ lần nhập này.",
    ),
    "undo": (
        ImportState.UNDOING,
        ImportState.COMMITTED,
        "Tiến trình nền đã dừng đột ngột khi đang hoàn tác; chưa có gì được hoàn tác. Hãy hoàn tác lại.",
    ),
}


def return_after_lost_job(job: str, batch_id: int) -> bool:
    """Put an import whose `job` lost its worker back to where it can be retried; True if it was busy."""
    busy, back, message = RETURNS[job]
    moved = MemberImport.objects.filter(pk=batch_id, state=busy).update(state=back, message=message)
    batch = MemberImport.objects.filter(pk=batch_id).first()
    if batch is not None:
        progress.clear(batch)
    return bool(moved)


def _handler(job: str):
    def handle(kwargs: dict[str, Any]) -> None:
        if "batch_id" in kwargs:
            return_after_lost_job(job, int(kwargs["batch_id"]))

    return handle


def register() -> None:
    for job in RETURNS:
        jobs.on_lost(f"hoiccb.members.imports.tasks.{job}_import", _handler(job))


ABANDONED = "Lần nhập đã được bỏ; không có gì được ghi vào sổ."


@transaction.atomic
def import_abandon(*, actor: User, batch: MemberImport) -> MemberImport:
    """Give up an import that was not written (uploaded, previewed or failed): it stays as a record only."""
    _check_importer(actor, batch.default_unit)
    locked = MemberImport.objects.select_for_update().get(pk=batch.pk)
    if locked.state not in (ImportState.UPLOADED, ImportState.READY, ImportState.FAILED):
        raise ValidationError(f"Lần nhập đang ở trạng thái “{locked.get_state_display()}”, không bỏ được.")
    locked.state = ImportState.FAILED
    locked.message = ABANDONED
    locked.save(update_fields=["state", "message"])
    return locked

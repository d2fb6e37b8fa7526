"""Background jobs of the import wizard, run by `manage.py db_worker`.

The services queue them (services → tasks); a job runs the step modules directly,
so nothing here imports the services back.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django_tasks import task

from hoiccb.accounts.models import User
from hoiccb.lib.sheets.reading import FileRejected
from hoiccb.members.imports import progress
from hoiccb.members.imports.analysis import analyse
from hoiccb.members.imports.committing import CommitRefused, commit, explain_conflict, undo
from hoiccb.members.models import ImportState, MemberImport


@task()
def analyse_import(batch_id: int, actor_id: int) -> None:
    run_job("analyse", batch_id, actor_id)


@task()
def commit_import(batch_id: int, actor_id: int) -> None:
    run_job("commit", batch_id, actor_id)


@task()
def undo_import(batch_id: int, actor_id: int) -> None:
    run_job("undo", batch_id, actor_id)


def run_job(job: str, batch_id: int, actor_id: int) -> None:
    """Run one background job and leave the import in a clear state whatever happens."""
    batch = MemberImport.objects.select_related("default_unit").get(pk=batch_id)
    actor = User.objects.select_related("unit").get(pk=actor_id)
    fallback = {"analyse": ImportState.FAILED, "commit": ImportState.READY, "undo": ImportState.COMMITTED}[job]
    try:
        {"analyse": analyse, "commit": commit, "undo": undo}[job](batch, actor)
        progress.clear(batch)
    except (FileRejected, CommitRefused, ValidationError, PermissionDenied, IntegrityError) as exc:
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        if isinstance(exc, IntegrityError):
            message = explain_conflict(batch)
        MemberImport.objects.filter(pk=batch_id).update(state=fallback, message=message)
        progress.clear(batch)
    except Exception:
        MemberImport.objects.filter(pk=batch_id).update(
            state=fallback, message="Lỗi hệ thống khi xử lý; không có gì được ghi. Hãy thử lại hoặc báo quản trị."
        )
        progress.clear(batch)
        raise

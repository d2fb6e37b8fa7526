"""Background jobs of the import wizard, run by `manage.py db_worker`."""

from django_tasks import task

from hoiccb.members.imports.services import run_job


@task()
def analyse_import(batch_id: int, actor_id: int) -> None:
    run_job("analyse", batch_id, actor_id)


@task()
def commit_import(batch_id: int, actor_id: int) -> None:
    run_job("commit", batch_id, actor_id)


@task()
def undo_import(batch_id: int, actor_id: int) -> None:
    run_job("undo", batch_id, actor_id)

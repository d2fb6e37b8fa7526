"""Background printing of card sheets (run by `manage.py db_worker`)."""

from django_tasks import task

from hoiccb.members.cards import jobs


@task()
def print_cards(job_id: int) -> None:
    jobs.run(job_id)

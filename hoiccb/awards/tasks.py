"""Background jobs of the awards app, run by `manage.py db_worker`."""

from django_tasks import task

from hoiccb.awards import certificates


@task()
def print_certificates(job_id: int) -> None:
    certificates.run(job_id)

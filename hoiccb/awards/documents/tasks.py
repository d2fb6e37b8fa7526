"""Background jobs of the awards documents, run by `manage.py db_worker`.

This module imports the rendering (`certificates.run`); the service that queues a job
imports this module, never the other way round.
"""

from django_tasks import task

from hoiccb.awards.documents import certificates


@task()
def print_certificates(job_id: int) -> None:
    certificates.run(job_id)

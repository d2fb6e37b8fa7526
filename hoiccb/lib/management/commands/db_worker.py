"""django-tasks-db's worker, with a heartbeat and the reaper of jobs whose worker died.

Same options as the original (`manage.py db_worker --help`); hoiccb.lib is listed
before django_tasks_db in INSTALLED_APPS so this command wins the name.
"""

from django_tasks_db.management.commands.db_worker import Command as WorkerCommand

from hoiccb.lib import jobs


class Command(WorkerCommand):
    help = "Chạy tiến trình nền (django-tasks-db) có nhịp tim; việc của tiến trình đã chết được đánh dấu lỗi."

    def handle(self, *args, **options) -> None:
        worker_id = options["worker_id"]
        jobs.beat(worker_id)
        # A worker that died before this one left its jobs running: settle them first.
        for job_id in jobs.reap_lost_jobs():
            self.stderr.write(f"Việc {job_id}: tiến trình nền trước đã dừng đột ngột; đã đánh dấu lỗi.")
        heartbeat = jobs.Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()

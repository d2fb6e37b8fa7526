"""Mark failed the background jobs whose worker died, and put their imports back."""

from django.core.management.base import BaseCommand

from hoiccb.lib import jobs


class Command(BaseCommand):
    help = "Đánh dấu lỗi các việc nền mà tiến trình chạy chúng đã dừng đột ngột."

    def handle(self, *args, **options) -> None:
        reaped = jobs.reap_lost_jobs()
        for job_id in reaped:
            self.stdout.write(f"Việc {job_id}: đã đánh dấu lỗi (tiến trình nền đã dừng).")
        self.stdout.write(f"{len(reaped)} việc được xử lý.")

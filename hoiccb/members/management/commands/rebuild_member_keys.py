from django.core.management.base import BaseCommand

from hoiccb.members.tasks import rebuild_member_keys


class Command(BaseCommand):
    help = "Tính lại khóa tìm kiếm, khóa sắp xếp của mọi hội viên (sau khi nâng cấp ICU)."

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help="Giao cho tiến trình nền (db_worker).")

    def handle(self, *args, background: bool, **options):
        if background:
            result = rebuild_member_keys.enqueue()
            self.stdout.write(f"Đã giao việc {result.id} cho tiến trình nền.")
            return
        self.stdout.write(f"Đã cập nhật {rebuild_member_keys.call()} hội viên.")

"""manage.py restore ARCHIVE [--force]: put a backup back into an empty installation."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoiccb.lib import backup


class Command(BaseCommand):
    help = "Phục hồi một bản sao lưu (manage.py backup) vào cài đặt trống: CSDL và tệp tải lên."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path, help="Tệp .tar.gz do manage.py backup tạo ra.")
        parser.add_argument(
            "--force", action="store_true", help="Ghi đè cả khi CSDL hoặc thư mục tệp tải lên đã có dữ liệu."
        )

    def handle(self, *args, archive: Path, force: bool = False, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"Không có tệp “{archive}”.")
        try:
            manifest = backup.restore(archive, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã phục hồi {backup.describe(manifest)}; số dòng mọi bảng khớp bản sao lưu.")

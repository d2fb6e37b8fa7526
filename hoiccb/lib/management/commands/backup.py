"""manage.py backup [--output PATH]: one archive with the database and every uploaded file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hoiccb.lib import backup


class Command(BaseCommand):
    help = "Sao lưu CSDL (bản chụp nhất quán) và mọi tệp tải lên vào một tệp .tar.gz."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="Tệp sao lưu (mặc định var/backups/hoiccb-NgàyGiờ.tar.gz)."
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        target = output or backup.default_output()
        try:
            manifest = backup.backup(target)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã sao lưu vào {target}: {backup.describe(manifest)}.")

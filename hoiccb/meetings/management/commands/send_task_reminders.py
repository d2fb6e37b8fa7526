"""Email each assignee whose unfinished task is due within a few days (run daily, e.g. from cron)."""

from django.core.management.base import BaseCommand

from hoiccb.lib.forms import today
from hoiccb.meetings.services import send_reminders


class Command(BaseCommand):
    help = "Gửi thư nhắc việc sắp đến hạn cho người được giao."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="Nhắc trước hạn bao nhiêu ngày (mặc định 2).")

    def handle(self, *args, days: int, **options):
        sent = send_reminders(on=today(), days_before=days)
        self.stdout.write(f"Đã gửi {sent} thư nhắc việc.")

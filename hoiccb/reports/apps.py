from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hoiccb.reports"
    verbose_name = "Báo cáo định kỳ"

    def ready(self) -> None:
        from hoiccb.lib import inbox
        from hoiccb.reports.inbox import items

        inbox.register(items)

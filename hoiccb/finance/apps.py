from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "hoiccb.finance"
    verbose_name = "Hội phí và quỹ"

    def ready(self) -> None:
        from hoiccb.finance import services
        from hoiccb.members import deaths

        deaths.register(services.create_visit_task)

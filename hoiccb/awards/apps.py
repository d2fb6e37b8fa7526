from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "hoiccb.awards"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        from hoiccb.awards.inbox import items
        from hoiccb.lib import inbox

        inbox.register(items)

from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "hoiccb.awards"
    verbose_name = "Thi đua, khen thưởng"

    def ready(self) -> None:
        from hoiccb.awards import privacy_data
        from hoiccb.awards.inbox import items
        from hoiccb.lib import inbox
        from hoiccb.members.privacy import registry

        registry.register("Thi đua, khen thưởng", privacy_data.member_rows)
        inbox.register(items)

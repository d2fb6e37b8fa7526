from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "hoiccb.awards"

    def ready(self) -> None:
        from hoiccb.awards import privacy_data
        from hoiccb.members.privacy import registry

        registry.register("Thi đua, khen thưởng", privacy_data.member_rows)

from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "hoiccb.activities"

    def ready(self) -> None:
        from hoiccb.activities import privacy_data
        from hoiccb.members.privacy import registry

        registry.register("Hoạt động, thăm tặng quà", privacy_data.member_rows, forget=privacy_data.forget)

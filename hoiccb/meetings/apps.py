from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hoiccb.meetings"
    verbose_name = "Hội nghị"

    def ready(self) -> None:
        from hoiccb.lib import inbox
        from hoiccb.meetings.inbox import items

        inbox.register(items)

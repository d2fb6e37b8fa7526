from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hoiccb.meetings"
    verbose_name = "Hội nghị"

    def ready(self) -> None:
        from hoiccb.lib import inbox
        from hoiccb.meetings import privacy_data
        from hoiccb.meetings.inbox import items
        from hoiccb.members.privacy import registry

        registry.register("Hội nghị", privacy_data.member_rows, forget=privacy_data.forget)
        registry.register("Ứng cử tại đại hội", privacy_data.candidate_rows, forget=privacy_data.forget_candidate)
        inbox.register(items)

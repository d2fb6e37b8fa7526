from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "hoiccb.members"
    verbose_name = "Hội viên"

    def ready(self) -> None:
        from hoiccb.lib import inbox
        from hoiccb.members.inbox import items
        from hoiccb.members.unit_people import MembersOfUnit
        from hoiccb.org import people

        people.register(MembersOfUnit())

        from hoiccb.members.imports import recovery

        recovery.register()
        inbox.register(items)

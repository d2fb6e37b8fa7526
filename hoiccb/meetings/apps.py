from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "hoiccb.meetings"
    verbose_name = "Hội nghị"

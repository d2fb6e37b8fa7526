from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "hoiccb.news"
    verbose_name = "Tin tức và văn bản chỉ đạo"

    def ready(self) -> None:
        from hoiccb.lib import inbox
        from hoiccb.news.inbox import items

        inbox.register(items)

from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "hoiccb.news"
    verbose_name = "Tin tức và văn bản chỉ đạo"

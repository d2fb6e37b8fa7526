from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hoiccb.demo"
    verbose_name = "Dữ liệu mẫu"

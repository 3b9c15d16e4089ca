from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "paritrana.web"
    verbose_name = "Paritrana web"

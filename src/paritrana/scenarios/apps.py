from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "paritrana.scenarios"
    verbose_name = "Reform scenarios"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "paritrana.coverage"
    verbose_name = "Coverage"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "paritrana.contributions"
    verbose_name = "Contributions"
    default_auto_field = "django.db.models.BigAutoField"

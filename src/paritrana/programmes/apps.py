from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "paritrana.programmes"
    verbose_name = "Regional programmes"
    default_auto_field = "django.db.models.BigAutoField"

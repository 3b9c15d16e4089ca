from django.apps import AppConfig


class ProjectionConfig(AppConfig):
    name = "paritrana.projection"
    verbose_name = "Projection"
    default_auto_field = "django.db.models.BigAutoField"

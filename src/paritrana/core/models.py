"""Field groups that several apps' models share, as abstract models (no table of their own).

Moving a field group here changes no column: ``makemigrations --check`` stays clean.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Upload(models.Model):
    """A file a user uploaded, read row by row: who and when, its name, its rows and the row errors reported."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # [{"row": 3, "field": "...", "message": "..."}]: the report shown to the user
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({getattr(self, 'status', '')})"

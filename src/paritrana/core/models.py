"""Field groups that several apps' models share, as abstract models (no table of their own), and the one
table of the shared layer: the progress of a long step (``Progress``, decision 0037).

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


class Progress(models.Model):
    """How far a long step started by a person has gone (an upload checked, a scenario run), polled by its page:
    read by the person who started it only, pruned a day after its last update (``core.progress_store``)."""

    token = models.CharField(max_length=64, unique=True)  # random, chosen by the page that polls it
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=40, blank=True)  # a program's key: rows, storing, done, failed …
    message = models.CharField(max_length=300, blank=True)  # the stage's English template ({done}, {total})
    done = models.BigIntegerField(default=0)
    total = models.BigIntegerField(null=True, blank=True)
    updated = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.stage} {self.done}/{self.total}"

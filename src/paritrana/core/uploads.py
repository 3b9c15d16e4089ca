"""Uploaded files refused early: by their size while they arrive, by their name, before anything reads them.

``BoundedUploadHandler`` (first of ``FILE_UPLOAD_HANDLERS``) counts each file's bytes as Django receives
them; past ``max_bytes`` it passes nothing more on (the rest of the request is read and dropped, never
kept), and the file the view gets is an empty ``RefusedUpload`` whose ``size`` is what arrived, so the
usual size check refuses it. ``upload_problem`` is that check, with the file name's length, as a message
in the user's language naming the file; the pages show it as a form error and the API as a 422 on ``file``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext

from paritrana.core.limits import DEFAULTS, MIB, UploadLimits


def upload_limits() -> UploadLimits:
    """The limits in force: Django's ``UPLOAD_LIMITS`` setting (a mapping of their fields), else the defaults."""
    from django.conf import settings

    configured = getattr(settings, "UPLOAD_LIMITS", None) or {}
    return UploadLimits(**{**DEFAULTS.__dict__, **configured})


class RefusedUpload(UploadedFile):
    """An upload above the size limit: no content, its ``size`` the bytes that arrived."""

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        import io

        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return iter(())


class BoundedUploadHandler(FileUploadHandler):
    """Stops passing a file's bytes on past ``UploadLimits.max_bytes`` (see the module)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = upload_limits().max_bytes
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > self.limit:
            return RefusedUpload(self.file_name or "", self.received, self.content_type)
        return None


def upload_problem(name: str | None, size: int | None, limits: UploadLimits | None = None) -> str | None:
    """Why an upload of ``name`` and ``size`` bytes is refused, in the active language; None if it is not."""
    limits = limits or upload_limits()
    name = name or ""
    if len(name) > limits.max_name:
        return gettext("the file name has more than %(maximum)s characters; rename the file and upload it again") % {
            "maximum": limits.max_name
        }
    if size is not None and size > limits.max_bytes:
        return gettext("the file is larger than %(maximum)s MB; split it into smaller files") % {
            "maximum": f"{limits.max_bytes / MIB:g}"
        }
    return None


@contextmanager
def saved(uploaded: Any) -> Iterator[Path]:
    """The uploaded file on disk (its temporary file, else copied chunk by chunk), for the time of the block."""
    if hasattr(uploaded, "temporary_file_path"):
        yield Path(uploaded.temporary_file_path())
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        yield path

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
    """An upload above the limits: no content, its ``size`` the bytes that arrived, ``name_length`` the length
    of the name it was sent with (Django shortens a name to 255 characters)."""

    def __init__(self, name: str, size: int, content_type: str | None, name_length: int) -> None:
        import io

        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)
        self.name_length = name_length

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return iter(())


class BoundedUploadHandler(FileUploadHandler):
    """Stops passing a file's bytes on past ``UploadLimits.max_bytes`` (see the module)."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        limits = upload_limits()
        self.limit = limits.max_bytes
        self.received = 0
        self.name_length = len(self.file_name or "")
        self.refused = self.name_length > limits.max_name

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        self.refused = self.refused or self.received > self.limit
        return None if self.refused else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refused:
            return RefusedUpload(self.file_name or "", self.received, self.content_type, self.name_length)
        return None


def size_text(size: int) -> str:
    """``20 MB`` (whole mebibytes), else ``1,024 B``."""
    return f"{size // MIB} MB" if size >= MIB and size % MIB == 0 else f"{size:,} B"


def unreadable_upload_message() -> str:
    """What a person is told when Django cannot read an upload's form (a part's heading, e.g. a file name of
    thousands of characters, above its 1,024 bytes)."""
    return gettext(
        "the upload cannot be read: the file name is too long; rename the file (at most %(maximum)s characters) "
        "and upload it again"
    ) % {"maximum": upload_limits().max_name}


def upload_problem(uploaded: Any, limits: UploadLimits | None = None) -> str | None:
    """Why an uploaded file is refused (its name's length, its size), in the active language; None if it is not."""
    limits = limits or upload_limits()
    name_length = getattr(uploaded, "name_length", None) or len(getattr(uploaded, "name", None) or "")
    size = getattr(uploaded, "size", None)
    if name_length > limits.max_name:
        return gettext("the file name has more than %(maximum)s characters; rename the file and upload it again") % {
            "maximum": limits.max_name
        }
    if size is not None and size > limits.max_bytes:
        return gettext("the file is larger than %(maximum)s; split it into smaller files") % {
            "maximum": size_text(limits.max_bytes)
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

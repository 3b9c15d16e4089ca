"""The files of a claim form kept across a form error: each file sent is stored once (under the local data
folder, in chunks, never whole in memory) and named in the user's session, so that the form shown again lists it
as attached and a new submission uses it without the file being chosen again. Another file chosen for the same
document replaces it; a submitted claim (or a fresh form) releases them; files left behind are swept after a day.

Only the session that sent a file knows its token: another user cannot reach it.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest

SESSION_KEY = "held_claim_files"
KEPT_SECONDS = 24 * 3600


class HeldFile(NamedTuple):
    """A file held: its token (its name on disk), the name it was sent with, its size in bytes."""

    token: str
    name: str
    size: int


def content(held_file: HeldFile) -> bytes:
    return (_folder() / held_file.token).read_bytes()


def _folder() -> Path:
    folder = Path(settings.HOME) / "held-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep() -> None:
    """Remove the files held longer than a day (forms abandoned after an error)."""
    limit = time.time() - KEPT_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def held(request: HttpRequest, form: str) -> dict[str, HeldFile]:
    """The files held for the form ``form`` of this session, by field name (those whose file is gone dropped)."""
    stored: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {}).get(form, {})
    files = {field: HeldFile(**entry) for field, entry in stored.items()}
    return {field: f for field, f in files.items() if (_folder() / f.token).is_file()}


def hold(request: HttpRequest, form: str, field: str, uploaded: Any) -> HeldFile:
    """Store ``uploaded`` (a Django uploaded file) for ``field`` of ``form``, replacing what was held for it."""
    _sweep()
    token = secrets.token_urlsafe(24)
    with (_folder() / token).open("wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    kept = HeldFile(token, str(uploaded.name or field), int(uploaded.size))
    sessions = request.session.get(SESSION_KEY, {})
    previous = sessions.get(form, {}).get(field)
    if previous:
        (_folder() / previous["token"]).unlink(missing_ok=True)
    sessions.setdefault(form, {})[field] = {"token": kept.token, "name": kept.name, "size": kept.size}
    request.session[SESSION_KEY] = sessions
    return kept


def forget(request: HttpRequest, form: str, field: str) -> None:
    """Drop the file held for one field (the use case refused it: it is to be chosen again)."""
    sessions = request.session.get(SESSION_KEY, {})
    entry = sessions.get(form, {}).pop(field, None)
    if entry:
        (_folder() / entry["token"]).unlink(missing_ok=True)
        request.session[SESSION_KEY] = sessions


def release(request: HttpRequest, form: str) -> None:
    """Forget (and delete) the files held for ``form``."""
    sessions = request.session.get(SESSION_KEY, {})
    for entry in sessions.pop(form, {}).values():
        (_folder() / entry["token"]).unlink(missing_ok=True)
    request.session[SESSION_KEY] = sessions

"""Bulk-SQL helpers shared by every app: ``IN (…)`` lists in chunks, advisory locks, the user a history row names.

One copy of each, so a limit or a lock's behaviour changes in one place (issue 14, decision 0019).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, transaction

T = TypeVar("T")

IN_CHUNK = 2_000  # ids per "IN (…)" list: SQLite allows 32,766 parameters, and smaller lists plan faster
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1  # pg_advisory_xact_lock(int, int) takes two 32-bit keys


def chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size`` (none for an empty sequence)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    for start in range(0, len(values), size):
        yield values[start : start + size]


@contextmanager
def advisory_lock(kind: int, key: int, using: str = "default") -> Iterator[None]:
    """Serialise the runs that share ``(kind, key)`` (a run class and, e.g., a month as ``yyyymm``).

    Opens a transaction (a savepoint inside an outer one). On PostgreSQL it takes
    ``pg_advisory_xact_lock(kind, key)``, held until the OUTERMOST transaction ends, so a second run waits
    for the first to commit; on SQLite it takes nothing, since one writer already holds the database.
    """
    for name, value in (("kind", kind), ("key", key)):
        if not INT4_MIN <= value <= INT4_MAX:
            raise ValueError(f"advisory lock {name} {value} does not fit a 32-bit integer")
    with transaction.atomic(using=using):
        connection = connections[using]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [kind, key])
        yield


def history_user(user: Any) -> Any:
    """The user a history row names: the signed-in user, or none for the system or an anonymous caller."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def stamp_history(obj: Any, user: Any) -> None:
    """Name the user in the record's next history row, also outside a web request (API token, command line)."""
    if history_user(user) is not None:
        obj._history_user = user

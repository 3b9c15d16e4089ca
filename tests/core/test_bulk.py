"""The shared bulk helpers: chunks of an ``IN (…)`` list, the advisory lock (held on PostgreSQL until the outermost
transaction commits, as another connection sees; nothing on SQLite), the user a history row names."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections, transaction

from paritrana.core.bulk import IN_CHUNK, advisory_lock, chunks, history_user, stamp_history

KIND = 0x7E57  # a lock class no run of the application uses


def test_chunks_cover_every_value_once_in_order_within_the_size() -> None:
    values = list(range(2 * IN_CHUNK + 7))
    parts = list(chunks(values))
    assert [len(p) for p in parts] == [IN_CHUNK, IN_CHUNK, 7]
    assert [v for p in parts for v in p] == values
    assert list(chunks([], 3)) == []
    assert list(chunks("abcde", 2)) == ["ab", "cd", "e"]
    with pytest.raises(ValueError, match="at least 1"):
        list(chunks([1, 2], 0))


def test_history_user_names_only_a_signed_in_user() -> None:
    class Signed:
        is_authenticated = True

    signed = Signed()
    assert history_user(signed) is signed
    assert history_user(AnonymousUser()) is None
    assert history_user(None) is None

    class Record:
        pass

    kept, anonymous = Record(), Record()
    stamp_history(kept, signed)
    stamp_history(anonymous, AnonymousUser())
    assert kept._history_user is signed
    assert not hasattr(anonymous, "_history_user")


def test_lock_keys_must_fit_postgresql_integers() -> None:
    with pytest.raises(ValueError, match="kind"), advisory_lock(2**31, 1):
        pass
    with pytest.raises(ValueError, match="key"), advisory_lock(KIND, -(2**31) - 1):
        pass


@pytest.mark.django_db(transaction=True)
def test_lock_runs_inside_a_transaction_rolled_back_on_error() -> None:
    assert not connection.in_atomic_block
    with advisory_lock(KIND, 202601):
        assert connection.in_atomic_block
    with pytest.raises(RuntimeError), advisory_lock(KIND, 202601):
        assert connection.in_atomic_block
        raise RuntimeError("a failed run")
    assert not connection.in_atomic_block


def _try_lock_elsewhere(kind: int, key: int) -> Any:
    """Whether a second connection to the same database could take the lock now (it releases it at once)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, key])
            taken = cursor.fetchone()[0]
            if taken:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [kind, key])
        return taken
    finally:
        other.close()


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_postgresql_lock_is_held_until_the_outermost_transaction_commits() -> None:
    with transaction.atomic():
        with advisory_lock(KIND, 202612):
            assert _try_lock_elsewhere(KIND, 202612) is False
        # the savepoint is released, the lock is not: it belongs to the outer transaction
        assert _try_lock_elsewhere(KIND, 202612) is False
        assert _try_lock_elsewhere(KIND, 202611) is True  # another month runs meanwhile
    assert _try_lock_elsewhere(KIND, 202612) is True

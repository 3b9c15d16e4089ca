"""Shared test set-up: the repository root, and API clients per role of the package's ``world``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.platform.client import Api

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def spark() -> Any:
    """Ibis on Spark, one session for the whole run: ``local[2]``, two shuffle partitions, no UI, on 127.0.0.1
    (the JVM is Debian's openjdk-17-jre-headless, which ``./dev test`` installs)."""
    from paritrana.rules import engines

    # tiny data: Spark's code generation (Janino compiling each query's Java) costs more than it saves
    quick = {"spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN"}
    engines.spark_session("local[2]", shuffle_partitions=2, settings=quick)
    return engines.backend("spark")


@pytest.fixture
def duck() -> Any:
    """This thread's embedded DuckDB (the rules engine's)."""
    from paritrana.rules import engines

    return engines.backend("duckdb")


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the site's default language (Bahasa Indonesia), whatever an earlier test activated:
    a fixture that stores text translated on writing (a claim's notes) must not depend on the tests' order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def demo_like_recorded(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The coverage tests' demo-like data (tests/coverage/coveragekit.py) built once for the run, its rows kept to
    be laid down again for each test that asks (tests/worlds.py): built per test, it took 9 to 19 s of each."""
    from tests.coverage.coveragekit import build_demo_like
    from tests.worlds import Recorded

    with django_db_blocker.unblock():
        return Recorded.of(build_demo_like)


@pytest.fixture(scope="session")
def award_world_recorded(demo_like_recorded: Any, django_db_blocker: Any) -> Any:
    """The award tests' world (tests/award/awardkit.py) likewise: the demo-like data laid down, then the award's
    part built over it."""
    from tests.award.awardkit import award_world_on_demo_like
    from tests.worlds import Recorded

    def build() -> Any:
        demo_like_recorded.laid_down()
        return award_world_on_demo_like()

    with django_db_blocker.unblock():
        return Recorded.of(build)


@pytest.fixture
def api(world: Any) -> Callable[[str], Api]:
    """``api(role)``: a client with that role's bearer token (an unknown role: anonymous).

    ``world`` is the package's own fixture (each package builds the world its tests need)."""

    def for_role(role: str) -> Api:
        return Api(world.tokens.get(role))

    return for_role


_NOT_RUN_HERE: list[pytest.Item] = []
_RUN_IN_THE_SQLITE_HALF: list[pytest.Item] = []
_USING_NO_DATABASE: list[pytest.Item] = []

# What a test needs to reach the database: pytest-django refuses a query to a test without one of these (or the
# django_db mark), so a test without them gives the same result on either database.
# (django_db_setup: a module's own world, committed through django_db_blocker)
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
    | {"django_db_setup"}
)


def uses_no_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is None and not DATABASE_FIXTURES & set(
        getattr(item, "fixturenames", ())
    )


def _leave_out(config: pytest.Config, items: list[pytest.Item], which: list[pytest.Item]) -> None:
    if which:
        config.hook.pytest_deselected(items=which)
        left = {id(item) for item in which}
        items[:] = [item for item in items if id(item) not in left]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On SQLite, deselect the tests marked ``postgresql_only``. In the PostgreSQL half of ``./dev test``
    (``PARITRANA_TEST_HALF=postgresql``), deselect what its SQLite half runs anyway: the tests marked
    ``sqlite_half`` and those that use no database (decision 0050). Not passed, not skipped: not run; each group
    counted in the summary. A PostgreSQL run outside ``./dev test`` runs them all."""
    import os

    from django.conf import settings

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _NOT_RUN_HERE[:] = [item for item in items if item.get_closest_marker("postgresql_only")]
        _leave_out(config, items, _NOT_RUN_HERE)
    elif os.environ.get("PARITRANA_TEST_HALF") == "postgresql":
        _RUN_IN_THE_SQLITE_HALF[:] = [item for item in items if item.get_closest_marker("sqlite_half")]
        _USING_NO_DATABASE[:] = [
            item for item in items if uses_no_database(item) and not item.get_closest_marker("sqlite_half")
        ]
        _leave_out(config, items, _RUN_IN_THE_SQLITE_HALF + _USING_NO_DATABASE)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _RUN_IN_THE_SQLITE_HALF:
        terminalreporter.write_line(
            f"{len(_RUN_IN_THE_SQLITE_HALF)} tests of the engines over a snapshot file not run on PostgreSQL "
            "(the database only writes the snapshot: they run in the SQLite half of ./dev test)",
            yellow=True,
            bold=True,
        )
    if _USING_NO_DATABASE:
        terminalreporter.write_line(
            f"{len(_USING_NO_DATABASE)} tests that use no database not run on PostgreSQL "
            "(they give the same result on either: they run in the SQLite half of ./dev test)",
            yellow=True,
            bold=True,
        )
    if _NOT_RUN_HERE:
        terminalreporter.write_line(
            f"{len(_NOT_RUN_HERE)} PostgreSQL-only tests not run on SQLite "
            "(concurrency: run with PARITRANA_DATABASE_URL set to a PostgreSQL database)",
            yellow=True,
            bold=True,
        )

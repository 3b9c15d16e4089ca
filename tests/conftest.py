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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On SQLite, deselect the tests marked ``postgresql_only``; on PostgreSQL, those marked ``sqlite_half``
    (not passed, not skipped: not run; each counted in the summary)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _RUN_IN_THE_SQLITE_HALF[:] = [item for item in items if item.get_closest_marker("sqlite_half")]
        if _RUN_IN_THE_SQLITE_HALF:
            config.hook.pytest_deselected(items=_RUN_IN_THE_SQLITE_HALF)
            items[:] = [item for item in items if not item.get_closest_marker("sqlite_half")]
        return
    _NOT_RUN_HERE[:] = [item for item in items if item.get_closest_marker("postgresql_only")]
    if _NOT_RUN_HERE:
        config.hook.pytest_deselected(items=_NOT_RUN_HERE)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql_only")]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _RUN_IN_THE_SQLITE_HALF:
        terminalreporter.write_line(
            f"{len(_RUN_IN_THE_SQLITE_HALF)} tests of the engines over a snapshot file not run on PostgreSQL "
            "(the database only writes the snapshot: they run in the SQLite half of ./dev test)",
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

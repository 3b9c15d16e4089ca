"""Shared test set-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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

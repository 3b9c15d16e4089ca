"""One SparkSession for the whole test run: ``local[2]``, two shuffle partitions, no UI, on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest

from paritrana.rules import engines


@pytest.fixture(scope="session")
def spark() -> Any:
    """Ibis on Spark (the JVM is Debian's openjdk-17-jre-headless, which ``./dev test`` installs)."""
    # tiny data: Spark's code generation (Janino compiling each query's Java) costs more than it saves
    quick = {"spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN"}
    engines.spark_session("local[2]", shuffle_partitions=2, settings=quick)
    return engines.backend("spark")


@pytest.fixture
def duck() -> Any:
    return engines.backend("duckdb")

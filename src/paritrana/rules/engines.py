"""The engine a batch job runs on: DuckDB (embedded, the default) or Apache Spark (PySpark through Ibis).

Every batch job builds ONE Ibis expression (the rules' formulas, the billing lines, the JHT returns, the
coverage cube) over tables of a backend, and runs it where those tables are: :func:`backend` gives the
backend of an engine, :func:`read_parquet` opens a file (or a folder of files) on it, :func:`to_arrow` runs an
expression on the backend of its tables, :func:`write_parquet` writes the result with the engine's own writer
(streaming, never the whole table in Python). Decision 0016 records the choices and the limits found.

Spark: one session per process (``local[*]`` by default; ``--spark-master`` or ``SPARK_MASTER`` for a
cluster; ``spark-defaults.conf`` under ``SPARK_CONF_DIR`` as usual), its web UI off, bound to 127.0.0.1 when
local, the JVM found from ``JAVA_HOME``, ``java`` on the path, or Debian's ``openjdk-17-jre-headless``. The
jars are pyspark's own: nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from paritrana.rules.errors import RuleError

ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
_SPARK_LOCK = threading.Lock()
_spark: dict[str, Any] = {}
# Debian's JVM (openjdk-17-jre-headless), where neither JAVA_HOME nor ``java`` on the path says otherwise
_DEBIAN_JVMS = ("/usr/lib/jvm/java-17-openjdk-amd64", "/usr/lib/jvm/java-17-openjdk-arm64")
_LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


class EngineError(RuleError):
    """An engine that cannot be used (an unknown name, no JVM for Spark)."""


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise EngineError(f"engine: {name!r} is not one of {', '.join(ENGINES)}")
    return name


def java_home() -> str | None:
    """The JVM Spark will start: ``JAVA_HOME``, else the ``java`` on the path, else Debian's OpenJDK 17."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    java = shutil.which("java")
    if java is not None:
        return str(Path(java).resolve().parent.parent)
    for folder in _DEBIAN_JVMS:
        if Path(folder, "bin", "java").exists():
            return folder
    return None


def spark_session(
    master: str | None = None, shuffle_partitions: int | None = None, settings: Mapping[str, str] | None = None
) -> Any:
    """The process's SparkSession (created on first use; later calls get the same one).

    ``master``: ``local[*]`` unless ``SPARK_MASTER`` says otherwise. ``shuffle_partitions``: Spark's
    ``spark.sql.shuffle.partitions`` (200 by default, far too many for small data; the tests use 2).
    ``settings``: any other Spark settings.
    """
    with _SPARK_LOCK:
        if "session" in _spark:
            return _spark["session"]
        home = java_home()
        if home is None:
            raise EngineError("engine spark needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
        os.environ.setdefault("JAVA_HOME", home)
        from pyspark.sql import SparkSession

        chosen = master or os.environ.get("SPARK_MASTER") or "local[*]"
        java_options = f"-Dlog4j2.configurationFile=file:{_LOG_CONFIG}"
        builder = (
            SparkSession.builder.master(chosen)
            .appName("paritrana")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.driver.extraJavaOptions", java_options)
            # Spark's catalogue folder (never used: the jobs read files), out of the working folder
            .config("spark.sql.warehouse.dir", str(Path(tempfile.gettempdir(), "paritrana-spark-warehouse")))
        )
        if chosen.startswith("local"):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        if shuffle_partitions is not None:
            builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        for key, value in (settings or {}).items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        _spark["session"] = session
        return session


def backend(engine: str = DEFAULT_ENGINE, *, spark_master: str | None = None) -> Any:
    """A backend of ``engine``: this thread's embedded DuckDB (the one the rules engine runs its checks on), or
    Ibis on the process's SparkSession."""
    check_engine(engine)
    if engine == "duckdb":
        from paritrana.rules.engine import connection

        return connection()
    with _SPARK_LOCK:
        cached = _spark.get("ibis")
    if cached is not None:
        return cached
    session = spark_session(spark_master)
    con = ibis.pyspark.connect(session)
    with _SPARK_LOCK:
        _spark["ibis"] = con
    return con


def engine_of(con: Any) -> str:
    return "spark" if con.name == "pyspark" else "duckdb"


def read_parquet(con: Any, path: Path | str, table_name: str | None = None) -> ir.Table:
    """A Parquet file, or a folder of them (a partitioned snapshot table), as a table of ``con``."""
    source = Path(path)
    if not source.exists():
        raise EngineError(f"{source} does not exist")
    if engine_of(con) == "duckdb" and source.is_dir():
        return con.read_parquet(f"{source}/**/*.parquet", table_name=table_name, hive_partitioning=True)
    return con.read_parquet(str(source), table_name=table_name)


def arrow_table(con: Any, table: pa.Table, name: str) -> ir.Table:
    """An Arrow table (already in memory) as a table of ``con`` named ``name`` (replacing one of that name)."""
    if engine_of(con) == "spark":
        spark_session().createDataFrame(table).createOrReplaceTempView(name)
        return con.table(name)
    con.con.register(name, table)  # a view over the Arrow table: nothing copied
    return con.table(name)


def drop_arrow_table(con: Any, name: str) -> None:
    """Forget :func:`arrow_table`'s ``name`` (the engine no longer holds the Arrow table)."""
    if engine_of(con) == "spark":
        spark_session().catalog.dropTempView(name)
    else:
        con.con.unregister(name)


def to_arrow(expr: ir.Table) -> pa.Table:
    """Run ``expr`` on the backend of its tables and give the result as Arrow, in the types Ibis gives it.

    On Spark, its SQL (Ibis's ``compile``) is run by the session and fetched with ``DataFrame.toArrow``
    (Arrow all the way; Ibis's own ``to_pyarrow`` goes through pandas, which turns a nullable integer column
    into floats on the way). Spark's tables are views of the session (:func:`read_parquet`,
    :func:`arrow_table`), never in-memory tables of Ibis, which only Ibis's own execution registers.
    """
    from paritrana.rules.duck import typed_arrow

    con = expr.get_backend()
    if con.name != "pyspark":
        return con.to_pyarrow(expr)
    frame = spark_session().sql(con.compile(expr))
    return typed_arrow(frame.toArrow(), expr.schema())


def write_parquet(expr: ir.Table, path: Path | str) -> None:
    """Write ``expr``'s rows with the engine's own writer: one file on DuckDB, a folder of part files on
    Spark (each executor writes its own; readers take the folder as one table; an earlier folder is replaced)."""
    con = expr.get_backend()
    target = Path(path)
    if con.name == "pyspark":
        con.to_parquet(expr, str(target), mode="overwrite")
        return
    con.to_parquet(expr, str(target))


def column_checksums(table: pa.Table) -> dict[str, str]:
    """A SHA-256 per column of a result, independent of the order of its rows (they are sorted on every
    column first): two engines agree on a column exactly when its checksum is the same."""
    ordered = table.sort_by([(name, "ascending") for name in table.column_names]) if table.num_rows else table
    out: dict[str, str] = {}
    for name in ordered.column_names:
        digest = hashlib.sha256()
        for value in ordered.column(name).to_pylist():
            digest.update(repr(value).encode())
            digest.update(b"\x00")
        out[name] = digest.hexdigest()[:16]
    return out


def checksums_agree(left: Mapping[str, str], right: Mapping[str, str]) -> bool:
    return dict(left) == dict(right)


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "EngineError",
    "arrow_table",
    "backend",
    "check_engine",
    "column_checksums",
    "engine_of",
    "java_home",
    "read_parquet",
    "spark_session",
    "to_arrow",
    "write_parquet",
]

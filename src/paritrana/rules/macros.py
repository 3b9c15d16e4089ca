"""The SQL functions the rules' money arithmetic calls that DuckDB does not have (decision 0022), defined on every
DuckDB connection that runs the rules' SQL (``duck.connection``, and a stored plan's own connection)."""

# What DuckDB needs to run the rules' SQL (Spark has ``div`` built in): ``div`` is integer division,
# truncating, exact on 64-bit integers (every numerator of the rules is >= 0, so it is also the floor).
DUCKDB_MACROS = ("CREATE OR REPLACE TEMP MACRO div(a, b) AS a // b",)

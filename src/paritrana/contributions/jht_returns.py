"""The compute stage of the yearly JHT crediting as ONE Ibis expression, on DuckDB or on Spark.

Its input is a row per account and movement (``ledger.RETURN_ROWS``: the opening balance, then each month's
net movement, ``sign`` −1 for a debit) as a table of the engine that runs it; its output is the return per
account, the sum of the rule ``jht_yearly_return`` over the account's rows (``ledger`` explains the reading).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from paritrana.rules import get_rule, prepare

RETURN_RULE = "jht_yearly_return"


def returns_per_account(rows: ir.Table, year: int, declared_rate_bp: int) -> ir.Table:
    """``(worker_id, total)``: the return of ``year`` per account at the declared rate (0: the rate on
    record, ``jht.return_rate``)."""
    table = rows.mutate(declared_rate_bp=ibis.literal(int(declared_rate_bp)).cast("int64"))
    run = prepare(get_rule(RETURN_RULE), table, on=dt.date(year, 12, 31))
    t = run.table
    # the cast written into the SQL (Ibis drops a cast to the type it infers, and DuckDB's sum of BIGINT is a
    # HUGEINT, which reaches Arrow as a decimal)
    total = ops.Cast((t.sign * t.yearly_return).sum(), to="int64").to_expr()
    return t.group_by("worker_id").aggregate(total=total)

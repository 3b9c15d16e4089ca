"""A reform's effect on one month's contributions: ONE Ibis expression per cube, on DuckDB or on Spark.

The inputs are the billing extract's tables (``PU_SCHEMA``, ``BPU_SCHEMA``: who is billed, on what wage, for
which programmes) and a table of people (:data:`PEOPLE_SCHEMA`: where each worker is counted and who they
are). The law's lines (``billing_lines.pu_lines`` / ``bpu_lines``, the formulas the monthly bills use) are
computed twice, under the baseline's parameters and the reform's, and set side by side per worker and
programme. The cubes sum them by each dimension the analyst reads (:data:`DIMENSIONS`), one at a time; every table the
pages show is a roll-up of a cube (:mod:`paritrana.scenarios.rollup`). Pure: no Django.

A line's amount splits into what its payer pays (the employer, the sponsor: ``amount - worker_share``) and the
worker's share, which comes off the take-home pay (a self-paying worker is its own payer and pays it all).
A worker *gains* when its share falls, *loses* when it rises; an employer or sponsor likewise with its cost.

A run over a year (decision 0046) keeps the side-by-side lines of its twelve months in one table (each month's
added as it is computed, :class:`Kept`), each line with its month: a worker's change is its yearly total, so a
worker gaining in one month and losing more in another is a loser of the year.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from paritrana.contributions.billing_lines import (
    BPU_RULE,
    PU_RULE,
    bpu_lines,
    bpu_lines_of,
    pu_lines,
    pu_lines_of,
    rule_run,
)
from paritrana.coverage.analytics import age_band, regency_code
from paritrana.rules import engines
from paritrana.rules.batch import TableRun, recheck
from paritrana.rules.duck import connection as duck_connection
from paritrana.rules.duck import typed_arrow
from paritrana.rules.fetch import named_rows
from paritrana.rules.parameters import ParameterSet

# where a worker is counted (its employer's region for a wage earner, its domicile for a non-wage earner) and
# who it is; the region is its Kemendagri code, dotted ("33.74" a regency or city, "33" a province)
PEOPLE_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("scheme", pa.string()),
        ("sex", pa.string()),
        ("birth_date", pa.string()),  # ISO date (as the databases give it as text)
        ("region", pa.string()),
        ("sector", pa.string()),
        ("size_class", pa.string()),
    ]
)
GROUPING = "grouping"  # the dimension a row of a roll-up is grouped by
DIMENSIONS = ("province", "regency", "sector", "size_class", "scheme", "sex", "age_band", "wage_decile")
SIDES = ("baseline", "reform")
MEASURES = ("amount", "payer", "worker")  # contributions, the payer's cost, the worker's share
DECILES = 10


@dataclass(frozen=True)
class Cubes:
    """The month's effect by each dimension: per programme (money), of people (gains and losses); and per payer."""

    programmes: ir.Table
    people: ir.Table
    payers: ir.Table


def lines_under(pu: ir.Table, bpu: ir.Table | None, period: dt.date, parameters: ParameterSet) -> ir.Table:
    lines = pu_lines(pu, period, parameters)
    if bpu is not None:
        lines = lines.union(bpu_lines(bpu, period, parameters), distinct=False)
    return lines


def side_by_side(
    pu: ir.Table, bpu: ir.Table | None, period: dt.date, baseline: ParameterSet, reform: ParameterSet
) -> ir.Table:
    """A row per worker and programme: the line's amount and worker's share under each side (the payer's cost is
    their difference, taken in the sums: :func:`payer_cost`; a kept row is that much narrower)."""
    b = lines_under(pu, bpu, period, baseline)
    r = lines_under(pu, bpu, period, reform)
    return _joined(b.mutate(month=ibis.literal(period.month, "int64")), r)


def _joined(b: ir.Table, r: ir.Table) -> ir.Table:
    """The lines under the baseline (``b``, with their ``month``) and under the reform (``r``) side by side."""
    b = b.select(
        "worker_id", "payer_kind", "party_id", "programme", "wage", "month",
        baseline_amount=b.amount, baseline_worker=b.worker_share,
    )  # fmt: skip
    r = r.select(r_worker_id=r.worker_id, r_programme=r.programme, reform_amount=r.amount, reform_worker=r.worker_share)
    # the lines' filters are the memberships, the same under both sides: every line has its counterpart
    joined = b.join(r, [b.worker_id == r.r_worker_id, b.programme == r.r_programme])
    return joined.select(
        "worker_id", "payer_kind", "party_id", "programme", "wage", "month",
        "baseline_amount", "reform_amount", "baseline_worker", "reform_worker",
    )  # fmt: skip


class Months:
    """The side-by-side lines of each month of a run (:func:`side_by_side`'s), on DuckDB as ONE query built and
    compiled for the first month and run again for each: building and compiling the formulas' expression is the fixed cost of a
    month (about 0.65 s of CPU, twelve times the month's own work on a small registry). Each month's inputs are
    read under the first month's table names (the source's ``name``); the month is the one row of a table of its
    own (:attr:`name`), each row's law that of its ``date`` (the law in force in the run's months only: the SQL
    as short as a month's). Each month's inputs are checked again, as the first month's were."""

    def __init__(self, months: list[dt.date], baseline: ParameterSet, reform: ParameterSet) -> None:
        self.within = (months[0], months[-1])
        self.baseline, self.reform = baseline, reform
        self.name = f"_scenario_month_{uuid.uuid4().hex[:12]}"
        self.sql = ""
        self.inputs: tuple[Any, ...] = ()
        self.runs: list[TableRun] = []
        self.checks: list[str] = []  # the SQL of each run's checks
        self.con: Any = None

    def lines(self, pu: ir.Table, bpu: ir.Table | None, month: dt.date) -> tuple[Any, str]:
        """The engine and the SQL of ``month``'s lines, over its tables ``pu`` and ``bpu`` (named as the first
        month's)."""
        con = pu.get_backend()
        if engines.engine_of(con) != "duckdb":
            # Spark: each month's own query over its own views (replacing a view, Spark uncaches the months kept
            # from it, which the cubes then read again from their deleted files); there a month's work, not its
            # build, is the time
            return con, con.compile(side_by_side(pu, bpu, month, self.baseline, self.reform))
        self.con = con
        period = engines.arrow_table(con, _dated(month), self.name)
        inputs = (pu.op(), None if bpu is None else bpu.op())
        if not self.sql:
            self.inputs = inputs
            b, r = (self._under(pu, bpu, period, side) for side in (self.baseline, self.reform))
            self.sql = con.compile(_joined(b.cross_join(period.select("month")), r))
            self.checks = [con.compile(run.checks.summary) for run in self.runs if run.checks is not None]
            return con, self.sql
        if inputs != self.inputs:
            raise RuntimeError("a month's inputs are not read under the first month's names")
        for run, sql in zip(self.runs, self.checks, strict=True):
            recheck(run, named_rows(con.con.execute(sql))[0])  # DuckDB only: Spark returned above
        return con, self.sql

    def _under(self, pu: ir.Table, bpu: ir.Table | None, period: ir.Table, parameters: ParameterSet) -> ir.Table:
        on = period.select("date")
        runs = [rule_run(PU_RULE, pu.cross_join(on), None, parameters, self.within)]
        if bpu is not None:
            runs.append(rule_run(BPU_RULE, bpu.cross_join(on), None, parameters, self.within))
        self.runs += runs
        lines = pu_lines_of(runs[0])
        return lines if bpu is None else lines.union(bpu_lines_of(runs[1]), distinct=False)

    def drop(self) -> None:
        if self.con is not None:
            engines.drop_arrow_table(self.con, self.name)


def _dated(month: dt.date) -> pa.Table:
    """The one row of ``month``: its first day (``date``) and its number (``month``). Made by DuckDB: pyarrow
    imports pandas to convert Python values (about 50 MB of the process's peak, decision 0045)."""
    sql = f"SELECT DATE '{month.isoformat()}' AS date, CAST({month.month} AS BIGINT) AS month"
    table: pa.Table = duck_connection().con.sql(sql).to_arrow_table()
    return table


@contextmanager
def months_of(months: list[dt.date], baseline: ParameterSet, reform: ParameterSet) -> Iterator[Months]:
    """A :class:`Months`, its month's table dropped after."""
    plan = Months(months, baseline, reform)
    try:
        yield plan
    finally:
        plan.drop()


def payer_cost(t: ir.Table, side: str) -> ir.IntegerValue:
    """What a line's payer pays under ``side``: its amount less the worker's share."""
    cost: ir.IntegerValue = t[f"{side}_amount"] - t[f"{side}_worker"]
    return cost


def _sums(t: ir.Table) -> dict[str, ir.Value]:
    out: dict[str, ir.Value] = {}
    for side in SIDES:
        values = {"amount": t[f"{side}_amount"], "payer": payer_cost(t, side), "worker": t[f"{side}_worker"]}
        out.update({f"{side}_{m}": values[m].sum().cast("int64") for m in MEASURES})
    return out


def by_each_dimension(t: ir.Table, also: list[str], **sums: ir.Value) -> ir.Table:
    """``sums`` of ``t`` grouped by each dimension in turn (and by ``also``): a row per value of a dimension, its
    column :data:`GROUPING` naming the dimension, the other dimensions null. Each group is read by one dimension
    only, so the result has a row per value that occurs (hundreds), where the cube at the finest grain of all
    eight had about a row per person and line (1.8M rows at 1M workers) fetched into Python."""
    parts = []
    for dimension in DIMENSIONS:
        grouped = t.group_by([dimension, *also]).aggregate(**sums)
        columns = {d: grouped[d] if d == dimension else ibis.null().cast(t[d].type()) for d in DIMENSIONS}
        parts.append(grouped.select(*also, *sums, **{GROUPING: ibis.literal(dimension)}, **columns))
    return ibis.union(*parts, distinct=False)


def cubes(lines: ir.Table, people: ir.Table, period: dt.date) -> Cubes:
    """The three cubes of :class:`Cubes` from :func:`side_by_side`'s rows (of one month or of several) and the
    people table; ages are counted on ``period``'s first day. A worker's wage is the sum over the months of its
    wage of each month (the wage of a month run), its change the sum of its lines' changes."""
    monthly = lines.group_by(["worker_id", "month"]).aggregate(
        wage=lines.wage.max(),
        change=(lines.reform_worker - lines.baseline_worker).sum(),
    )
    worker = monthly.group_by("worker_id").aggregate(wage=monthly.wage.sum(), change=monthly.change.sum())
    worker = worker.mutate(wage_decile=(ibis.ntile(DECILES).over(order_by=[worker.wage, worker.worker_id]) + 1))
    code = people.region
    who = people.select(
        "worker_id", "scheme", "sex", "sector", "size_class",
        province=code.substr(0, 2),
        regency=regency_code(code).fill_null(""),
        age_band=age_band(people.birth_date.cast("date"), ibis.date(period)),
    )  # fmt: skip
    person = worker.join(who, worker.worker_id == who.worker_id)
    people_cube = by_each_dimension(
        person,
        [],
        workers=person.count(),
        gaining=(person.change < 0).sum().cast("int64"),
        losing=(person.change > 0).sum().cast("int64"),
    )
    pk = person.select(p_worker_id=person.worker_id, **{d: person[d] for d in DIMENSIONS})
    keyed = lines.join(pk, lines.worker_id == pk.p_worker_id)
    programme_cube = by_each_dimension(keyed, ["programme"], lines=keyed.count(), **_sums(keyed))
    # a payer (an employer, a sponsor, a self-paying worker) is counted in the province of its workers' region
    payers = keyed.group_by(["payer_kind", "party_id"]).aggregate(
        province=keyed.province.min(),
        workers=keyed.worker_id.nunique(),
        # the months its workers were paid for, each worker once a month: the budgets' worker-months
        worker_months=(keyed.worker_id * 100 + keyed.month).nunique(),
        **{f"{side}_payer": payer_cost(keyed, side).sum().cast("int64") for side in SIDES},
    )
    return Cubes(programmes=programme_cube, people=people_cube, payers=payers)


# DuckDB keeps the side-by-side lines in an in-memory database of its own that compresses its tables at a
# checkpoint (decision 0044): at 1M workers the lines take 57 MB there against 404 MB in a temporary table, so the
# three cubes read them within the memory limit instead of from the spill files at the national scale
PACKED = "_paritrana_packed"


class Kept:
    """Side-by-side lines kept in one table of their engine, a month at a time (:meth:`add`), read by the cubes
    (:meth:`table`). On DuckDB a table of :data:`PACKED`, checkpointed (compressed) after each month; on Spark a
    cached DataFrame per month, counted at once (its inputs' files are gone after), their union the session's
    view."""

    def __init__(self) -> None:
        self.name = f"_scenario_{uuid.uuid4().hex[:12]}"
        self.con: Any = None
        self.frames: list[Any] = []  # Spark's
        self.created = False  # DuckDB's table

    def add(self, expr: ir.Table) -> None:
        con = expr.get_backend()
        self.add_sql(con, con.compile(expr))

    def add_sql(self, con: Any, sql: str) -> None:
        """Add the rows of ``sql`` (a query of ``con``, the engine of every month's lines)."""
        self.con = con
        if engines.engine_of(con) != "duckdb":
            frame = engines.spark_session().sql(sql).cache()
            frame.count()
            self.frames.append(frame)
            return
        con.raw_sql(f"ATTACH IF NOT EXISTS ':memory:' AS {PACKED} (COMPRESS)")
        if self.created:
            con.raw_sql(f'INSERT INTO {PACKED}.main."{self.name}" {sql}')
        else:
            con.raw_sql(f'CREATE TABLE {PACKED}.main."{self.name}" AS {sql}')
            self.created = True
        con.raw_sql(f"CHECKPOINT {PACKED}")

    def table(self) -> ir.Table:
        if engines.engine_of(self.con) == "duckdb":
            return self.con.table(self.name, database=(PACKED, "main"))
        frames = self.frames
        union = frames[0]
        for frame in frames[1:]:
            union = union.unionByName(frame)
        union.createOrReplaceTempView(self.name)
        return self.con.table(self.name)

    def drop(self) -> None:
        if self.con is None:
            return
        if engines.engine_of(self.con) == "duckdb":
            self.con.raw_sql(f'DROP TABLE IF EXISTS {PACKED}.main."{self.name}"')
            return
        engines.spark_session().catalog.dropTempView(self.name)
        for frame in self.frames:
            frame.unpersist()


@contextmanager
def kept() -> Iterator[Kept]:
    """A :class:`Kept`, dropped after."""
    lines = Kept()
    try:
        yield lines
    finally:
        lines.drop()


@contextmanager
def materialised(expr: ir.Table) -> Iterator[ir.Table]:
    """``expr`` computed once into a table of its engine (the three cubes read it), dropped after."""
    with kept() as lines:
        lines.add(expr)
        yield lines.table()


def run(
    pu: ir.Table,
    bpu: ir.Table | None,
    people: ir.Table,
    period: dt.date,
    baseline: ParameterSet,
    reform: ParameterSet,
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The three cubes of a month under both sides, as Arrow (their engine is the input tables')."""
    with materialised(side_by_side(pu, bpu, period, baseline, reform)) as lines:
        return fetched_cubes(lines, people, period)


def fetched_cubes(lines: ir.Table, people: ir.Table, period: dt.date) -> tuple[pa.Table, pa.Table, pa.Table]:
    """:func:`cubes` of kept lines, as Arrow."""
    c = cubes(lines, people, period)
    return fetched(c.programmes), fetched(c.people), fetched(c.payers)


def fetched(expr: ir.Table) -> pa.Table:
    """A cube as Arrow. On DuckDB straight from its Arrow result, typed as Ibis types it: Ibis's own
    ``to_pyarrow`` imports pandas for its type conversion, about 55 MB of the process's peak (decision 0045)."""
    con = expr.get_backend()
    if engines.engine_of(con) != "duckdb":
        return engines.to_arrow(expr)
    return typed_arrow(con.con.sql(con.compile(expr)).to_arrow_table(), expr.schema())

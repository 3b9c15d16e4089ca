"""The compute stage of a billing month as ONE Ibis expression, on DuckDB or on Spark.

Its inputs are the extract's tables (``billing_batch.PU_SCHEMA``, ``BPU_SCHEMA``, ``BILLED_SCHEMA``) as tables
of the engine that runs it; its output is a row per line to add: the worker's line per programme in force
(PU JKK, JKM, JHT, JP from ``pu_contributions``; BPU JKK, JKM, JHT from ``bpu_contributions``) less what the
month already carries for that worker and programme, where the two differ and the month is billed to the line's
payer only (a month billed to another payer is left as it is, decision 0047). ``billed_wage`` (the wage of the
latest line already billed, null for a first line) lets the load stage write the adjustment's note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from paritrana.rules import get_rule, prepare
from paritrana.rules.batch import TableRun
from paritrana.rules.parameters import ParameterSet

PU_RULE = "pu_contributions"
BPU_RULE = "bpu_contributions"
PU_PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP")
BPU_PROGRAMMES = ("JKK", "JKM", "JHT")
# the programmes of a PU line: its amount (employer + worker shares) and the worker's share
PU_PARTS = {
    "JKK": ("jkk", None),
    "JKM": ("jkm", None),
    "JHT": ("jht_employer", "jht_worker"),
    "JP": ("jp_employer", "jp_worker"),
}
EMPLOYER = "employer"  # Payer.Kind.EMPLOYER
CONTRIBUTION, ADJUSTMENT = "contribution", "adjustment"  # BillLine.Kind
LINE_COLUMNS = (
    "worker_id", "payer_kind", "party_id", "payer_id", "programme", "rule", "wage", "amount", "worker_share",
    "kind", "basis", "billed_wage",
)  # fmt: skip

# the columns a billing line takes as the computed line has them (those from the amount on are differences)
_PASSED_ON = LINE_COLUMNS[: LINE_COLUMNS.index("amount")]


# the rules' inputs the extract's columns give (a membership as 0/1)
_RULE_INPUTS: dict[str, Callable[[ir.Table], ir.Table]] = {
    PU_RULE: lambda pu: pu.mutate(in_jp=pu.m_jp == 1, in_jkp=pu.m_jkp == 1),
    BPU_RULE: lambda bpu: bpu.mutate(with_jht=bpu.m_jht == 1, sector_transport=bpu.transport == 1),
}


def _int(value: ir.Value) -> ir.IntegerValue:
    """A 64-bit integer, the cast written into the SQL (Ibis drops a cast to the type it infers; DuckDB's sum
    of BIGINT is a HUGEINT)."""
    cast: ir.IntegerValue = ops.Cast(value, to="int64").to_expr()
    return cast


def pu_lines(pu: ir.Table, period: dt.date, parameters: ParameterSet | None = None) -> ir.Table:
    """A line per PU worker and programme in force, from ``pu_contributions`` (inputs checked first) under the
    law's parameters, or under ``parameters`` (a reform scenario's)."""
    return pu_lines_of(rule_run(PU_RULE, pu, period, parameters))


def rule_run(
    rule: str,
    table: ir.Table,
    period: dt.date | None,
    parameters: ParameterSet | None = None,
    within: tuple[dt.date, dt.date] | None = None,
) -> TableRun:
    """``rule`` (:data:`PU_RULE` or :data:`BPU_RULE`) over the extract's table, its inputs checked (the rule run of
    :func:`pu_lines` or :func:`bpu_lines`); with ``period`` None, each row's law is that of its ``date``, between
    the dates ``within`` when given."""
    return prepare(get_rule(rule), _RULE_INPUTS[rule](table), on=period, parameters=parameters, within=within)


def pu_lines_of(run: TableRun) -> ir.Table:
    """The lines of the PU rule run's rows (:func:`rule_run`)."""
    c = run.table
    parts = []
    for programme, (employer, worker) in PU_PARTS.items():
        share = c[worker] if worker else ibis.literal(0)
        amount = c[employer] + c[worker] if worker else c[employer]
        parts.append(
            c.filter(c[f"m_{programme.lower()}"] == 1).select(
                worker_id=c.worker_id,
                payer_kind=ibis.literal(EMPLOYER),
                party_id=c.party_id,
                payer_id=c.payer_id,
                programme=ibis.literal(programme),
                rule=ibis.literal(PU_RULE),
                wage=_int(c.wage),
                amount=_int(amount),
                worker_share=_int(share),
                basis=ibis.literal("wage"),
            )
        )
    return ibis.union(*parts, distinct=False)


def bpu_lines(bpu: ir.Table, period: dt.date, parameters: ParameterSet | None = None) -> ir.Table:
    """A line per BPU worker and programme in force, from ``bpu_contributions`` (under ``parameters`` if
    given); a sponsored worker's line has no worker's share (the sponsor pays it all)."""
    return bpu_lines_of(rule_run(BPU_RULE, bpu, period, parameters))


def bpu_lines_of(run: TableRun) -> ir.Table:
    """The lines of the BPU rule run's rows (:func:`rule_run`)."""
    c = run.table
    parts = [
        c.filter(c[f"m_{programme.lower()}"] == 1).select(
            worker_id=c.worker_id,
            payer_kind=c.payer_kind,
            party_id=c.party_id,
            payer_id=c.payer_id,
            programme=ibis.literal(programme),
            rule=ibis.literal(BPU_RULE),
            wage=_int(c.band_nominal),
            amount=_int(c[programme.lower()]),
            worker_share=_int((c.sponsored == 1).ifelse(0, c[programme.lower()])),
            basis=ibis.literal("income basis"),
        )
        for programme in BPU_PROGRAMMES
    ]
    return ibis.union(*parts, distinct=False)


def lines_to_add(pu: ir.Table, bpu: ir.Table | None, billed: ir.Table, period: dt.date) -> ir.Table:
    """The lines the month needs beyond what it carries: a ``contribution`` line where nothing is billed
    for the worker and programme, an ``adjustment`` of the difference where a different sum is; nothing
    where the sums agree."""
    computed = pu_lines(pu, period)
    if bpu is not None:
        computed = computed.union(bpu_lines(bpu, period), distinct=False)
    sums = billed.group_by(["worker_id", "programme"]).aggregate(
        billed=_int(billed.amount.sum()),
        billed_share=_int(billed.worker_share.sum()),
        billed_wage=billed.wage.argmax(billed.id),
        first_payer=billed.payer_id.min(),
        last_payer=billed.payer_id.max(),
    )
    sums = sums.rename(b_worker="worker_id", b_programme="programme")  # the join keeps both sides' columns
    joined = computed.left_join(sums, [computed.worker_id == sums.b_worker, computed.programme == sums.b_programme])
    # a month billed to another payer is left as it is (decision 0047): the worker's payer now (a new employer, a
    # new sponsor) says nothing of who owed that month, and a difference billed to it would debit a payer, and
    # a JHT account, for lines it never carried. A payer not yet created (null) carries nothing either.
    own = joined.b_worker.isnull() | (
        (joined.first_payer == joined.payer_id) & (joined.last_payer == joined.payer_id)
    ).fill_null(False)
    out = joined.filter(own & (joined.amount != joined.billed.fill_null(0)))
    return out.select(
        *_PASSED_ON,
        amount=_int(out.amount - out.billed.fill_null(0)),
        worker_share=_int(out.worker_share - out.billed_share.fill_null(0)),
        kind=out.b_worker.isnull().ifelse(CONTRIBUTION, ADJUSTMENT),
        basis=out.basis,
        billed_wage=out.billed_wage,
    )

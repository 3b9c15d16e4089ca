"""A benefit payment's amount under a parameter set: its claim's own rule run again on the claim's stored inputs,
at the claim's law date, through the rules' batch path (``rules.prepare`` over a table of the chunk's records,
each row with its own date), and decided as the claim was (no benefit formula is written here):

- a lump sum: the amount the assessment decides (``assessment.decided``), or its net amount where the rule gives
  one (``assessment.net_of``), as ``decisions._pay_locked`` pays it;
- a pension month: the monthly pension decided;
- a planned month (JKP): the rule for that month (``schedules.planned_month_inputs``: the key's month);
- a scholarship year: the rule for each of the child's school years up to the one paid, each year bounded by what
  is left of the most a child can receive after the earlier years (``schedules.school_year_amount``, as the
  assessment schedules them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import pyarrow as pa

from paritrana.claims.declaration import ClaimType
from paritrana.claims.models import BenefitPayment
from paritrana.claims.services.assessment import decided, net_of
from paritrana.claims.services.schedules import (
    planned_month_inputs,
    scholarship_base,
    school_year_amount,
    school_year_inputs,
)
from paritrana.rules import get_rule, prepare
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_arrow
from paritrana.rules.parameters import ParameterSet

Kind = BenefitPayment.Kind
_ROW = "_record"  # the record's place in the chunk, beside the rule's inputs


@dataclass(frozen=True)
class SchoolYear:
    """A school year of a child's schedule (an ``Instalment`` row of a scholarship claim)."""

    child_order: int
    level: str
    year_in_level: int
    school_year: int


@dataclass(frozen=True)
class Payment:
    """A benefit payment with what its claim's rule needs: the claim's type, stored inputs and law date; for a
    scholarship year, the child's school years of the schedule up to the one paid, in order."""

    id: int
    kind: str
    key: str
    ctype: ClaimType
    inputs: dict[str, Any]
    law_date: dt.date
    years: tuple[SchoolYear, ...] = ()

    def records(self) -> list[dict[str, Any]]:
        """The rule's inputs the payment's amount is decided from (one record; a scholarship: one a year)."""
        if self.kind == Kind.SCHOLARSHIP:
            base = scholarship_base(self.inputs)
            children = self.inputs.get("children") or []
            return [
                school_year_inputs(base, children[y.child_order - 1], y.child_order, y.level, y.year_in_level,
                                   y.school_year)
                for y in self.years
            ]  # fmt: skip
        if self.kind == Kind.INSTALMENT:
            return [planned_month_inputs(self.inputs, self.key)]
        return [dict(self.inputs)]

    def amount(self, rows: Sequence[dict[str, Any]]) -> int:
        """The amount the rule's outputs (one row per record) decide for this payment."""
        if self.kind == Kind.SCHOLARSHIP:
            paid = amount = 0
            for row in rows:
                year = school_year_amount(row, paid)
                if year is None:
                    return 0  # the schedule ends before (or at) the year paid
                paid, amount = paid + year, year
            return amount
        eligible, amount, monthly = decided(self.ctype, rows[0])
        if self.kind == Kind.MONTHLY:
            return monthly
        if self.kind == Kind.INSTALMENT:
            return amount
        net = net_of(self.ctype, rows[0], eligible)
        return net if net is not None else amount


def amounts(payments: Sequence[Payment], parameters: ParameterSet) -> dict[int, int]:
    """Each payment's amount under ``parameters``, by payment id: one batch run of each rule the payments' claims
    are assessed by."""
    out: dict[int, int] = {}
    for rule_name in sorted({p.ctype.rule for p in payments}):
        mine = [p for p in payments if p.ctype.rule == rule_name]
        records = [[{**r, "date": p.law_date} for r in p.records()] for p in mine]
        flat = [r for rs in records for r in rs]
        if not flat:
            out.update((p.id, 0) for p in mine)
            continue
        rule = get_rule(rule_name)
        table = records_arrow(rule, flat).append_column(_ROW, pa.array(range(len(flat)), pa.int64()))
        run = prepare(rule, ibis.memtable(table), parameters=parameters)
        names = [f.name for f in rule.outputs if f.name in run.table.columns]
        rows = {int(row[_ROW]): row for row in rows_of(run.table.select(_ROW, *names))}
        at = 0
        for p, rs in zip(mine, records, strict=True):
            out[p.id] = p.amount([rows[i] for i in range(at, at + len(rs))])
            at += len(rs)
    return out

"""The award's indicators: pure Ibis over a registry snapshot (Parquet on DuckDB), no Django.

Each indicator is listed in :data:`INDICATORS` (read from ``indicators.yaml``) with its formula, source tables and
unit, and that text is what the scorecard shows. The months are the first and the last billed month of the
assessment year present in the snapshot. **Active** in a month is the coverage definition (decision 0005, ``coverage.analytics``): the month's
lines for the worker on contribution bills add up to more than zero and every bill carrying them is fully paid.
Regions count workers where they live (the domicile view, as BPS counts the employed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import yaml

from paritrana.coverage.analytics import TABLES as COVERAGE_TABLES
from paritrana.coverage.analytics import billed_lines

FOUR = ("JKK", "JKM", "JHT", "JP")

# the registry tables the indicators read, with their columns (the snapshot holds exactly these)
TABLES: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "worker": ("registry_worker", {"id": "int64", "region_id": "int64", "scheme": "string", "employer_id": "int64",
                                   "sponsor_id": "int64", "wage": "int64"}),
    "region": COVERAGE_TABLES["region"],
    "employer": ("registry_employer", {"id": "int64", "region_id": "int64", "name": "string",
                                       "size_class": "string", "sector": "string", "status": "string"}),
    "sponsor": ("registry_sponsor", {"id": "int64", "kind": "string", "region_id": "int64", "employer_id": "int64"}),
    "payer": ("contributions_payer", {"id": "int64", "kind": "string", "employer_id": "int64", "sponsor_id": "int64"}),
    "bill": ("contributions_bill", {"id": "int64", "payer_id": "int64", "period": "date", "kind": "string",
                                    "due_date": "date", "amount": "int64", "paid": "int64", "paid_at": "date"}),
    "line": COVERAGE_TABLES["line"],
    "workforce": COVERAGE_TABLES["workforce"],
    "minimum_wage": ("contributions_regionalminimumwage", {"region_id": "int64", "valid_from": "date",
                                                           "amount": "int64"}),
    "programme": ("programmes_programme", {"id": "int64", "region_id": "int64", "sponsor_id": "int64",
                                           "budget_year": "int64", "budget_amount": "int64"}),
}  # fmt: skip


@dataclass(frozen=True)
class Indicator:
    key: str
    kind: str  # region or company
    aspect: str
    unit: str  # share, count, rupiah
    formula: str
    sources: str
    higher_is_better: bool = True


def _catalogue() -> tuple[Indicator, ...]:
    """The indicators as ``indicators.yaml`` beside this file describes them (a text per indicator, read once)."""
    with Path(__file__).with_name("indicators.yaml").open(encoding="utf-8") as f:
        return tuple(Indicator(**entry) for entry in yaml.safe_load(f))


INDICATORS = _catalogue()
BY_KEY = {i.key: i for i in INDICATORS}


def worker_months(t: Mapping[str, ir.Table], months: list[dt.date]) -> ir.Table:
    """Per worker and month of ``months`` with a contribution line: ``active`` and ``all_four`` (0/1)."""
    lines = billed_lines(t, months)
    sums = {f"s_{p.lower()}": (lines.programme == p).ifelse(lines.amount, 0).sum() for p in FOUR}
    per = lines.group_by(["worker_id", "period"]).aggregate(
        total=lines.amount.sum(), unpaid=(lines.bill_paid < lines.bill_amount).ifelse(1, 0).max(), **sums
    )
    active = (per.total > 0) & (per.unpaid == 0)
    four = active
    for p in FOUR:
        four = four & (per[f"s_{p.lower()}"] > 0)
    return per.select("worker_id", "period", active=active.ifelse(1, 0), all_four=four.ifelse(1, 0))


def employer_minimum_wage(t: Mapping[str, ir.Table], on: dt.date) -> ir.Table:
    """Per employer (``mw_emp``): the minimum wage in force on ``on`` where it is (``mw``): its regency's or
    city's (UMK) where the registry has one, else its province's (UMP); no row when neither is recorded."""
    mw, region, emp = t["minimum_wage"], t["region"], t["employer"]
    codes = region.select(mr_id=region.id, mr_code=region.code)
    mwr = mw.filter(mw.valid_from <= ibis.literal(on, type="date")).join(codes, mw.region_id == codes.mr_id)
    latest = mwr.group_by("mr_code").aggregate(latest=mwr.valid_from.max())
    in_force = mwr.join(latest, (mwr.mr_code == latest.mr_code) & (mwr.valid_from == latest.latest)).select(
        mw_code=mwr.mr_code, mw_amount=mwr.amount
    )
    umk = in_force.select(umk_code=in_force.mw_code, umk=in_force.mw_amount)
    ump = in_force.select(ump_code=in_force.mw_code, ump=in_force.mw_amount)
    places = emp.join(codes, emp.region_id == codes.mr_id).select(mw_emp=emp.id, e_code=ibis._.mr_code)
    places = places.left_join(umk, places.e_code.substr(0, 5) == umk.umk_code)
    places = places.left_join(ump, places.e_code.substr(0, 2) == ump.ump_code)
    # a code shorter than a regency's (an employer placed at a province) has no UMK: substr(0, 5) is the province
    umk_value = (places.e_code.length() >= 5).ifelse(places.umk, None)
    return places.select("mw_emp", mw=umk_value.coalesce(places.ump)).filter(ibis._.mw.notnull())


def worker_summary(t: Mapping[str, ir.Table], months: list[dt.date]) -> ir.Table:
    """The one pass over the contribution lines every indicator shares: workers grouped by what the indicators
    read of them, with their count ``n``. Keys: ``home_code`` (the region where they live), ``scheme``,
    ``prog_code`` (the region of the regional programme sponsoring them), ``csr_emp`` (the company whose CSR
    fund sponsors them), ``employer_id``, ``wage_ok`` (reported wage at least the minimum wage where the employer
    is, on the last month), and 0/1 flags over ``months``: ``active_first``, ``active_last``, ``active_any``,
    ``seen_last`` (a line in the last month) and ``all_four_last`` (active in JKK, JKM, JHT and JP)."""
    first, last = months[0], months[-1]
    wm = worker_months(t, sorted(set(months)))
    is_first = wm.period == ibis.literal(first, type="date")
    is_last = wm.period == ibis.literal(last, type="date")
    flags = wm.group_by(f_worker="worker_id").aggregate(
        active_first=(is_first & (wm.active == 1)).ifelse(1, 0).max(),
        active_last=(is_last & (wm.active == 1)).ifelse(1, 0).max(),
        active_any=wm.active.max(),
        seen_last=is_last.ifelse(1, 0).max(),
        all_four_last=is_last.ifelse(wm.all_four, 0).max(),
    )
    w, region, sponsor = t["worker"], t["region"], t["sponsor"]
    home = region.select(home_id=region.id, home_code=region.code)
    sp = sponsor.select(sp_id=sponsor.id, sp_kind=sponsor.kind, sp_region_id=sponsor.region_id,
                        sp_emp=sponsor.employer_id)  # fmt: skip
    sp_region = region.select(spr_id=region.id, sp_code=region.code)
    mw = employer_minimum_wage(t, last)
    j = (
        w.left_join(flags, w.id == flags.f_worker)
        .left_join(home, w.region_id == home.home_id)
        .left_join(sp, w.sponsor_id == sp.sp_id)
        .left_join(sp_region, ibis._.sp_region_id == sp_region.spr_id)
        .left_join(mw, w.employer_id == mw.mw_emp)
    )
    zero = ibis.literal(0, type="int8")
    keyed = j.select(
        home_code=j.home_code,
        scheme=j.scheme,
        prog_code=(j.sp_kind == "regional_programme").ifelse(j.sp_code, None),
        csr_emp=(j.sp_kind == "csr").ifelse(j.sp_emp, None),
        employer_id=j.employer_id,
        wage_ok=(j.mw.notnull() & (j.wage >= j.mw)).ifelse(1, 0).cast("int8"),
        **{f: j[f].fill_null(zero).cast("int8")
           for f in ("active_first", "active_last", "active_any", "seen_last", "all_four_last")},
    )  # fmt: skip
    return keyed.group_by(list(keyed.columns)).aggregate(n=keyed.count())


def _count(summary: ir.Table, condition: ir.BooleanValue) -> ir.IntegerScalar:
    return condition.ifelse(summary.n, 0).sum()


def region_indicators(t: Mapping[str, ir.Table], year: int, summary: ir.Table, level: str) -> ir.Table:
    """One row per region of ``level`` (``province`` or ``regency``): ``code`` and the region indicators, from
    the :func:`worker_summary` over the billed months of ``year`` (the first and the last for the counts, all of
    them for the sponsored)."""
    length = 2 if level == "province" else 5
    region = t["region"]
    regions = region.filter(region.level == level).select(code=region.code, name=region.name)
    s = summary.filter(summary.home_code.length() >= length)
    s = s.mutate(code=s.home_code.substr(0, length))
    counts = s.group_by("code").aggregate(
        active_last=_count(s, s.active_last == 1),
        active_first=_count(s, s.active_first == 1),
        pu_active=_count(s, (s.active_last == 1) & (s.scheme == "PU")),
        bpu_active=_count(s, (s.active_last == 1) & (s.scheme == "BPU")),
    )
    # sponsored by a programme of the region itself: counted at the sponsor's region, wherever the worker lives,
    # once over the year (a programme's latest month is often not paid yet)
    own = summary.filter((summary.active_any == 1) & summary.prog_code.notnull())
    own = own.group_by(code=own.prog_code).aggregate(vulnerable_protected=own.n.sum())
    wf = t["workforce"]
    wf_codes = region.select(wr_id=region.id, wr_code=region.code)
    employed = (
        wf.filter(wf.year == year)
        .join(wf_codes, wf.region_id == wf_codes.wr_id)
        .group_by(code=ibis._.wr_code)
        .aggregate(employed=ibis._.employed.max())
    )
    prog, payer, bill = t["programme"], t["payer"], t["bill"]
    pr_codes = region.select(pr_id=region.id, pr_code=region.code)
    progs = (
        prog.filter(prog.budget_year == year)
        .join(pr_codes, prog.region_id == pr_codes.pr_id)
        .select(pr_code=ibis._.pr_code, pr_sponsor=prog.sponsor_id, pr_budget=prog.budget_amount)
    )
    budget = progs.group_by(code=progs.pr_code).aggregate(budget=progs.pr_budget.sum())
    payers = payer.select(py_id=payer.id, py_sponsor=payer.sponsor_id)
    year_bills = bill.filter(bill.period.year() == year).select(yb_payer=bill.payer_id, yb_paid=bill.paid)
    paid = (
        progs.join(payers, progs.pr_sponsor == payers.py_sponsor)
        .join(year_bills, ibis._.py_id == year_bills.yb_payer)
        .group_by(code=ibis._.pr_code)
        .aggregate(realised=ibis._.yb_paid.sum())
    )
    out = regions.left_join(counts, regions.code == counts.code).select(
        regions.code, regions.name, "active_last", "active_first", "pu_active", "bpu_active"
    )
    out = out.left_join(own, out.code == own.code).select(out, own.vulnerable_protected)
    out = out.left_join(employed, out.code == employed.code).select(out, employed.employed)
    out = out.left_join(budget, out.code == budget.code).select(out, budget.budget)
    out = out.left_join(paid, out.code == paid.code).select(out, paid.realised)
    zero = ibis.literal(0, type="int64")
    act_last, act_first = out.active_last.fill_null(zero), out.active_first.fill_null(zero)
    return out.select(
        "code",
        "name",
        active_last=act_last,
        active_first=act_first,
        employed=out.employed,
        active_rate=(out.employed > 0).ifelse(act_last.cast("float64") / out.employed.cast("float64"), None),
        active_growth=(act_first > 0).ifelse((act_last - act_first).cast("float64") / act_first.cast("float64"), None),
        pu_active=out.pu_active.fill_null(zero),
        bpu_active=out.bpu_active.fill_null(zero),
        vulnerable_protected=out.vulnerable_protected.fill_null(zero),
        budget=out.budget,
        realised=out.realised.fill_null(zero),
        budget_realised=(out.budget > 0).ifelse(
            out.realised.fill_null(zero).cast("float64") / out.budget.cast("float64"), None
        ),
    )


def company_indicators(t: Mapping[str, ir.Table], year: int, summary: ir.Table, as_of: dt.date) -> ir.Table:
    """One row per employer: ``employer_id``, its province and the company indicators, from the
    :func:`worker_summary` (its last month) and the bills of ``year``."""
    emp, region = t["employer"], t["region"]
    emp_codes = region.select(er_id=region.id, er_code=region.code)
    emps = emp.join(emp_codes, emp.region_id == emp_codes.er_id).select(
        employer_id=emp.id, name=emp.name, size_class=emp.size_class, province=ibis._.er_code.substr(0, 2)
    )
    s = summary.filter(summary.employer_id.notnull())
    per_emp = s.group_by(employer_id=s.employer_id).aggregate(
        workers=s.n.sum(),
        all_four=_count(s, s.all_four_last == 1),
        unreported_workers=_count(s, s.seen_last == 0),
        at_minimum=_count(s, s.wage_ok == 1),
    )
    csr = summary.filter(summary.csr_emp.notnull() & (summary.active_last == 1))
    csr = csr.group_by(employer_id=csr.csr_emp).aggregate(csr_sponsored=csr.n.sum())
    payer, bill = t["payer"], t["bill"]
    payers = payer.select(py_id=payer.id, employer_id=payer.employer_id)
    bills = bill.filter(bill.period.year() == year).join(payers, bill.payer_id == payers.py_id)
    contrib = bills.filter(bills.kind == "contribution")
    on_time = contrib.group_by(employer_id=contrib.employer_id).aggregate(
        bills=contrib.count(),
        on_time=(contrib.paid_at.notnull() & (contrib.paid_at <= contrib.due_date)).ifelse(1, 0).sum(),
    )
    due = bills.filter(bills.due_date <= ibis.literal(as_of, type="date"))
    arrears = due.group_by(employer_id=due.employer_id).aggregate(arrears=(due.amount - due.paid).sum())
    out = emps.left_join(per_emp, emps.employer_id == per_emp.employer_id).select(
        emps, "workers", "all_four", "unreported_workers", "at_minimum"
    )
    out = out.left_join(on_time, out.employer_id == on_time.employer_id).select(out, "bills", "on_time")
    out = out.left_join(arrears, out.employer_id == arrears.employer_id).select(out, "arrears")
    out = out.left_join(csr, out.employer_id == csr.employer_id).select(out, "csr_sponsored")
    zero = ibis.literal(0, type="int64")
    workers = out.workers.fill_null(zero)
    return out.select(
        "employer_id", "name", "size_class", "province",
        workers=workers,
        four_programmes_share=(workers > 0).ifelse(out.all_four.cast("float64") / workers.cast("float64"), None),
        unreported_workers=out.unreported_workers.fill_null(zero),
        wage_at_minimum_share=(workers > 0).ifelse(out.at_minimum.cast("float64") / workers.cast("float64"), None),
        bills_on_time_share=(out.bills > 0).ifelse(out.on_time.cast("float64") / out.bills.cast("float64"), None),
        arrears=out.arrears.fill_null(zero),
        csr_sponsored=out.csr_sponsored.fill_null(zero),
    )  # fmt: skip


def compute(t: Mapping[str, ir.Table], year: int, months: list[dt.date], as_of: dt.date) -> dict[str, pa.Table]:
    """Every indicator: ``province``, ``regency`` and ``company`` rows as Arrow tables. The worker summary is
    computed once (one pass over the contribution lines) and held by DuckDB while the three are read from it."""
    con = t["line"]._find_backend()
    name = f"award_summary_{uuid.uuid4().hex}"
    # a temporary table of its own, dropped by name (Ibis's cache() fails to drop on this DuckDB)
    summary = con.create_table(name, worker_summary(t, months), temp=True)
    try:
        return {
            "province": region_indicators(t, year, summary, "province").to_pyarrow(),
            "regency": region_indicators(t, year, summary, "regency").to_pyarrow(),
            "company": company_indicators(t, year, summary, as_of).to_pyarrow(),
        }
    finally:
        con.raw_sql(f'DROP TABLE IF EXISTS "{name}"')

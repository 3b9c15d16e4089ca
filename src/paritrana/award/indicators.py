"""The award's indicators: pure Ibis over a registry snapshot (Parquet on DuckDB), no Django.

Each indicator is listed in :data:`INDICATORS` with its formula, source tables and unit, and that text is what
the scorecard shows. The months are the first and the last billed month of the assessment year present in the
snapshot. **Active** in a month is the coverage definition (decision 0005, ``coverage.analytics``): the month's
lines for the worker on contribution bills add up to more than zero and every bill carrying them is fully paid.
Regions count workers where they live (the domicile view, as BPS counts the employed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from paritrana.coverage.analytics import TABLES as COVERAGE_TABLES

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


INDICATORS: tuple[Indicator, ...] = (
    Indicator("active_rate", "region", "coverage", "share",
              "active participants domiciled in the region in the last billed month ÷ employed persons of the year",
              "registry_worker, contributions_bill, contributions_billline, coverage_workforcefigure"),
    Indicator("active_growth", "region", "coverage", "share",
              "(active in the last billed month − active in the first) ÷ active in the first",
              "registry_worker, contributions_bill, contributions_billline"),
    Indicator("pu_active", "region", "coverage", "count", "active wage earners (PU) in the last billed month",
              "registry_worker, contributions_bill, contributions_billline"),
    Indicator("bpu_active", "region", "coverage", "count", "active non-wage earners (BPU) in the last billed month",
              "registry_worker, contributions_bill, contributions_billline"),
    Indicator("vulnerable_protected", "region", "coverage", "count",
              "workers active in some billed month of the year whose sponsor is a programme of the region itself",
              "registry_worker, registry_sponsor, contributions_bill, contributions_billline"),
    Indicator("budget_realised", "region", "budget", "share",
              "paid on the bills of the region's programmes of the year ÷ their budget of the year",
              "programmes_programme, contributions_payer, contributions_bill"),
    Indicator("workers", "company", "coverage", "count", "wage earners registered with the company",
              "registry_worker"),
    Indicator("four_programmes_share", "company", "coverage", "share",
              "workers active in JKK, JKM, JHT and JP in the last billed month ÷ workers registered",
              "registry_worker, contributions_bill, contributions_billline"),
    Indicator("unreported_workers", "company", "coverage", "count",
              "workers registered with the company with no contribution line in the last billed month",
              "registry_worker, contributions_bill, contributions_billline", higher_is_better=False),
    Indicator("wage_at_minimum_share", "company", "coverage", "share",
              "workers whose reported wage is at least the province's minimum wage (UMP) in force on the last "
              "billed month ÷ workers registered",
              "registry_worker, registry_employer, contributions_regionalminimumwage"),
    Indicator("bills_on_time_share", "company", "budget", "share",
              "contribution bills of the year fully paid by their due date ÷ contribution bills of the year",
              "contributions_payer, contributions_bill"),
    Indicator("arrears", "company", "budget", "rupiah",
              "unpaid amount of the company's bills of the year due by the snapshot date",
              "contributions_payer, contributions_bill", higher_is_better=False),
    Indicator("csr_sponsored", "company", "coverage", "count",
              "active workers in the last billed month sponsored by the company's CSR fund",
              "registry_worker, registry_sponsor, contributions_bill, contributions_billline"),
)  # fmt: skip
BY_KEY = {i.key: i for i in INDICATORS}


def worker_months(t: Mapping[str, ir.Table], months: list[dt.date]) -> ir.Table:
    """Per worker and month of ``months`` with a contribution line: ``active`` and ``all_four`` (0/1)."""
    bill = t["bill"]
    wanted = [ibis.literal(m, type="date") for m in months]
    bills = bill.filter(bill.kind == "contribution", bill.period.isin(wanted)).select(
        b_id=bill.id, period=bill.period, b_amount=bill.amount, b_paid=bill.paid
    )
    line = t["line"]
    lines = line.filter(line.worker_id.notnull()).join(bills, line.bill_id == bills.b_id)
    sums = {f"s_{p.lower()}": (lines.programme == p).ifelse(lines.amount, 0).sum() for p in FOUR}
    per = lines.group_by(["worker_id", "period"]).aggregate(
        total=lines.amount.sum(), unpaid=(lines.b_paid < lines.b_amount).ifelse(1, 0).max(), **sums
    )
    active = (per.total > 0) & (per.unpaid == 0)
    four = active
    for p in FOUR:
        four = four & (per[f"s_{p.lower()}"] > 0)
    return per.select("worker_id", "period", active=active.ifelse(1, 0), all_four=four.ifelse(1, 0))


def region_indicators(t: Mapping[str, ir.Table], year: int, months: list[dt.date], level: str) -> ir.Table:
    """One row per region of ``level`` (``province`` or ``regency``): ``code`` and the region indicators over the
    billed ``months`` of ``year`` (the first and the last for the counts, all of them for the sponsored)."""
    first, last = months[0], months[-1]
    length = 2 if level == "province" else 5
    region = t["region"]
    regions = region.filter(region.level == level).select(code=region.code, name=region.name)
    wm = worker_months(t, sorted(set(months)))
    w = t["worker"]
    home = region.select(home_id=region.id, home_code=region.code)
    sponsor = t["sponsor"]
    sp = sponsor.select(sp_id=sponsor.id, sp_kind=sponsor.kind, sp_region_id=sponsor.region_id)
    sp_region = region.select(spr_id=region.id, sp_code=region.code)
    workers = (
        w.join(home, w.region_id == home.home_id)
        .left_join(sp, w.sponsor_id == sp.sp_id)
        .left_join(sp_region, sp.sp_region_id == sp_region.spr_id)
        .select(wid=w.id, scheme=w.scheme, home_code=home.home_code, sp_kind=sp.sp_kind, sp_code=sp_region.sp_code)
    )
    j = wm.filter(wm.active == 1).join(workers, wm.worker_id == workers.wid)
    j = j.filter(j.home_code.length() >= length).mutate(code=j.home_code.substr(0, length))
    is_last = j.period == ibis.literal(last, type="date")
    is_first = j.period == ibis.literal(first, type="date")
    counts = j.group_by("code").aggregate(
        active_last=is_last.ifelse(1, 0).sum(),
        active_first=is_first.ifelse(1, 0).sum(),
        pu_active=(is_last & (j.scheme == "PU")).ifelse(1, 0).sum(),
        bpu_active=(is_last & (j.scheme == "BPU")).ifelse(1, 0).sum(),
    )
    # sponsored by a programme of the region itself: counted at the sponsor's region, wherever the worker lives,
    # once over the year (a programme's latest month is often not paid yet)
    own = j.filter((j.sp_kind == "regional_programme") & j.sp_code.notnull())
    own = own.group_by(code=own.sp_code).aggregate(vulnerable_protected=own.worker_id.nunique())
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


def company_indicators(t: Mapping[str, ir.Table], year: int, last: dt.date, as_of: dt.date) -> ir.Table:
    """One row per employer: ``employer_id``, its province and the company indicators."""
    emp, region, w = t["employer"], t["region"], t["worker"]
    emp_codes = region.select(er_id=region.id, er_code=region.code)
    emps = emp.join(emp_codes, emp.region_id == emp_codes.er_id).select(
        employer_id=emp.id, name=emp.name, size_class=emp.size_class, province=ibis._.er_code.substr(0, 2)
    )
    # the province's minimum wage in force on the last billed month (its latest value from on or before it)
    mw = t["minimum_wage"]
    mw_codes = region.select(mr_id=region.id, mr_code=region.code, mr_level=region.level)
    mwr = mw.filter(mw.valid_from <= ibis.literal(last, type="date")).join(mw_codes, mw.region_id == mw_codes.mr_id)
    mwr = mwr.filter(mwr.mr_level == "province")
    latest = mwr.group_by(mwr.mr_code).aggregate(latest=mwr.valid_from.max())
    ump = mwr.join(latest, (mwr.mr_code == latest.mr_code) & (mwr.valid_from == latest.latest)).select(
        ump_code=mwr.mr_code, ump=mwr.amount
    )
    wm = worker_months(t, [last])
    pu = w.filter(w.employer_id.notnull()).select(wid=w.id, w_emp=w.employer_id, wage=w.wage)
    pw = pu.left_join(wm, pu.wid == wm.worker_id).select(
        "w_emp", "wage", seen=wm.worker_id.notnull().ifelse(1, 0), active=wm.active.fill_null(0),
        all_four=wm.all_four.fill_null(0),
    )  # fmt: skip
    provinces = emps.select(e2=emps.employer_id, e_prov=emps.province)
    pw = pw.join(provinces, pw.w_emp == provinces.e2)
    pw = pw.left_join(ump, pw.e_prov == ump.ump_code)
    per_emp = pw.group_by(employer_id=pw.w_emp).aggregate(
        workers=pw.count(),
        all_four=pw.all_four.sum(),
        unreported_workers=(1 - pw.seen).sum(),
        at_minimum=(pw.ump.notnull() & (pw.wage >= pw.ump)).ifelse(1, 0).sum(),
    )
    sponsor = t["sponsor"]
    csr_sponsors = sponsor.filter(sponsor.kind == "csr").select(cs_id=sponsor.id, c_emp=sponsor.employer_id)
    csr = w.join(csr_sponsors, w.sponsor_id == csr_sponsors.cs_id).select(cw=w.id, c_emp=csr_sponsors.c_emp)
    active_last = wm.filter(wm.active == 1)
    csr = csr.join(active_last, csr.cw == active_last.worker_id)
    csr = csr.group_by(employer_id=csr.c_emp).aggregate(csr_sponsored=csr.count())
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

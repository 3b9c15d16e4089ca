"""The coverage computation: ONE Ibis expression, run on the registry database (SQLite or PostgreSQL, in place)
or on a Parquet snapshot with DuckDB. Pure Ibis: no Django, so the same functions serve both paths.

The inputs are Ibis tables named as in :data:`TABLES` with the columns listed there (the registry's own tables,
or their Parquet copies). ``coverage_cube`` gives, for each billed month and each location view, the
participants at the finest grain (regency × scheme × occupation × sponsor kind × sex × age band); every other
figure is a sum of its rows. ``coverage_rates`` rolls it up to Indonesia, the provinces or the regencies and
divides by the workforce.

**Active** (decision 0005, ``contributions.services.status.active_workers``): a worker is active for a month
when that month's lines for it on contribution bills add up to more than zero and every bill carrying them is
fully paid. **Active in a programme**: active, and its lines of that programme add up to more than zero (the
programmes are not additive: a BPU worker has JKK and JKM, not JP). **Registered** for a month: a membership
in force on some day of the month, or active (so active ≤ registered).

**Location views** (decision 0007): ``domicile`` counts a worker where it lives (``Worker.region``), as BPS
counts the employed; ``employer`` counts a wage earner where its employer is registered (the agency's own
tables: head offices push a province above 100 %). A non-wage earner (BPU) has no employer: its domicile is
its location in both views. A location recorded only at province level has no regency (``regency`` empty).

**Age band**: age on the first day of the month, BPS's ten-year bands from 15 (``15-24`` … ``55-64``,
``65+``; ``<15`` cannot be registered but is shown if the data has it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

PROGRAMMES = ("JKK", "JKM", "JHT", "JP", "JKP")
VIEWS = ("domicile", "employer")
NATIONAL = "ID"

# the registry tables the computation reads, their columns and types (also what a Parquet snapshot holds)
TABLES: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "worker": (
        "registry_worker",
        {"id": "int64", "sex": "string", "birth_date": "date", "occupation": "string", "region_id": "int64",
         "scheme": "string", "employer_id": "int64", "sponsor_id": "int64"},
    ),
    "region": ("registry_region", {"id": "int64", "code": "string", "name": "string", "level": "string"}),
    "employer": ("registry_employer", {"id": "int64", "region_id": "int64"}),
    "sponsor": ("registry_sponsor", {"id": "int64", "kind": "string"}),
    "membership": ("registry_membership", {"worker_id": "int64", "programme": "string", "start": "date", "end": "date"}),
    "bill": ("contributions_bill", {"id": "int64", "period": "date", "kind": "string", "amount": "int64", "paid": "int64"}),
    "line": ("contributions_billline", {"bill_id": "int64", "worker_id": "int64", "programme": "string", "amount": "int64"}),
    "workforce": ("coverage_workforcefigure", {"region_id": "int64", "year": "int64", "employed": "int64", "kind": "string"}),
}  # fmt: skip
SEGMENT = ("scheme", "occupation", "sponsor_kind", "sex", "age_band")
CUBE_KEYS = ("period", "view", "province", "regency", *SEGMENT)
CUBE_COUNTS = ("registered", "active", *(f"active_{p.lower()}" for p in PROGRAMMES))
AGE_BANDS = ((15, "<15"), (25, "15-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))


def _month_index(date: ir.DateValue) -> ir.IntegerValue:
    return date.year().cast("int64") * 12 + date.month().cast("int64")


def age_band(birth: ir.DateValue, period: ir.DateValue) -> ir.StringValue:
    # age in whole years on the first day of the month: whole months lived, the birth month counted only from
    # its first day, divided by twelve
    months_lived = _month_index(period) - _month_index(birth) - (birth.day() > 1).ifelse(1, 0)
    age = months_lived // 12
    cases = [(age < upper, label) for upper, label in AGE_BANDS]
    return ibis.cases(*cases, else_="65+")


def _month_end(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1) - dt.timedelta(days=1)


def regency_code(code: ir.StringValue) -> ir.StringValue:
    return (code.length() >= 5).ifelse(code.substr(0, 5), ibis.null("string"))


def participant_months(t: Mapping[str, ir.Table], months: Sequence[dt.date]) -> ir.Table:
    """One row per worker and billed month in ``months`` with a membership in force or paid lines: the
    worker's attributes, ``active`` and ``active_<programme>`` (0/1)."""
    wanted = [ibis.literal(m, type="date") for m in months]
    bill = t["bill"]
    bills = bill.filter(bill.kind == "contribution", bill.period.isin(wanted)).select(
        bill_id=bill.id, period=bill.period, bill_amount=bill.amount, bill_paid=bill.paid
    )
    line = t["line"]
    lines = line.filter(line.worker_id.notnull()).join(bills, line.bill_id == bills.bill_id)
    sums = {f"sum_{p.lower()}": (lines.programme == p).ifelse(lines.amount, 0).sum() for p in PROGRAMMES}
    per_month = lines.group_by(["worker_id", "period"]).aggregate(
        total=lines.amount.sum(),
        unpaid=(lines.bill_paid < lines.bill_amount).ifelse(1, 0).max(),
        **sums,
    )
    is_active = (per_month.total > 0) & (per_month.unpaid == 0)
    paid = per_month.select(
        "worker_id",
        "period",
        active=is_active.ifelse(1, 0),
        **{f"active_{p.lower()}": (is_active & (per_month[f"sum_{p.lower()}"] > 0)).ifelse(1, 0) for p in PROGRAMMES},
    )
    # a membership in force on some day of the month: one filter per month on plain date comparisons
    ms = t["membership"]
    in_force_parts = [
        ms.filter(ms.start <= ibis.literal(_month_end(m), type="date"), ms.end.isnull() | (ms.end >= m)).select(
            worker_id=ms.worker_id, period=ibis.literal(m, type="date")
        )
        for m in sorted(set(months))
    ]
    in_force = in_force_parts[0]
    for part in in_force_parts[1:]:
        in_force = in_force.union(part, distinct=False)
    # only the months billed at all (a month with no bill has no participants to count)
    billed = bills.select(billed_period=bills.period).distinct()
    in_force = in_force.join(billed, in_force.period == billed.billed_period).select("worker_id", "period")
    pairs = in_force.union(paid.filter(paid.active == 1).select("worker_id", "period"), distinct=True)
    flags = pairs.left_join(paid, [pairs.worker_id == paid.worker_id, pairs.period == paid.period]).select(
        worker_id=pairs.worker_id,
        period=pairs.period,
        **{c: paid[c].fill_null(0) for c in ("active", *(f"active_{p.lower()}" for p in PROGRAMMES))},
    )
    w, region, emp, sponsor = t["worker"], t["region"], t["employer"], t["sponsor"]
    home = region.select(home_id=region.id, home_code=region.code)
    work = region.select(work_id=region.id, work_code=region.code)
    employers = (
        emp.select(emp_id=emp.id, emp_region_id=emp.region_id)
        .join(work, emp.region_id == work.work_id)
        .select("emp_id", "work_code")
    )
    sponsors = sponsor.select(sponsor_id_=sponsor.id, sponsor_kind_=sponsor.kind)
    workers = (
        w.join(home, w.region_id == home.home_id)
        .left_join(employers, w.employer_id == employers.emp_id)
        .left_join(sponsors, w.sponsor_id == sponsors.sponsor_id_)
    )
    workers = workers.select(
        worker=workers.id,
        sex=workers.sex,
        birth_date=workers.birth_date,
        occupation=workers.occupation,
        scheme=workers.scheme,
        home_code=workers.home_code,
        work_code=workers.work_code.fill_null(workers.home_code),
        sponsor_kind=workers.sponsor_kind_.fill_null((workers.scheme == "PU").ifelse("employer", "self")),
    )
    out = flags.join(workers, flags.worker_id == workers.worker)
    return out.select(
        "worker_id",
        "period",
        "sex",
        "occupation",
        "scheme",
        "sponsor_kind",
        "home_code",
        "work_code",
        age_band=age_band(out.birth_date, out.period),
        active=out.active,
        **{f"active_{p.lower()}": out[f"active_{p.lower()}"] for p in PROGRAMMES},
    )


def coverage_cube(t: Mapping[str, ir.Table], months: Sequence[dt.date]) -> ir.Table:
    """Registered and active participants per month, view, province, regency, scheme, occupation, sponsor kind,
    sex and age band (the finest grain; sums of its rows give every other figure)."""
    p = participant_months(t, months)
    views = []
    for view, code in (("domicile", p.home_code), ("employer", p.work_code)):
        views.append(p.mutate(view=ibis.literal(view), province=code.substr(0, 2), regency=regency_code(code)))
    both = views[0].union(views[1], distinct=False)
    return both.group_by(list(CUBE_KEYS)).aggregate(
        registered=both.count(),
        active=both.active.sum(),
        **{f"active_{p.lower()}": both[f"active_{p.lower()}"].sum() for p in PROGRAMMES},
    )


def coverage_rates(
    t: Mapping[str, ir.Table],
    months: Sequence[dt.date],
    denominator_year: Mapping[dt.date, int],
    level: str,
    *,
    view: str | None = None,
    within: str | None = None,
) -> ir.Table:
    """Active and registered participants per month, view and region of ``level`` (``national``, ``province``
    or ``regency``; ``within`` a province code limits the regencies), the employed persons of the region in
    the month's denominator year (``denominator_year[month]``) and the rate active ÷ employed. A region with a
    figure but no participant has 0 active; one with participants but no figure has no employed and no rate."""
    cube = coverage_cube(t, months)
    if view is not None:
        cube = cube.filter(cube["view"] == view)
    if level == "national":
        code: Any = ibis.literal(NATIONAL)
    elif level == "province":
        code = cube.province
    elif level == "regency":
        code = cube.regency
    else:
        raise ValueError(f"level is national, province or regency, not {level!r}")
    cube = cube.mutate(code=code)
    if within is not None:
        cube = cube.filter(cube.province == within)
    cube = cube.filter(cube.code.notnull())
    counts = cube.group_by(["period", "view", "code"]).aggregate(
        active=cube.active.sum(),
        registered=cube.registered.sum(),
        **{f"active_{p.lower()}": cube[f"active_{p.lower()}"].sum() for p in PROGRAMMES},
    )
    # the denominators: every region of the level with a figure in the month's year, for each month and view
    wf, region = t["workforce"], t["region"]
    figures = wf.left_join(region, wf.region_id == region.id).select(
        year=wf.year, employed=wf.employed, code=region.code.fill_null(NATIONAL)
    )
    length = {"national": 2, "province": 2, "regency": 5}[level]
    figures = figures.filter(figures.code == NATIONAL if level == "national" else
                             (figures.code.length() == length) & (figures.code != NATIONAL))  # fmt: skip
    if within is not None:
        figures = figures.filter((figures.code == within) | figures.code.startswith(within + "."))
    grid_parts = []
    for month in months:
        year = denominator_year.get(month)
        if year is None:
            continue
        for v in VIEWS if view is None else (view,):
            sel = figures.filter(figures.year == year).select(
                period=ibis.literal(month, type="date"),
                view=ibis.literal(v),
                code=figures.code,
                employed=figures.employed,
            )
            grid_parts.append(sel)
    if grid_parts:
        grid = grid_parts[0]
        for part in grid_parts[1:]:
            grid = grid.union(part, distinct=False)
        joined = counts.outer_join(
            grid, [counts.period == grid.period, counts["view"] == grid["view"], counts.code == grid.code]
        )
        out = joined.select(
            period=joined["period"].fill_null(joined["period_right"]),
            view=joined["view"].fill_null(joined["view_right"]),
            code=joined["code"].fill_null(joined["code_right"]),
            active=joined["active"].fill_null(0),
            registered=joined["registered"].fill_null(0),
            **{f"active_{p.lower()}": joined[f"active_{p.lower()}"].fill_null(0) for p in PROGRAMMES},
            employed=joined.employed,
        )
    else:
        out = counts.mutate(employed=ibis.null("int64"))
    return out.mutate(
        rate=(out.employed > 0).ifelse(out.active.cast("float64") / out.employed.cast("float64"), ibis.null("float64"))
    )


def billed_lines(t: Mapping[str, ir.Table], months: Sequence[dt.date]) -> ir.Table:
    """The workers' lines on the contribution bills of ``months``, each with its bill's ``period``,
    ``bill_amount`` and ``bill_paid``: what decision 0005's *active* is read from (the award's indicators)."""
    bill, line = t["bill"], t["line"]
    wanted = [ibis.literal(m, type="date") for m in months]
    bills = bill.filter(bill.kind == "contribution", bill.period.isin(wanted))
    bills = bills.select(bill_id=bills.id, period=bills.period, bill_amount=bills.amount, bill_paid=bills.paid)
    return line.filter(line.worker_id.notnull()).join(bills, line.bill_id == bills.bill_id)

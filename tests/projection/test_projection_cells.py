"""The one-pass grouping over a snapshot's Parquet files (real files): the cells of the wage earners and of the
self-employed, the JP months and wages counted, the JHT balances, and the pensions in payment of its ``pension``
table placed by kind, age and sex; a snapshot without that table starts with none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from paritrana.projection import cells
from paritrana.projection.engine import MIN_AGE

ON = dt.date(2027, 1, 1)
LIMITS: list[int | None] = [2_000_000, 5_000_000, None]


def write(folder: Path, pensions: bool) -> None:
    con = duckdb.connect()
    tables = {
        # a wage earner of 41 in band 1; a woman of 31 in band 0; a self-employed man of 51 in band 0; a wage earner
        # in no programme on the day (his JP membership ended)
        "worker": """SELECT * FROM (VALUES (1, DATE '1986-06-01', 'M', 'PU', 3000000),
            (2, DATE '1996-03-01', 'F', 'PU', 1800000), (3, DATE '1976-01-01', 'M', 'BPU', 1500000),
            (4, DATE '1980-01-01', 'M', 'PU', 9000000)) t(id, birth_date, sex, scheme, wage)""",
        "membership": """SELECT * FROM (VALUES (1, 'JP', DATE '2015-07-01', NULL::DATE), (1, 'JHT', DATE '2015-07-01', NULL),
            (2, 'JHT', DATE '2020-01-01', NULL), (3, 'JHT', DATE '2021-01-01', NULL),
            (4, 'JP', DATE '2015-07-01', DATE '2020-12-31')) t(worker_id, programme, start, "end")""",
        "line": """SELECT * FROM (VALUES (1, 'JP', 'contribution', 3000000), (1, 'JP', 'contribution', 2800000),
            (1, 'JP', 'adjustment', 100000), (4, 'JP', 'contribution', 9000000)) t(worker_id, programme, kind, wage)""",
        "jht_entry": """SELECT * FROM (VALUES (1, DATE '2026-12-31', 5000000), (1, DATE '2027-02-01', 999),
            (2, DATE '2026-01-31', 700000), (3, DATE '2026-06-30', 250000)) t(worker_id, value_date, amount)""",
    }
    if pensions:
        # (the last is first paid on the first projected day: not yet in payment)
        tables[
            "pension"
        ] = """SELECT * FROM (VALUES ('old_age', DATE '1960-01-01', 'M', 1500000, DATE '2025-02-01', NULL::DATE),
            ('old_age', DATE '1960-06-01', 'M', 1700000, DATE '2025-07-01', NULL),
            ('widow_widower', DATE '1970-01-01', 'M', 600000, DATE '2026-12-01', NULL),
            ('child', DATE '1987-01-01', 'F', 400000, DATE '2026-04-01', NULL),
            ('lump_sum', DATE '1980-01-01', 'M', 900000, DATE '2020-01-01', NULL),
            ('old_age', DATE '1961-01-01', 'F', 800000, DATE '2027-01-01', NULL))
            t(kind, birth_date, sex, monthly, first_month, recipient_birth_date)"""
        # a children's pension whose child's birth date is recorded: placed at its age, not the assumed 45 − 28 = 17
        tables["pension"] += """ UNION ALL SELECT 'child', DATE '1982-01-01', 'M', 300000, DATE '2026-01-01',
            DATE '2008-03-01'"""
    for name, sql in tables.items():
        con.execute(f"COPY ({sql}) TO '{folder / name}.parquet' (FORMAT parquet)")


def test_one_pass_over_the_files_groups_the_cells_and_places_the_pensions(tmp_path: Path) -> None:
    write(tmp_path, pensions=True)
    start = cells.from_snapshot(tmp_path, ON, LIMITS, 0.01, family=(28, 23))
    pu, bpu = start.cells, start.bpu
    # ages are the years since the year of birth (the age reached in the first projected year)
    a40, a30, a50 = 41 - MIN_AGE, 31 - MIN_AGE, 51 - MIN_AGE
    assert (pu.jp[a40, 0, 1], pu.jht[a40, 0, 1], pu.jht[a30, 1, 0]) == (1, 1, 1)
    assert pu.jp.sum() == 1 and pu.jht.sum() == 2  # worker 4 is in no programme on the day: not a participant
    # two JP contribution months (the adjustment is not one), 1 % of their wages ÷ 12 accrued
    assert pu.jp_months[a40, 0, 1] == 2
    assert pu.jp_accrued[a40, 0, 1] == pytest.approx(0.01 * 5_800_000 / 12)
    assert pu.jht_balance[a40, 0, 1] == 5_000_000  # the ledger before the day only
    assert (bpu.jht[a50, 0, 0], bpu.jp.sum(), bpu.jht_balance[a50, 0, 0], bpu.wage[a50, 0, 0]) == (
        1, 0, 250_000, 1_500_000,
    )  # fmt: skip
    assert start.band_wage[1] == 3_000_000 and start.bpu_band_wage[0] == 1_500_000
    book = start.in_payment
    # two old-age pensioners of 67; a widow of 57 (a woman: her husband's age); a child of 40 − 28 = 12
    assert book.old_age.n[67 - MIN_AGE, 0] == 2 and book.old_age.amount[67 - MIN_AGE, 0] == 1_600_000
    assert book.widow.n[57 - MIN_AGE, 1] == 1 and book.widow.amount[57 - MIN_AGE, 1] == 600_000
    assert book.child.n[12] == 1 and book.child.amount[12] == 400_000
    assert book.child.n[19] == 1 and book.child.amount[19] == 300_000 and book.child.n[17] == 0
    assert start.heir_ages == {"recorded": 1, "assumed": 2}
    # a kind that is no pension is left out, and a pension not yet in payment
    assert book.monthly() == 1_500_000 + 1_700_000 + 600_000 + 400_000 + 300_000
    assert book.old_age.n[:, 1].sum() == 0


def test_a_snapshot_without_a_pension_table_starts_with_none(tmp_path: Path) -> None:
    write(tmp_path, pensions=False)
    start = cells.from_snapshot(tmp_path, ON, LIMITS, 0.01)
    assert start.in_payment.people() == 0 and start.cells.jht.sum() == 2

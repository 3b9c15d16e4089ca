"""The load stage of a billing run: the missing payers and bills inserted (``INSERT … ON CONFLICT DO NOTHING``
in batches, then read back), the lines streamed from DuckDB in Arrow batches (PostgreSQL: ``COPY … FROM
STDIN``; SQLite: ``executemany``), and the bills' amounts set by one ``UPDATE`` (``billing_batch.bill_month``
calls these in order)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from django.db import connection
from django.db.backends.utils import CursorWrapper

from paritrana.contributions.billing_extract import _date, _placeholders, _table
from paritrana.contributions.duck_tables import DuckTables
from paritrana.contributions.models import Bill, BillLine, Payer
from paritrana.core.bulk import chunks

LOAD_ROWS = 100_000  # lines per batch written to the database


_PARTY_COLUMN = {
    Payer.Kind.EMPLOYER.value: "employer_id",
    Payer.Kind.WORKER.value: "worker_id",
    Payer.Kind.SPONSOR.value: "sponsor_id",
}


def _select_in(cursor: CursorWrapper, sql: str, ids: Sequence[int], before: Sequence[Any] = ()) -> list[Any]:
    """Rows of ``sql`` (which ends with ``IN ({in})``) for every chunk of ``ids``."""
    out: list[Any] = []
    for chunk in chunks(ids):
        cursor.execute(sql.format(ids=_placeholders(len(chunk))), [*before, *chunk])
        out.extend(cursor.fetchall())
    return out


def ensure_payers(cursor: CursorWrapper, duck: DuckTables, lines: str) -> None:
    """Create the payers the lines need and do not have yet, and put their ids on the lines."""
    missing = duck.rows(f"SELECT DISTINCT payer_kind, party_id FROM {lines} WHERE payer_id IS NULL ORDER BY 1, 2")
    if not missing:
        return
    by_kind: dict[str, list[int]] = {}
    for kind, party in missing:
        by_kind.setdefault(kind, []).append(int(party))
    found: list[tuple[str, int, int]] = []
    for kind, parties in by_kind.items():
        column = _PARTY_COLUMN[kind]
        for chunk in chunks(parties, LOAD_ROWS):
            cursor.executemany(
                f"INSERT INTO {_table(Payer)} (kind, {column}, credit) VALUES (%s, %s, 0) ON CONFLICT DO NOTHING",
                [(kind, party) for party in chunk],
            )
        rows = _select_in(cursor, f"SELECT id, {column} FROM {_table(Payer)} WHERE {column} IN ({{ids}})", parties)
        found.extend((kind, int(party), int(pk)) for pk, party in rows)
    ids = pa.table(
        {
            "payer_kind": pa.array([f[0] for f in found], pa.string()),
            "party_id": pa.array([f[1] for f in found], pa.int64()),
            "payer_id": pa.array([f[2] for f in found], pa.int64()),
        }
    )
    name = duck.register("new_payers", ids)
    duck.con.execute(
        f"UPDATE {lines} SET payer_id = n.payer_id FROM {name} n "
        f"WHERE {lines}.payer_id IS NULL AND {lines}.payer_kind = n.payer_kind AND {lines}.party_id = n.party_id"
    )


def ensure_bills(
    cursor: CursorWrapper,
    duck: DuckTables,
    lines: str,
    period: dt.date,
    due: dict[str, dt.date],
    now: Any,
    limited: bool,
) -> str:
    """The month's contribution bill of every payer of the lines (created when missing): a DuckDB
    table ``payer_id → bill_id``. ``due`` maps a payer kind to the bill's due date."""
    payers = [(int(p), str(k)) for p, k in duck.rows(f"SELECT DISTINCT payer_id, payer_kind FROM {lines} ORDER BY 1")]
    bill = _table(Bill)
    kind = Bill.Kind.CONTRIBUTION.value
    month = _date(period)

    def existing(ids: Sequence[int]) -> dict[int, int]:
        if limited:
            sql = f"SELECT payer_id, id FROM {bill} WHERE period = %s AND kind = %s AND payer_id IN ({{ids}})"
            return {int(p): int(b) for p, b in _select_in(cursor, sql, ids, before=[month, kind])}
        cursor.execute(f"SELECT payer_id, id FROM {bill} WHERE period = %s AND kind = %s", [month, kind])
        return {int(p): int(b) for p, b in cursor.fetchall()}

    bills = existing([p for p, _ in payers])
    missing = [(p, k) for p, k in payers if p not in bills]
    if missing:
        created = connection.ops.adapt_datetimefield_value(now)
        for chunk in chunks(missing, LOAD_ROWS):
            cursor.executemany(
                f"INSERT INTO {bill} (payer_id, period, kind, due_date, amount, paid, created_at) "
                "VALUES (%s, %s, %s, %s, 0, 0, %s) ON CONFLICT DO NOTHING",
                [(p, month, kind, _date(due[k]), created) for p, k in chunk],
            )
        limited = True
        bills.update(existing([p for p, _ in missing]))
    table = pa.table(
        {"payer_id": pa.array(list(bills), pa.int64()), "bill_id": pa.array(list(bills.values()), pa.int64())}
    )
    return duck.register("bills", table)


# the columns of a line that vary from line to line; law_date, billing_run_id and created_at are the run's
LINE_COLUMNS = ("bill_id", "worker_id", "programme", "kind", "wage", "amount", "worker_share", "rule", "note")


def load_lines(
    cursor: CursorWrapper,
    duck: DuckTables,
    lines: str,
    bills: str,
    constants: dict[str, Any],
    on_rows: Callable[[int], None],
) -> None:
    """Stream the lines out of DuckDB in Arrow batches into the database: ``COPY … FROM STDIN``
    (CSV) on PostgreSQL, ``executemany`` elsewhere. ``constants`` are the columns whose value is
    the same on every line (the run, the law date, the creation time), as SQL-safe text or ints.
    """
    varying = ", ".join(f"l.{c}" if c != "bill_id" else "m.bill_id" for c in LINE_COLUMNS)
    source = f"FROM {lines} l JOIN {bills} m ON m.payer_id = l.payer_id ORDER BY l.worker_id, l.programme"
    table = _table(BillLine)
    columns = ", ".join((*LINE_COLUMNS, *constants))
    if connection.vendor == "postgresql":
        fixed = ", ".join(f"{_literal(v)} AS {k}" for k, v in constants.items())
        options = pacsv.WriteOptions(include_header=False)
        reader = duck.con.sql(f"SELECT {varying}, {fixed} {source}").to_arrow_reader(LOAD_ROWS)
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            for batch in reader:
                buffer = io.BytesIO()
                pacsv.write_csv(batch, buffer, options)
                copy.write(buffer.getvalue())
                on_rows(batch.num_rows)
        return
    values = ", ".join((*(["%s"] * len(LINE_COLUMNS)), *(_literal(v) for v in constants.values())))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({values})"
    reader = duck.con.sql(f"SELECT {varying} {source}").to_arrow_reader(LOAD_ROWS)
    for batch in reader:
        rows = list(zip(*(batch.column(i).to_pylist() for i in range(batch.num_columns)), strict=True))
        cursor.executemany(sql, rows)
        on_rows(batch.num_rows)


def _literal(value: Any) -> str:
    """A constant of our own (an int, or text without quotes such as a date) as an SQL literal."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if "'" in text:
        raise ValueError(f"not a safe literal: {text!r}")
    return f"'{text}'"


def update_bill_amounts(cursor: CursorWrapper, run_id: int, today: dt.date) -> None:
    """One UPDATE: the amount of each bill the run added lines to becomes the sum of its lines,
    where that sum is not below what was already paid (the others are left to ``settle_run``).

    On PostgreSQL the payers of those bills are locked first, in id order, the order a
    payment takes (payer, then its bills), so a payment posted meanwhile cannot deadlock.
    """
    bill, line, payer = _table(Bill), _table(BillLine), _table(Payer)
    touched = f"SELECT bill_id FROM {line} WHERE billing_run_id = %s"
    if connection.vendor == "postgresql":
        cursor.execute(
            f"SELECT id FROM {payer} WHERE id IN (SELECT payer_id FROM {bill} WHERE id IN ({touched})) "
            "ORDER BY id FOR UPDATE",
            [run_id],
        )
    cursor.execute(
        f"""
        UPDATE {bill} SET amount = s.total,
            paid_at = CASE WHEN s.total > {bill}.paid THEN NULL
                           WHEN {bill}.paid_at IS NULL AND {bill}.paid > 0 THEN %s
                           ELSE {bill}.paid_at END
        FROM (SELECT l.bill_id, CAST(SUM(l.amount) AS BIGINT) AS total FROM {line} l
              WHERE l.bill_id IN ({touched}) GROUP BY l.bill_id) s
        WHERE {bill}.id = s.bill_id AND s.total >= {bill}.paid""",
        [_date(today), run_id],
    )

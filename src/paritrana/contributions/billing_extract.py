"""The extract stage of a monthly billing run: one SQL query per scheme (wage earners PU, non-wage earners BPU)
and one for what the month already carries, read through Django's connection in ``fetchmany`` batches into
pyarrow tables (``billing_batch`` computes and loads).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import pyarrow as pa
from django.db import connection
from django.db.models import Model

from paritrana.contributions.billing_lines import BPU_PROGRAMMES, PU_PROGRAMMES
from paritrana.contributions.models import Bill, BillLine, Payer, WageReport
from paritrana.registry.models import Employer, EmployerStatus, Membership, Occupation, Scheme, Sponsor, Worker

Progress = Callable[[str, int, int], None]

# who pays a BPU worker's contributions, as the rule bpu_contributions reads it (PP 50/2025's relief is
# not for the APBN or an APBD): a regional programme pays from its APBD, every other payer from own funds
OWN_FUNDS, REGIONAL_BUDGET = "own_funds", "regional_budget"
PAID_FROM_BY_SPONSOR_KIND = {Sponsor.Kind.REGIONAL_PROGRAMME.value: REGIONAL_BUDGET}


def paid_from(sponsor_kind: str | None) -> str:
    """The rule input ``paid_from`` of a BPU worker whose sponsor is of ``sponsor_kind`` (None: self-paid)."""
    return PAID_FROM_BY_SPONSOR_KIND.get(sponsor_kind or "", OWN_FUNDS)


# BPU occupations in the transport sector (the PP 50/2025 relief applies to them from January 2026)
TRANSPORT_OCCUPATIONS = (Occupation.OJEK_DRIVER.value, Occupation.DRIVER.value)
FETCH_ROWS = 50_000  # rows per fetchmany from the database


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _placeholders(n: int) -> str:
    return ", ".join(["%s"] * n)


def _date(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


# --- extract -----------------------------------------------------------------------


PU_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("party_id", pa.int64()),
        ("payer_id", pa.int64()),
        ("risk_group", pa.int64()),
        ("wage", pa.int64()),
        *[(f"m_{p.lower()}", pa.int64()) for p in PU_PROGRAMMES],
    ]
)
BPU_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("payer_kind", pa.string()),
        ("party_id", pa.int64()),
        ("payer_id", pa.int64()),
        ("sponsored", pa.int64()),
        ("declared_income", pa.int64()),
        ("transport", pa.int64()),
        ("paid_from", pa.string()),
        *[(f"m_{p.lower()}", pa.int64()) for p in BPU_PROGRAMMES],
    ]
)
BILLED_SCHEMA = pa.schema(
    [
        ("worker_id", pa.int64()),
        ("programme", pa.string()),
        ("amount", pa.int64()),
        ("worker_share", pa.int64()),
        ("wage", pa.int64()),
        ("id", pa.int64()),
        ("payer_id", pa.int64()),
    ]
)


def _memberships_sql(programmes: Sequence[str], only_employers: str) -> str:
    """Per worker, a 0/1 column per programme: a membership in force at some time in the month."""
    end = _q("end")
    flags = ",\n".join(f"MAX(CASE WHEN programme = '{p}' THEN 1 ELSE 0 END) AS m_{p.lower()}" for p in programmes)
    restrict = (
        f"AND worker_id IN (SELECT id FROM {_table(Worker)} WHERE employer_id IN ({only_employers}))"
        if only_employers
        else ""
    )
    return f"""
        SELECT worker_id, {flags}
        FROM {_table(Membership)}
        WHERE start <= %s AND ({end} IS NULL OR {end} >= %s) {restrict}
        GROUP BY worker_id"""


def pu_extract_sql(employer_count: int | None) -> str:
    """Wage earners of active employers with a membership in force in the month.

    The wage is the wage report of the month, else the latest one before it, else the
    wage recorded at registration. Parameters: the month, its last day, its first day,
    then the employer ids (twice) when the run is limited to some employers.
    """
    only = _placeholders(employer_count) if employer_count else ""
    return f"""
        SELECT w.id, w.employer_id, p.id, e.risk_group,
            COALESCE((SELECT r.wage FROM {_table(WageReport)} r
                      WHERE r.worker_id = w.id AND r.period <= %s
                      ORDER BY r.period DESC LIMIT 1), w.wage),
            {", ".join(f"m.m_{p.lower()}" for p in PU_PROGRAMMES)}
        FROM {_table(Worker)} w
        JOIN {_table(Employer)} e ON e.id = w.employer_id
        JOIN ({_memberships_sql(PU_PROGRAMMES, only)}) m ON m.worker_id = w.id
        LEFT JOIN {_table(Payer)} p ON p.employer_id = w.employer_id
        WHERE w.scheme = '{Scheme.PU.value}' AND e.status = '{EmployerStatus.ACTIVE.value}'
        {f"AND w.employer_id IN ({only})" if only else ""}"""


def _paid_from_sql(kind: str) -> str:
    whens = " ".join(f"WHEN {kind} = '{k}' THEN '{v}'" for k, v in PAID_FROM_BY_SPONSOR_KIND.items())
    return f"CASE {whens} ELSE '{OWN_FUNDS}' END"


def bpu_extract_sql() -> str:
    """Non-wage earners with a membership in force in the month, with their payer.

    Self-paid (no sponsor, or a sponsor of kind ``self``): the worker pays on its declared
    income. Sponsored: the sponsor pays; a regional-government programme pays the lowest
    band (declared income 0), a CSR or employer sponsor on the declared income. ``paid_from``:
    a regional programme pays from a regional budget (no PP 50/2025 relief), anyone else from
    own funds. Parameters: the month's last day, its first day. Every column read is grouped on (not only the
    keys): DuckDB, which runs this query over a snapshot, does not infer columns from a primary key.
    """
    self_paid = f"(s.id IS NULL OR s.kind = '{Sponsor.Kind.SELF.value}')"
    end = _q("end")
    flags = ", ".join(f"MAX(CASE WHEN m.programme = '{p}' THEN 1 ELSE 0 END)" for p in BPU_PROGRAMMES)
    return f"""
        SELECT w.id,
            CASE WHEN {self_paid} THEN '{Payer.Kind.WORKER.value}' ELSE '{Payer.Kind.SPONSOR.value}' END,
            CASE WHEN {self_paid} THEN w.id ELSE s.id END,
            CASE WHEN {self_paid} THEN pw.id ELSE ps.id END,
            CASE WHEN {self_paid} THEN 0 ELSE 1 END,
            CASE WHEN s.kind = '{Sponsor.Kind.REGIONAL_PROGRAMME.value}' THEN 0 ELSE w.wage END,
            CASE WHEN w.occupation IN ({", ".join(f"'{o}'" for o in TRANSPORT_OCCUPATIONS)}) THEN 1 ELSE 0 END,
            {_paid_from_sql("s.kind")},
            {flags}
        FROM {_table(Worker)} w
        JOIN {_table(Membership)} m ON m.worker_id = w.id AND m.start <= %s AND (m.{end} IS NULL OR m.{end} >= %s)
        LEFT JOIN {_table(Sponsor)} s ON s.id = w.sponsor_id
        LEFT JOIN {_table(Payer)} pw ON pw.worker_id = w.id
        LEFT JOIN {_table(Payer)} ps ON ps.sponsor_id = w.sponsor_id
        WHERE w.scheme = '{Scheme.BPU.value}'
        GROUP BY w.id, w.wage, w.occupation, s.id, s.kind, pw.id, ps.id"""


def billed_extract_sql(employer_count: int | None) -> str:
    """The lines already on the month's contribution bills, with their bill's payer (grouped per worker and programme on
    DuckDB: the database only reads them, through the month's bills, or through the workers of
    the employers when the run is limited to some: ``CROSS JOIN`` keeps SQLite's planner from
    starting with the whole month). Parameters: the month, then the employer ids."""
    contribution = f"b.period = %s AND b.kind = '{Bill.Kind.CONTRIBUTION.value}'"
    if employer_count:
        return f"""
        SELECT l.worker_id, l.programme, l.amount, l.worker_share, l.wage, l.id, b.payer_id
        FROM {_table(Worker)} w CROSS JOIN {_table(BillLine)} l CROSS JOIN {_table(Bill)} b
        WHERE l.worker_id = w.id AND b.id = l.bill_id AND {contribution}
            AND w.employer_id IN ({_placeholders(employer_count)})"""
    return f"""
        SELECT l.worker_id, l.programme, l.amount, l.worker_share, l.wage, l.id, b.payer_id
        FROM {_table(Bill)} b JOIN {_table(BillLine)} l ON l.bill_id = b.id
        WHERE {contribution} AND l.worker_id IS NOT NULL"""


def fetch_arrow(
    sql: str, params: Sequence[Any], schema: pa.Schema, on_rows: Callable[[int], None] | None = None
) -> pa.Table:
    """The result of one query as a pyarrow table, read in ``fetchmany`` batches.

    On PostgreSQL the query runs on a server-side cursor (Django's ``chunked_cursor``), so
    only one batch at a time is held in Python.
    """
    batches = []
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, list(params))
        while rows := cursor.fetchmany(FETCH_ROWS):
            columns = [pa.array(list(map(itemgetter(i), rows)), type=f.type) for i, f in enumerate(schema)]
            batches.append(pa.record_batch(columns, schema=schema))
            if on_rows is not None:
                on_rows(len(rows))
    return pa.Table.from_batches(batches, schema=schema)


def count_workers(employer_ids: Sequence[int] | None) -> int:
    """The workers the extract may read (a bound for the progress bar)."""
    qs = Worker.objects.all()
    if employer_ids is not None:
        qs = qs.filter(scheme=Scheme.PU, employer_id__in=employer_ids)
    return qs.count()

"""Evaluate a rule on one record, a list of records, a file or an Ibis table.

The embedded engine is DuckDB (through Ibis). Inputs are checked before any
output is computed: a missing column, a value of the wrong type, a value outside
its range or a date before the law gives :class:`InvalidInput` (naming the field
and, for tables, the row) or :class:`ParameterNotInForce`.

This module gathers the engine's names; each concern has its own module:
:mod:`~paritrana.rules.inputs` (values and records in their fields' types),
:mod:`~paritrana.rules.checks` (the checks of a table's inputs),
:mod:`~paritrana.rules.batch` (a rule over a table: :func:`prepare`),
:mod:`~paritrana.rules.one_record` (:func:`compute_one` and its compiled plans),
:mod:`~paritrana.rules.files` (files read and written by DuckDB),
:mod:`~paritrana.rules.fetch` (small results as rows).
"""

from __future__ import annotations

from paritrana.rules.batch import TableRun, compute_records, prepare
from paritrana.rules.duck import connection
from paritrana.rules.files import file_totals, read_file, write_file
from paritrana.rules.inputs import DATE_COLUMN, coerce, parse_date, records_arrow, records_table
from paritrana.rules.one_record import Explanation, Result, compute_one

__all__ = [
    "DATE_COLUMN",
    "Explanation",
    "Result",
    "TableRun",
    "coerce",
    "compute_one",
    "compute_records",
    "connection",
    "file_totals",
    "parse_date",
    "prepare",
    "read_file",
    "records_arrow",
    "records_table",
    "write_file",
]

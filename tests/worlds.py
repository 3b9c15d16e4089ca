"""A world built once per test run and laid down again, row for row, for each test that asks for it.

Building the demo-like data through the use cases (the demo generator, billing, the bank statements, the
programmes) took 9 to 19 s per test. ``Recorded.of(build)`` builds it once, in a transaction rolled back at the
end, and keeps every row the build added (read through the models: JSON, dates and times as stored) and what
``build`` returned. ``laid_down()`` inserts those rows again, ids included (COPY on PostgreSQL, then its sequences
reset and its statistics taken), and returns a deep copy of what ``build`` returned: the test starts from the
state a fresh build gives, whether it runs in a transaction (``db``) or commits for a live server
(``transactional_db``). Only the times the build stamped (``auto_now`` fields) are those of the run's one build.

The build must only add rows (checked): a row that was there before and changed, or went, would not be laid down.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

T = TypeVar("T")
Rows = dict[type[models.Model], dict[Any, tuple[Any, ...]]]


def _tables() -> list[type[models.Model]]:
    """Every model with a table of its own (many-to-many tables included, proxies and unmanaged ones not)."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def _rows(model: type[models.Model]) -> dict[Any, tuple[Any, ...]]:
    """The rows of ``model``'s own table by primary key, each as the values of its columns."""
    names = [f.attname for f in model._meta.local_concrete_fields]
    at = names.index(model._meta.pk.attname)
    return {row[at]: row for row in model._base_manager.values_list(*names)}


def _all_rows() -> Rows:
    return {model: _rows(model) for model in _tables()}


@dataclass
class Table:
    """Rows of one table, with the values as the database takes them."""

    name: str
    columns: list[str]
    rows: list[list[Any]]

    @classmethod
    def of(cls, model: type[models.Model], rows: list[tuple[Any, ...]]) -> Table:
        fields = model._meta.local_concrete_fields
        prepared = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
        return cls(model._meta.db_table, [f.column for f in fields], prepared)

    def insert(self, cursor: Any) -> None:
        quoted = f"{connection.ops.quote_name(self.name)} ({', '.join(map(connection.ops.quote_name, self.columns))})"
        if connection.vendor == "postgresql":  # COPY: one stream per table rather than a statement per row
            with cursor.cursor.copy(f"COPY {quoted} FROM STDIN") as copy_in:
                for row in self.rows:
                    copy_in.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {quoted} VALUES ({', '.join(['%s'] * len(self.columns))})", self.rows)


@dataclass
class Recorded(Generic[T]):
    made: T
    tables: list[Table]
    models: list[type[models.Model]]

    @classmethod
    def of(cls, build: Callable[[], T]) -> Recorded[T]:
        """Run ``build`` in a transaction that is rolled back, keeping the rows it added."""
        with transaction.atomic():
            before = _all_rows()
            made = build()
            after = _all_rows()
            transaction.set_rollback(True)
        tables, added = [], []
        for model, rows in after.items():
            was = before[model]
            changed = [pk for pk, row in was.items() if rows.get(pk) != row]
            assert not changed, f"the build changed or deleted rows that were there before: {model.__name__} {changed}"
            new = [row for pk, row in rows.items() if pk not in was]
            if new:
                tables.append(Table.of(model, new))
                added.append(model)
        return cls(made, tables, added)

    def laid_down(self) -> T:
        """The recorded rows inserted again (in one transaction); a copy of what the build returned."""
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables:
                table.insert(cursor)
            for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # the planner's statistics of the rows laid down (seen by this transaction; undone with it): with
                # the tables counted empty, an UPDATE over a join of workers and regions ran for minutes
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t.name) for t in self.tables))
        return copy.deepcopy(self.made)

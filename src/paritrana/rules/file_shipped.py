"""File plans shipped in the package: ``calc --date … --file x.parquet`` without Ibis on its first run too
(decision 0035).

A stored plan (:mod:`~paritrana.rules.file_stored`) spares a rule's compilation from the second run on; the
first run of a rule still imported Ibis and compiled it (about 0.8 s CPU). For the file layout a rule defines
itself (its inputs, in their declared order and types; the optional ones at the end may be left out), the
plans are compiled when the package is built (``./dev plans``) and shipped in ``rules/compiled/RULE.json``:
one per period of the law over which the rule's SQL is the same.

- *Which dates.* The law's parameters change on known dates: the rule is compiled on the first and the last
  day of each period between two of them, and the consecutive periods whose SQL is the same are merged. A
  rule whose SQL changes inside a period (it writes the date itself: a pension age, a due date) or that reads
  the law of later months ships no plan; its first run compiles, as before.
- *A file without some optional inputs.* The view of the file gives them their defaults, as constants, as the
  general way does (the same values, types and column order; DuckDB may infer a column not null on one
  way only).
- *Never stale.* Each file records a digest of the contents of every source and parameter file of
  ``paritrana.rules`` and the DuckDB version it was compiled for; a plan whose digest or version is not the
  installed one is not used (the general way then compiles). A test regenerates the plans and compares.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from paritrana.rules.one_stored import RULES_DIR, StoredRule, stored_rule

if TYPE_CHECKING:
    from paritrana.rules.base import Rule

COMPILED_DIR = RULES_DIR / "compiled"
FORMAT = 1
DUCKDB_TYPES = {"int64": "BIGINT", "bool": "BOOLEAN", "date": "DATE", "string": "VARCHAR"}
LAST_DAY = dt.date(2100, 12, 31)  # the last period's end, where the law gives none


class ShippedPlan(NamedTuple):
    rule: StoredRule
    view: str  # the select of the input view over the file (``read_parquet(…)`` to be added)
    checks: str
    select: str


# what cannot change a file plan: the Spark engine, the legal cases' reader, the rules' texts for translation
NOT_IN_PLANS = {"engines.py", "cases.py", "texts.py"}


def source_digest() -> str:
    """A digest of the contents of the source and parameter files of ``paritrana.rules`` a plan is compiled from."""
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    files = (p for p in RULES_DIR.rglob("*") if p.suffix in {".py", ".yaml", ".yml"} and p.name not in NOT_IN_PLANS)
    for path in sorted(files):
        digest.update(f"{path.relative_to(RULES_DIR).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def shipped_plan(rule_name: str, on: dt.date, columns: Sequence[tuple[str, str]]) -> ShippedPlan | None:
    """The shipped plan of ``rule_name`` on ``on`` for a file of ``columns`` (name, DuckDB type), or None if
    none fits (no plan shipped for the rule or the date, another layout, a stale plan)."""
    import duckdb

    try:
        shipped = json.loads((COMPILED_DIR / f"{rule_name}.json").read_text(encoding="utf-8"))
        if shipped["source"] != source_digest() or shipped["duckdb"] != duckdb.__version__:
            return None
        rule, texts = stored_rule(shipped["rule"]), shipped["sql"]
        plans = [p for p in shipped["plans"] if p["from"] <= on.isoformat() < p["until"]]
        view = canonical_view(rule, columns)
        if not plans or view is None:
            return None
        return ShippedPlan(rule, view, texts[plans[0]["checks"]], texts[plans[0]["select"]])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def canonical_view(rule: StoredRule, columns: Sequence[tuple[str, str]]) -> str | None:
    """The select of the input view that gives the plan its layout (every input, declared order and types), or
    None if the file is not the rule's inputs in that order and those types (the optional ones at the end may
    be missing)."""
    declared = [(f.name, DUCKDB_TYPES[f.dtype]) for f in rule.inputs]
    given = [(name, kind.upper()) for name, kind in columns]
    required = max((i + 1 for i, f in enumerate(rule.inputs) if f.required), default=1)
    if len(given) < required or given != declared[: len(given)]:
        return None
    parts = [_ident(name) for name, _ in given]
    parts += [
        f"CAST({_literal(f.default)} AS {DUCKDB_TYPES[f.dtype]}) AS {_ident(f.name)}" for f in rule.inputs[len(given) :]
    ]
    return "SELECT " + ", ".join(parts)


def _literal(value: Any) -> str:
    """A default value in SQL (as the general way gives a missing optional input: a constant, never null)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- generated when the package is built -----------------------------------------------------------------


def compile_rule(rule: Rule) -> dict[str, Any]:
    """The shipped content of ``rule``: a plan per period of the law (none if its SQL depends on the date)."""
    import duckdb

    from paritrana.rules.duck import connection
    from paritrana.rules.errors import RuleError
    from paritrana.rules.file_stored import INPUT, compile_plan
    from paritrana.rules.one_stored import rule_content
    from paritrana.rules.parameters import load_parameters

    parameters = load_parameters()
    con = connection()
    empty = ", ".join(f"CAST(NULL AS {DUCKDB_TYPES[f.dtype]}) AS {_ident(f.name)}" for f in rule.inputs)
    con.con.execute(f"CREATE OR REPLACE TEMP VIEW {INPUT} AS SELECT {empty} WHERE false")
    plans: list[dict[str, str]] = []
    for start, until in _periods(parameters):
        try:
            (first, run), (last, _) = (
                compile_plan(rule, con.table(INPUT), d, parameters) for d in (start, until - _DAY)
            )
        except RuleError:
            continue  # before the law of one of the rule's parameters: the general way says so
        if first != last or run.context.months_ahead:  # the SQL changes inside a period: not shipped
            plans = []
            break
        if plans and plans[-1]["until"] == start.isoformat() and _same(plans[-1], first):
            plans[-1]["until"] = until.isoformat()
        else:
            plans.append({"from": start.isoformat(), "until": until.isoformat(), **first})
    texts = sorted({p[part] for p in plans for part in ("checks", "select")})  # each text once
    for p in plans:
        p.update(checks=texts.index(p["checks"]), select=texts.index(p["select"]))  # type: ignore[call-overload]
    content = {"format": FORMAT, "source": source_digest(), "duckdb": duckdb.__version__}
    return {**content, "rule": rule_content(rule)[1], "plans": plans, "sql": texts}


_DAY = dt.timedelta(days=1)


def _same(plan: dict[str, str], other: dict[str, str]) -> bool:
    return plan["checks"] == other["checks"] and plan["select"] == other["select"]


def _periods(parameters: Any) -> Iterator[tuple[dt.date, dt.date]]:
    """The periods between two dates on which any parameter of the law changes (the last one to ``LAST_DAY``)."""
    days = sorted({v.effective for p in parameters.values() for v in p.values})
    yield from zip(days, [*days[1:], LAST_DAY + _DAY], strict=True)


def write_all(folder: Path = COMPILED_DIR) -> list[Path]:
    """Compile and write every rule's shipped plans (``./dev plans``)."""
    from paritrana.rules.base import all_rules

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in all_rules():
        target = folder / f"{rule.name}.json"
        target.write_text(json.dumps(compile_rule(rule), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)

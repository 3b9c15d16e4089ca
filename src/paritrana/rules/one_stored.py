"""One record from a plan stored on disk: ``paritrana calc RULE -i …`` without importing Ibis (decision 0030).

A command computes one record and exits, so its time is its start: importing Ibis (and its SQL compilers)
and compiling the rule's plan are about half of it. The first ``calc`` of a rule and date compiles the plan
as :func:`~paritrana.rules.one_record.compute_one` does and stores it (its SQL, the parameters it used, the
rule's fields) as JSON under the given folder; a later one reads it and runs its SQL on a plain DuckDB
connection: no Ibis, no rule module, no parameter file parsed.

A stored plan is found by a key over everything its SQL depends on: the rule and date, and the size and
modification time of every source and parameter file of :mod:`paritrana.rules` and of the installed Ibis and
DuckDB. A change to any of them gives a new key (the old file is never read again). A record the plan's
checks refuse, a record with its own date, or an unreadable stored file goes the general way, which names
the field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from paritrana.rules.duck import raw_connection
from paritrana.rules.errors import InvalidInput
from paritrana.rules.result import Result, result_of
from paritrana.rules.values import DATE_COLUMN, Field, coerced, parse_date

if TYPE_CHECKING:
    from paritrana.rules.base import Rule

FORMAT = 1  # of the stored file; part of the key
RULES_DIR = Path(__file__).resolve().parent
# the session settings Ibis gives its DuckDB connections, which the compiled SQL was run under
_SESSION = ("SET TimeZone = 'UTC'", "SET python_enable_replacements = false")


class StoredRule(NamedTuple):
    """What the command shows of a rule with a stored plan's result (its fields, as ``base.Rule`` has them)."""

    name: str
    title: str
    reference: str
    inputs: tuple[Field, ...]
    outputs: tuple[Field, ...]


def fingerprint() -> str:
    """A digest of the files a compiled plan depends on (their paths, sizes and modification times)."""
    files = sorted(p for p in RULES_DIR.rglob("*") if p.suffix in {".py", ".yaml", ".yml"})
    for package in ("ibis", "duckdb"):
        spec = importlib.util.find_spec(package)  # found, not imported
        if spec is not None and spec.origin:
            files.append(Path(spec.origin))
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def stored_file(folder: Path, rule_name: str, on: dt.date) -> Path:
    key = hashlib.sha256(f"{fingerprint()}\0{rule_name}\0{on.isoformat()}".encode()).hexdigest()
    return folder / f"{rule_name}-{key}.json"


def compute_stored(
    folder: Path, rule_name: str, on: Any, inputs: Mapping[str, Any]
) -> tuple[Result, StoredRule] | None:
    """The record's result from the stored plan of the rule and date, or None (not stored, not readable, a record
    with its own date, or refused by the plan's checks: the general way then answers, naming the field)."""
    if DATE_COLUMN in inputs:
        return None
    try:
        date = parse_date(on)
        stored = json.loads(stored_file(folder, rule_name, date).read_text(encoding="utf-8"))
        rule = stored_rule(stored["rule"])
        sql: dict[str, str] = stored["sql"]
        parameters: list[dict[str, Any]] = stored["parameters"]
    except (InvalidInput, OSError, ValueError, KeyError, TypeError):
        return None
    columns, _ = coerced(rule, [inputs])  # InvalidInput naming the field, as the general way
    row = _run(sql, [columns[f.name][0] for f in rule.inputs])
    if row is None:
        return None
    return result_of(rule, date, row, parameters), rule


def _run(sql: Mapping[str, str], values: Sequence[Any]) -> dict[str, Any] | None:
    con = raw_connection()
    try:
        con.execute(sql["create"])
        con.execute(sql["insert"], list(values))
        (violated,) = con.execute(sql["check"]).fetchall()
        if any(violated):
            return None
        cursor = con.execute(sql["result"])
        (row,) = cursor.fetchall()  # a value per column of the description
        return {d[0]: row[i] for i, d in enumerate(cursor.description)}
    finally:
        con.close()


def store(folder: Path, rule: Rule, on: dt.date) -> StoredRule:
    """Compile the plan of ``rule`` under the law of ``on`` (or take it from this process) and store it under
    ``folder``; returns the rule's stored fields. A folder that cannot be written stores nothing."""
    from paritrana.rules.one_record import plan_for

    plan = plan_for(rule.name, on)
    sql = {"create": plan.create_sql, "insert": plan.insert_sql, "check": plan.check_sql, "result": plan.result_sql}
    kept, content = rule_content(rule)
    write_whole(stored_file(folder, rule.name, on), {"rule": content, "sql": sql, "parameters": plan.parameters})
    return kept


def rule_content(rule: Rule) -> tuple[StoredRule, dict[str, Any]]:
    """What a stored plan keeps of its rule, and the same as JSON content."""
    kept = StoredRule(rule.name, rule.title, rule.reference, rule.inputs, rule.outputs)
    fields = {side: [asdict(f) for f in getattr(rule, side)] for side in ("inputs", "outputs")}
    return kept, {**kept._asdict(), **fields}


def stored_rule(content: Mapping[str, Any]) -> StoredRule:
    fields = {side: tuple(_field(f) for f in content[side]) for side in ("inputs", "outputs")}
    return StoredRule(content["name"], content["title"], content["reference"], fields["inputs"], fields["outputs"])


def write_whole(target: Path, content: Mapping[str, Any]) -> None:
    """Write ``content`` as JSON to ``target``, whole or not at all (also with two commands at once); a folder
    that cannot be written, or content that is not JSON, stores nothing."""
    try:
        text = json.dumps(content)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target.parent, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
            tmp.write(text)
        Path(tmp.name).replace(target)
    except (OSError, TypeError, ValueError):
        pass


def _field(stored: dict[str, Any]) -> Field:
    choices = stored.get("choices")
    return Field(**{**stored, "choices": tuple(choices) if choices is not None else None})

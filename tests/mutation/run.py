"""``./dev mutate [target…]``: mutation testing of the code whose mistakes cost money or leak records: the
rules, the JHT ledger, payments and allocation, the claims workflow, the scopes.

Not part of CI. Each target runs in one pytest process (``tests/mutation/plugin.py``): the tests are
loaded and run once (noting which test executes which line), then each mutant runs in a forked child
that swaps the mutated function in and runs only the tests that execute the changed lines (a sibling
mutant's killer first, then the fastest: ``selection.py``), on the in-memory SQLite test database the
child inherits. One process at a time, at a lower priority (the machines are shared).
Results are kept under ``$PARITRANA_HOME/mutation`` and resumed while the target's source and tests are
unchanged; ``--fresh`` starts again.

Prints killed / run by target and writes each survivor to ``$PARITRANA_HOME/mutation/<target>.survivors.txt``;
``docs/mutation.md`` says which are harmless. Targets are named by module path (one table, below): a module
that moves is found again by changing its row.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.mutation.mutants import mutants

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Target:
    module: str  # the dotted module mutated
    tests: tuple[str, ...]  # the tests that may run against its mutants (each mutant: those calling it)

    @property
    def file(self) -> Path:
        spec = importlib.util.find_spec(self.module)
        if spec is None or spec.origin is None:
            raise SystemExit(f"module {self.module} not found: update its row in tests/mutation/run.py")
        return Path(spec.origin)


UNIT = "tests/unit"
LEGAL = "tests/test_legal_cases.py"
# the ledger and payments share their tests: one trace (the independent invariant's random sequences are most of
# its time and reach both); each mutant still runs only the tests executing its lines
MONEY_TESTS = (
    "tests/contributions/test_contrib_ledger.py",
    "tests/contributions/test_contrib_ledger_returns.py",
    "tests/contributions/test_jht_boundaries.py",
    "tests/contributions/test_contrib_ledger_invariant.py",
    "tests/contributions/test_ledger_invariant_independent.py",
    "tests/contributions/test_ledger_pinned.py",
    "tests/contributions/test_contrib_payments.py",
    "tests/contributions/test_contrib_payments_settle.py",
    "tests/contributions/test_bank_manual.py",
    "tests/contributions/test_jht_yearly_pinned.py",
    "tests/contributions/test_payments_pinned.py",
    "tests/contributions/test_collection_start.py",
    "tests/contributions/test_allocation_edges.py",
    "tests/contributions/test_penalty_edges.py",
    "tests/contributions/test_settlement_account.py",
    "tests/contributions/test_jht_yearly_progress.py",
    "tests/contributions/test_penalty_booking_totals.py",
    "tests/contributions/test_payment_reference_race.py",
    "tests/contributions/test_jht_yearly_who.py",
    "tests/contributions/test_allocation_sources_in_turn.py",
)
# targets with the same tests run in one process (the tests traced once), in the order of this table:
# the ledger, payments and their allocation, the rules (money, parameters, base, then the formulas with
# money impact first), the claims workflow and service, the scopes
# the rules: their own tests, the legal cases (one test per case: a mutant runs the cases reaching its lines), the
# JHT date boundaries, the command line over files and stored plans, the projection's scenario over the law
# (``overlay``); the engine comparisons on Spark are left out (a forked child would share the parent's JVM
# gateway), but not their refusal of a bad engine
RULE_TESTS = (
    UNIT,
    LEGAL,
    "tests/contributions/test_jht_boundaries.py",
    "tests/test_cli.py",
    "tests/test_cli_stored_plans.py",
    "tests/projection/test_projection_model.py",
    "tests/scenarios/test_scenario_run.py",
    "tests/engines/test_engines_cli.py::test_engine_refusals_name_the_option",
)
API_MATRIX = "tests/platform/test_api_matrix.py"
WEB_MATRIX = "tests/platform/test_web_pages_matrix.py"
# the matrices hold about 2,400 rows (every role on every endpoint, 2 to 3 s each on the shared machine: over an
# hour to trace); a target takes the rows that reach it (``-k``, matched on the row's id: role, method, path)
CLAIM_DECISION_TESTS = (
    "-k",
    "not matrix or (claims and POST and (verify or approve or pay or reject))",  # the decisions' rows
    "tests/claims/test_claims_workflow.py",
    "tests/claims/test_claims_api.py",
    "tests/claims/test_claims_types.py",
    "tests/claims/test_claims_funeral.py",
    "tests/claims/test_claims_duties.py",
    "tests/claims/test_claims_letters.py",
    "tests/claims/test_claims_decisions_pinned.py",
    "tests/claims/test_claim_scope_rows.py",
    "tests/web/test_claim_pages.py",
    "tests/test_cli_claims.py",
    API_MATRIX,
    WEB_MATRIX,
)
# the scopes share one trace: each role's rows on real records across the lines, written out by hand, with the
# refused writes' absence of effect (the scope-row files), the scope builder and the payers' scope. The API
# matrix's by-id rows (``-k "api_access and GET and …"``, 200 rows) reach them too, but traced at 4 to 8 s a row
# on the shared machine they made a trace of over an hour (5 December, night): run them on a quiet machine
SCOPE_TESTS = (
    "tests/platform/test_scope_rows_registry.py",
    "tests/platform/test_scope_builder.py",
    "tests/contributions/test_contrib_scope_rows.py",
    "tests/contributions/test_contrib_scopes.py",
    "tests/claims/test_claim_scope_rows.py",
    "tests/programmes/test_programme_scope_rows.py",
)
FORMULAS = "paritrana.rules.formulas"
TARGETS: dict[str, Target] = {
    "ledger": Target("paritrana.contributions.services.ledger", MONEY_TESTS),
    "ledger.crediting": Target("paritrana.contributions.services.jht_crediting", MONEY_TESTS),
    "ledger.yearly": Target("paritrana.contributions.services.jht_yearly", MONEY_TESTS),
    # payments, and the allocation of a payment to the bills, the penalties and a run's settlement
    "payments": Target("paritrana.contributions.services.payments", MONEY_TESTS),
    "payments.allocation": Target("paritrana.contributions.services.allocation", MONEY_TESTS),
    "payments.penalties": Target("paritrana.contributions.services.penalties", MONEY_TESTS),
    "payments.settlement": Target("paritrana.contributions.services.settlement", MONEY_TESTS),
    "rules.money": Target("paritrana.rules.money", RULE_TESTS),
    "rules.parameters": Target("paritrana.rules.parameters", RULE_TESTS),
    "rules.base": Target("paritrana.rules.base", RULE_TESTS),
    "rules.pu_contributions": Target(f"{FORMULAS}.pu_contributions", RULE_TESTS),
    "rules.bpu_contributions": Target(f"{FORMULAS}.bpu_contributions", RULE_TESTS),
    "rules.construction_contributions": Target(f"{FORMULAS}.construction_contributions", RULE_TESTS),
    "rules.migrant_contributions": Target(f"{FORMULAS}.migrant_contributions", RULE_TESTS),
    "rules.late_payment_penalty": Target(f"{FORMULAS}.late_payment_penalty", RULE_TESTS),
    "rules.jht_benefits": Target(f"{FORMULAS}.jht_benefits", RULE_TESTS),
    "rules.jp_benefits": Target(f"{FORMULAS}.jp_benefits", RULE_TESTS),
    "rules.jkk_benefits": Target(f"{FORMULAS}.jkk_benefits", RULE_TESTS),
    "rules.jkm_benefit": Target(f"{FORMULAS}.jkm_benefit", RULE_TESTS),
    "rules.jkp_benefit": Target(f"{FORMULAS}.jkp_benefit", RULE_TESTS),
    "rules.scholarship": Target(f"{FORMULAS}.scholarship", RULE_TESTS),
    # the engine (``rules.engine`` only gathers these modules' names)
    "rules.values": Target("paritrana.rules.values", RULE_TESTS),
    "rules.result": Target("paritrana.rules.result", RULE_TESTS),
    "rules.overlay": Target("paritrana.rules.overlay", RULE_TESTS),
    "rules.inputs": Target("paritrana.rules.inputs", RULE_TESTS),
    "rules.checks": Target("paritrana.rules.checks", RULE_TESTS),
    "rules.batch": Target("paritrana.rules.batch", RULE_TESTS),
    "rules.one_record": Target("paritrana.rules.one_record", RULE_TESTS),
    "rules.duck": Target("paritrana.rules.duck", RULE_TESTS),
    "rules.files": Target("paritrana.rules.files", RULE_TESTS),
    "rules.fetch": Target("paritrana.rules.fetch", RULE_TESTS),
    "rules.one_stored": Target("paritrana.rules.one_stored", RULE_TESTS),
    "rules.file_stored": Target("paritrana.rules.file_stored", RULE_TESTS),
    "claims.workflow": Target("paritrana.claims.workflow", (UNIT, "tests/claims/test_claims_workflow.py")),
    # the decisions' service, through the services, the API, the pages, the command line and the matrices' claim rows
    # (the concurrency tests are PostgreSQL-only: skipped on the runner's SQLite)
    "claims.decisions": Target("paritrana.claims.services.decisions", CLAIM_DECISION_TESTS),
    # the scopes share one trace (SCOPE_TESTS: the scope rows on real records, the builder, each app's scope tests)
    "scopes.accounts": Target("paritrana.accounts.scopes", SCOPE_TESTS),
    "scopes.contributions": Target("paritrana.contributions.scopes", SCOPE_TESTS),
    "scopes.claims": Target("paritrana.claims.scopes", SCOPE_TESTS),
    "scopes.programmes": Target("paritrana.programmes.scopes", SCOPE_TESTS),
}


def _fingerprint(target: Target) -> str:
    """The mutated source and the mutants made of it: a change to either makes other results (a change to the
    mutant maker that leaves a module's mutants as they were keeps its results). Tests added later are run
    on the survivors with ``--retry``."""
    source = target.file.read_bytes()
    digest = hashlib.sha256(source)
    for mutant in mutants(source.decode("utf-8")):
        digest.update(f"{mutant.key} {mutant.unit} {mutant.describe}\n".encode())
    return digest.hexdigest()[:16]


def _tally(results: Path) -> dict[str, list[dict[str, object]]]:
    """The last result of each mutant, by outcome."""
    lines = results.read_text(encoding="utf-8").splitlines() if results.exists() else []
    last = {record["key"]: record for record in map(json.loads, filter(str.strip, lines[1:]))}
    by_outcome: dict[str, list[dict[str, object]]] = {}
    for record in last.values():
        by_outcome.setdefault(str(record["outcome"]), []).append(record)
    return by_outcome


def run(names: list[str], tests: tuple[str, ...], work: Path, fresh: bool, retry: bool, slow: float) -> None:
    """Mutate the targets ``names`` in one pytest process against ``tests``: the tests are loaded and traced
    once for all of them."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for variable in ("PARITRANA_DATABASE_URL", "PARITRANA_REQUIRE_BROWSER"):
        env.pop(variable, None)  # the in-memory SQLite database: each forked child has its own copy
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.mutation.plugin"]
    command += ["-p", "no:randomly"] if importlib.util.find_spec("pytest_randomly") else []
    command += ["--mutate-retry"] if retry else []
    command += ["--mutate-slow", str(slow)]
    for name in names:
        results = work / f"{name}.jsonl"
        if fresh:
            results.unlink(missing_ok=True)
        command += ["--mutate-module", TARGETS[name].module, "--mutate-results", str(results)]
        command += ["--mutate-fingerprint", _fingerprint(TARGETS[name])]
    subprocess.run([*command, *tests], cwd=ROOT, env=env, check=False)


def _cost(outcomes: dict[str, list[dict[str, object]]]) -> str:
    """The time a mutant took, and the tests' own time selected by line against what selecting every test
    calling the mutated function would have run."""
    timed = [r for records in outcomes.values() for r in records if "seconds" in r]
    if not timed:
        return ""
    seconds = sum(float(str(r["seconds"])) for r in timed)
    by_line = sum(float(str(r["cost"])) for r in timed)
    by_unit = sum(float(str(r["unit_cost"])) for r in timed)
    return (
        f"; {seconds / len(timed):.1f} s a mutant; tests selected by line {by_line:.0f} s"
        f" against {by_unit:.0f} s by function"
    )


def report(name: str, work: Path) -> tuple[int, int]:
    """Print the target's score and write its survivors (and the mutants not applied) to a text file."""
    target = TARGETS[name]
    outcomes = _tally(work / f"{name}.jsonl")
    killed = len(outcomes.get("killed", [])) + len(outcomes.get("timeout", []))
    survivors = outcomes.get("survived", [])
    pending = outcomes.get("pending", [])  # the fast tests passed, the slow ones not run yet: not killed
    scored = killed + len(survivors) + len(pending)
    with (work / f"{name}.survivors.txt").open("w") as out:
        for s in [*survivors, *pending, *outcomes.get("not applied", []), *outcomes.get("error", [])]:
            out.write(
                f"{target.module}:{s['line']} [{s['unit']}] {s['mutation']} ({s['outcome']}, {s['tests']} tests)\n"
            )
            out.write(f"    {s['code']}\n")
    others = {k: len(v) for k, v in outcomes.items() if k not in ("killed", "survived")}
    print(
        f"{name:22} {killed:5} / {scored:5} killed  {100 * killed / max(scored, 1):5.1f} %"
        f"  ({len(survivors)} survived; {others or 'nothing else'}){_cost(outcomes)}",
        flush=True,
    )
    return killed, scored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--fresh", action="store_true", help="start the sessions again")
    parser.add_argument("--retry", action="store_true", help="run the survivors again (after adding tests)")
    parser.add_argument("--list", action="store_true", help="list the targets and their tests")
    parser.add_argument(
        "--slow", type=float, default=30.0, help="tests slower than this (seconds) run last, on the mutants left alive"
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="TEST",
        help="run the targets against these tests (files, node ids) instead of their group's: a shorter trace "
        "when one module changed; the results join the target's",
    )
    args = parser.parse_args(argv)
    if args.list:
        for name, target in TARGETS.items():
            print(f"{name:22} {target.module} ({target.file.relative_to(ROOT)})  <- {' '.join(target.tests)}")
        return 0
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}: see --list")
    os.nice(10)  # others share the machine
    home = Path(os.environ.get("PARITRANA_HOME") or Path.home() / ".paritrana")
    work = home / "mutation"
    work.mkdir(parents=True, exist_ok=True)
    chosen = args.targets or list(TARGETS)
    groups: dict[tuple[str, ...], list[str]] = {}
    for name in chosen:
        groups.setdefault(tuple(args.tests) if args.tests else TARGETS[name].tests, []).append(name)
    for tests, names in groups.items():
        started = time.monotonic()
        run(names, tests, work, args.fresh, args.retry, args.slow)
        print(f"({', '.join(names)}: {time.monotonic() - started:.0f} s)", flush=True)
    total_killed = total = 0
    for name in chosen:
        killed, scored = report(name, work)
        total_killed += killed
        total += scored
    print(f"{'all':22} {total_killed:5} / {total:5} killed  {100 * total_killed / max(total, 1):5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())

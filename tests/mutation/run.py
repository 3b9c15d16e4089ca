"""``./dev mutate [target…]``: mutation testing (cosmic-ray) of the code whose mistakes cost money or
leak records: the rules, the JHT ledger, payments and allocation, the claims workflow, the scopes.

Not part of CI: it runs the selected tests once per mutant, one process at a time (the machines
are shared). Each target is mutated in a copy of the work tree (never in place: cosmic-ray edits
the file it mutates, and a commit made meanwhile must not pick a mutant up), with the copy's
``src`` first on the path. Sessions are kept under ``$PARITRANA_HOME/mutation`` and resumed
while the target's source and tests are unchanged; ``--fresh`` starts again.

Prints killed / total by target and writes each survivor (line, operator, diff) to
``$PARITRANA_HOME/mutation/<target>.survivors.txt``; ``docs/mutation.md`` says which are harmless.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Target:
    module: str  # the file mutated, relative to the repository
    tests: tuple[str, ...]  # the tests run against each mutant, fastest-failing first
    timeout: float = 120.0


UNIT = "tests/unit"
TARGETS: dict[str, Target] = {
    "rules.money": Target("src/paritrana/rules/money.py", (f"{UNIT}/test_money.py", f"{UNIT}/test_engine.py")),
    "rules.parameters": Target("src/paritrana/rules/parameters.py", (f"{UNIT}/test_parameters.py",)),
    "rules.base": Target("src/paritrana/rules/base.py", (UNIT,)),
    "rules.cases": Target("src/paritrana/rules/cases.py", (UNIT, "tests/test_legal_cases.py")),
    "rules.engine": Target("src/paritrana/rules/engine.py", (UNIT,)),
    "rules.jht_benefits": Target(
        "src/paritrana/rules/formulas/jht_benefits.py",
        ("tests/contributions/test_contrib_ledger_returns.py", "tests/test_legal_cases.py"),
    ),
    "ledger": Target(
        "src/paritrana/contributions/services/ledger.py",
        (
            "tests/contributions/test_contrib_ledger.py",
            "tests/contributions/test_contrib_ledger_returns.py",
            "tests/contributions/test_jht_boundaries.py",
            "tests/contributions/test_contrib_ledger_invariant.py",
            "tests/contributions/test_ledger_invariant_independent.py",
        ),
    ),
    "payments": Target(
        "src/paritrana/contributions/services/payments.py",
        (
            "tests/contributions/test_contrib_payments.py",
            "tests/contributions/test_contrib_payments_settle.py",
            "tests/contributions/test_ledger_invariant_independent.py",
        ),
    ),
    "claims": Target(
        "src/paritrana/claims/services/claims.py",
        ("tests/claims/test_claims_workflow.py", "tests/claims/test_claims_api.py"),
        timeout=240.0,
    ),
    "scopes.accounts": Target(
        "src/paritrana/accounts/scopes.py", ("tests/platform/test_api_matrix.py", "tests/platform/test_services.py")
    ),
    "scopes.contributions": Target(
        "src/paritrana/contributions/scopes.py",
        ("tests/contributions/test_contrib_scopes.py", "tests/contributions/test_contrib_api_accounts.py"),
    ),
    "scopes.claims": Target("src/paritrana/claims/scopes.py", ("tests/platform/test_api_matrix.py",)),
    "scopes.programmes": Target(
        "src/paritrana/programmes/scopes.py",
        ("tests/platform/test_api_matrix.py", "tests/programmes/test_programme_pages.py"),
    ),
}

# Mutations worth a test run: arithmetic among + - * / // %, & and | swapped (Ibis conditions),
# comparisons among == != < <= > >= (and is/in with their negations), the rest of the core set
# except the operators that insert or replace variables at random and the removal of decorators.
_BINARY = "Add|Sub|Mul|Div|FloorDiv|Mod"
_COMPARE = "Eq|NotEq|Lt|LtE|Gt|GtE"
EXCLUDED = [
    rf"core/ReplaceBinaryOperator_(?!({_BINARY})_({_BINARY})$)(?!BitAnd_BitOr$)(?!BitOr_BitAnd$).*",
    rf"core/ReplaceComparisonOperator_(?!({_COMPARE})_({_COMPARE})$)(?!Is_IsNot$)(?!IsNot_Is$)(?!In_NotIn$)(?!NotIn_In$).*",
    "core/VariableInserter",
    "core/VariableReplacer",
    "core/RemoveDecorator",
]


def _fingerprint(target: Target) -> str:
    digest = hashlib.sha256()
    for path in (target.module, *target.tests):
        for file in sorted((ROOT / path).rglob("*.py")) if (ROOT / path).is_dir() else [ROOT / path]:
            if file.exists():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _copy_tree(into: Path) -> None:
    """The files git knows (committed or not, less the ignored) copied to ``into``."""
    if into.exists():
        shutil.rmtree(into)
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)


def _config(target: Target) -> str:
    tests = " ".join(target.tests)
    command = f"{BIN / 'python'} -m pytest -x -q -p no:cacheprovider -p no:randomly {tests}"
    return "\n".join(
        [
            "[cosmic-ray]",
            f'module-path = "{target.module}"',
            f"timeout = {target.timeout}",
            "excluded-modules = []",
            f"test-command = {json.dumps(command)}",
            "[cosmic-ray.distributor]",
            'name = "local"',
            "[cosmic-ray.filters.operators-filter]",
            f"exclude-operators = {json.dumps(EXCLUDED)}",
            "",
        ]
    )


def _cosmic(tool: str, *args: str, cwd: Path, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / tool), *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


@dataclass
class Score:
    killed: int
    survived: list[dict[str, object]]
    pending: int

    @property
    def total(self) -> int:
        return self.killed + len(self.survived)


def _score(session: Path, cwd: Path, env: dict[str, str]) -> Score:
    dump = subprocess.run(
        [str(BIN / "cosmic-ray"), "dump", str(session)], cwd=cwd, env=env, check=True, capture_output=True
    ).stdout.decode()
    killed, pending, survived = 0, 0, []
    for line in dump.splitlines():
        item, result = json.loads(line)
        if result is None:
            pending += 1
            continue
        if result["worker_outcome"] == "skipped":
            continue
        if result["test_outcome"] == "survived" and result["worker_outcome"] == "normal":
            mutation = item["mutations"][0]
            survived.append(
                {
                    "line": mutation["start_pos"][0],
                    "operator": mutation["operator_name"],
                    "occurrence": mutation["occurrence"],
                    "diff": result.get("diff") or "",
                }
            )
        else:
            killed += 1  # a failing test, a timeout, or a mutant that cannot even be imported
    return Score(killed, survived, pending)


def run(name: str, target: Target, work: Path, fresh: bool) -> Score:
    env = {**os.environ, "PYTHONPATH": str(work / "tree" / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PARITRANA_REQUIRE_BROWSER", None)
    session = work / f"{name}.sqlite"
    stamp = work / f"{name}.fingerprint"
    tree = work / "tree"
    fingerprint = _fingerprint(target)
    if fresh or not session.exists() or not stamp.exists() or stamp.read_text() != fingerprint:
        session.unlink(missing_ok=True)
        (work / f"{name}.toml").write_text(_config(target))
        _cosmic("cosmic-ray", "init", str(work / f"{name}.toml"), str(session), cwd=tree, env=env)
        _cosmic("cr-filter-operators", str(session), str(work / f"{name}.toml"), cwd=tree, env=env)
        _cosmic("cr-filter-pragma", str(session), cwd=tree, env=env)
        stamp.write_text(fingerprint)
    started = time.monotonic()
    _cosmic("cosmic-ray", "exec", str(work / f"{name}.toml"), str(session), cwd=tree, env=env)
    score = _score(session, tree, env)
    with (work / f"{name}.survivors.txt").open("w") as out:
        for s in score.survived:
            out.write(f"{target.module}:{s['line']} {s['operator']} #{s['occurrence']}\n{s['diff']}\n")
    print(
        f"{name:22} {score.killed:5} / {score.total:5} killed  {100 * score.killed / max(score.total, 1):5.1f} %"
        f"  ({len(score.survived)} survived, {time.monotonic() - started:.0f} s)",
        flush=True,
    )
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--fresh", action="store_true", help="start the sessions again")
    parser.add_argument("--list", action="store_true", help="list the targets and their tests")
    args = parser.parse_args(argv)
    if args.list:
        for name, target in TARGETS.items():
            print(f"{name:22} {target.module}  <- {' '.join(target.tests)}")
        return 0
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}: see --list")
    home = Path(os.environ.get("PARITRANA_HOME") or Path.home() / ".paritrana")
    work = home / "mutation"
    work.mkdir(parents=True, exist_ok=True)
    _copy_tree(work / "tree")
    total_killed = total = 0
    for name in args.targets or list(TARGETS):
        score = run(name, TARGETS[name], work, args.fresh)
        total_killed += score.killed
        total += score.total
    print(f"{'all':22} {total_killed:5} / {total:5} killed  {100 * total_killed / max(total, 1):5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())

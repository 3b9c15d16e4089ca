"""The pytest plugin behind ``./dev mutate``: load the test session once, then one forked child per mutant.

``python -m pytest -p tests.mutation.plugin --mutate-target NAME <tests>`` replaces pytest's run loop:

1. every collected test runs once in this process with a line tracer noting which lines of the target
   modules it executes (``selection.LineTrace``) and how long it takes; a test that fails here is left
   out (and said);
2. a child forked with no mutant runs every test that reaches a target: a test failing there is left out
   (and said; the in-memory SQLite test database, fixtures and caches are the child's own copies);
3. for each mutant a child is forked: it swaps the mutated function's code object in (every reference to
   the function sees it), or, for a change run at import, runs the changed module again and copies the
   changed constants and default values over (a rule module's rules registered again from it); clears
   the process's caches; and runs only the tests that execute a line of the change (``selection``: the
   tests that killed a sibling mutant of the same function first, then the fastest), stopping at the first
   failure. Killed: a test failed or the child timed out (five times the selected tests' own traced time,
   at least 10 s). Survived: every selected test passed. A mutant that changes nothing the runner can swap
   in is "not applied" (listed, not scored).

Results are appended to ``<work>/<target>.jsonl`` as they come, so an interrupted run resumes.
"""

from __future__ import annotations

import builtins
import enum
import importlib
import json
import os
import signal
import sys
import tempfile
import threading
import time
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mutation.mutants import NEVER_RAISED, Mutant, at_import, is_rule_unit, mutants, mutated_tree, rule_of
from tests.mutation.selection import (
    Lines,
    LineTrace,
    between,
    budget,
    ordered,
    reaching,
    remember_killer,
    unit_spans,
)

KILLED, SURVIVED, TIMEOUT, NOT_APPLIED, ERROR = "killed", "survived", "timeout", "not applied", "error"
PENDING = "pending"  # the fast tests passed; the slow ones are still to run
_EXIT = {0: SURVIVED, 1: KILLED, 3: NOT_APPLIED, 4: ERROR}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mutate")
    group.addoption("--mutate-module", action="append", default=[], help="a dotted module mutated (repeatable)")
    group.addoption("--mutate-results", action="append", default=[], help="its JSON-lines results (appended)")
    group.addoption("--mutate-fingerprint", action="append", default=[], help="another fingerprint: results dropped")
    group.addoption("--mutate-retry", action="store_true", help="run the survivors (and the mutants not applied) again")
    group.addoption("--mutate-slow", type=float, default=30.0, help="tests slower than this (s) run last, on survivors")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--mutate-module"):
        return
    from hypothesis import settings

    # the same examples for every mutant (a survivor must not be luck), no example database written
    settings.register_profile("mutation", derandomize=True, database=None, deadline=None, print_blob=False)
    settings.load_profile("mutation")


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session: pytest.Session) -> bool | None:
    config = session.config
    names = config.getoption("--mutate-module")
    if not names or session.testsfailed or config.option.collectonly:
        return None
    runners = [
        Runner(session, name, Path(results), fingerprint)
        for name, results, fingerprint in zip(
            names, config.getoption("--mutate-results"), config.getoption("--mutate-fingerprint"), strict=True
        )
    ]
    _without_shipped_plans()
    items, lines, durations, uses = trace(session, [r.file for r in runners])
    builtins.__dict__[NEVER_RAISED] = type(NEVER_RAISED, (Exception,), {})
    # 2. the fork itself keeps the tests green: a test failing in a child without a mutant is left out
    reached = sorted(set().union(*(tests for by_line in lines.values() for tests in by_line.values())))
    broken = unmutated_failures(session, [items[i] for i in reached], 2 * budget(durations, reached))
    if broken:
        say(f"left out, failing in a forked child without a mutant: {', '.join(sorted(broken))}")
        gone = {i for i in reached if items[i].nodeid in broken}
        lines = {f: {n: tests - gone for n, tests in by_line.items()} for f, by_line in lines.items()}
    for phase in ("fast", "slow"):  # every target's fast tests first: the slow ones only on what they leave
        for runner in runners:
            runner.run(items, lines.get(runner.file, {}), durations, phase, uses)
    return True


def _without_shipped_plans() -> None:
    """The plans shipped in the package (decision 0035) left out for the whole run: they are used when the digest
    of the rules' files on disk matches, and a mutant is swapped in memory only, so a test through them would run
    the shipped SQL, never the mutant. ``calc --file`` then compiles (or reads a stored plan), as without them."""
    shipped = importlib.import_module("paritrana.rules.file_shipped")
    shipped.shipped_plan = lambda *args, **kwargs: None  # type: ignore[attr-defined]


def say(text: str) -> None:
    out = sys.__stdout__
    assert out is not None
    out.write(text + "\n")
    out.flush()


# 1. which tests execute which line of which module (and which rules they use)
def trace(
    session: pytest.Session, files: list[str]
) -> tuple[list[pytest.Item], dict[str, Lines], list[float], dict[str, set[int]]]:
    items = session.items
    config = session.config
    tracer = LineTrace(files)
    base = importlib.import_module("paritrana.rules.base")
    uses: dict[str, set[int]] = {}
    base.RULES = _RulesUsed(base.RULES, uses, tracer)  # type: ignore[attr-defined]
    failed: set[int] = set()
    durations: list[float] = []
    listener = _Failures()
    config.pluginmanager.register(listener, "mutate-trace")
    for i, item in enumerate(items):
        tracer.test = i
        listener.failed = False
        _fresh_process_state(connections=False)  # each test compiles the plans it uses: its formula lines seen
        started = time.monotonic()
        sys.settrace(tracer)
        threading.settrace(tracer)
        try:
            config.hook.pytest_runtest_protocol(item=item, nextitem=_next(items, i))
        finally:
            sys.settrace(None)
            threading.settrace(None)  # type: ignore[arg-type]
        durations.append(time.monotonic() - started)
        if listener.failed:
            failed.add(i)
    config.pluginmanager.unregister(listener)
    base.RULES = dict(base.RULES)  # type: ignore[attr-defined]
    if failed:
        say(f"left out, failing without a mutant: {', '.join(items[i].nodeid for i in sorted(failed))}")
    return items, tracer.without(failed), durations, {name: tests - failed for name, tests in uses.items()}


class _RulesUsed(dict[str, Any]):
    """The rule registry, noting which test looks up which rule (``get_rule``; ``all_rules`` reads them all):
    a change in a rule's declaration runs the tests that use the rule, which need not run a line of its module
    (an input refused for its bounds never reaches the formula)."""

    def __init__(self, rules: dict[str, Any], uses: dict[str, set[int]], tracer: LineTrace) -> None:
        super().__init__(rules)
        self.uses = uses
        self.tracer = tracer

    def __getitem__(self, name: str) -> Any:
        self.uses.setdefault(name, set()).add(self.tracer.test)
        return super().__getitem__(name)

    def values(self) -> Any:
        for name in self:
            self.uses.setdefault(name, set()).add(self.tracer.test)
        return super().values()


class Runner:
    def __init__(self, session: pytest.Session, module_name: str, results: Path, fingerprint: str) -> None:
        self.session = session
        self.config = session.config
        self.module = importlib.import_module(module_name)
        self.file = str(Path(self.module.__file__ or "").resolve())
        self.source = Path(self.file).read_text(encoding="utf-8")
        self.results = results
        self.fingerprint = fingerprint
        self.killers: dict[str, list[int]] = {}  # unit -> the last tests that killed one of its mutants
        registry = importlib.import_module("paritrana.rules.base").RULES
        self.rules = sorted(n for n, r in registry.items() if getattr(r.formula, "__module__", "") == module_name)
        self.import_only: set[str] = set()  # functions of a rule module run only at import (building its fields)

    def say(self, text: str) -> None:
        say(f"{self.module.__name__}: {text}")

    def reaching(self, lines: Lines, mutant: Mutant, uses: dict[str, set[int]]) -> set[int]:
        """The tests that may kill ``mutant``: those executing its lines; for a change in a rule's declaration,
        the tests using the rule; for a function of a rule module run only at import, those using its rules."""
        if is_rule_unit(mutant.unit):
            return uses.get(rule_of(mutant.unit), set()) | reaching(lines, mutant)
        if mutant.unit in self.import_only:
            return set().union(*(uses.get(name, set()) for name in self.rules))
        return reaching(lines, mutant)

    def run(
        self, items: list[pytest.Item], lines: Lines, durations: list[float], phase: str, uses: dict[str, set[int]]
    ) -> None:
        """``fast``: each mutant against the tests reaching it that take at most ``--mutate-slow`` seconds;
        ``slow``: the slower tests, on the mutants the fast ones left alive (``pending`` until then)."""
        done = self._done(retry=phase == "fast" and self.config.getoption("--mutate-retry"))
        found = mutants(self.source)
        spans = unit_spans(self.source)
        if self.rules:  # a helper no test runs after import only built the rules' fields: applied by re-running
            self.import_only = {unit for unit, span in spans.items() if not between(lines, *span)}
        reached = set().union(*lines.values()) if lines else set()
        slow = {i for i, seconds in enumerate(durations) if seconds > self.config.getoption("--mutate-slow")}
        pending = {key for key, outcome in done.items() if outcome == PENDING}
        self.say(
            f"{phase}: {len(items)} tests, {len(reached)} reach the module ({len(reached & slow)} slow);"
            f" {len(found)} mutants, {len(done)} done, {len(pending)} pending"
        )
        killers = self.killers
        started = time.monotonic()
        with self.results.open("a", encoding="utf-8") as log:
            for n, mutant in enumerate(found, 1):
                if (mutant.key in done) if phase == "fast" else (mutant.key not in pending):
                    continue
                may_kill = self.reaching(lines, mutant, uses)
                if phase == "fast":
                    selected = ordered(may_kill - slow, durations, killers.get(mutant.unit, []))
                else:
                    selected = ordered(may_kill & slow, durations, killers.get(mutant.unit, []))
                # what selecting by function (every test calling the unit) would have run, for the record
                span = spans.get(mutant.unit)
                by_unit = between(lines, *span) if span and not self._rerun(mutant) else may_kill
                began = time.monotonic()
                killer = None
                if not selected:
                    outcome = SURVIVED  # no test runs the changed line: any change survives
                else:
                    outcome, killer = self.child(mutant, items, selected, budget(durations, selected))
                if killer is not None:
                    remember_killer(killers, mutant.unit, killer)
                if phase == "fast" and outcome == SURVIVED and may_kill & slow:
                    outcome = PENDING
                    pending.add(mutant.key)
                record = {"key": mutant.key, "line": mutant.line, "unit": mutant.unit}
                record |= {"mutation": mutant.describe, "outcome": outcome, "phase": phase}
                record |= {"tests": len(selected), "code": self._line(mutant.line)}
                record |= {
                    "seconds": round(time.monotonic() - began, 2),
                    "cost": round(sum(durations[i] for i in selected), 2),
                    "unit_tests": len(by_unit),
                    "unit_cost": round(sum(durations[i] for i in by_unit), 2),
                    "killer": items[killer].nodeid if killer is not None else None,
                }
                log.write(json.dumps(record) + "\n")
                log.flush()
                if n % 10 == 0 or outcome == SURVIVED:
                    mark = f"SURVIVED line {mutant.line} {mutant.describe}" if outcome == SURVIVED else ""
                    self.say(f"  {phase} [{n}/{len(found)}, {time.monotonic() - started:.0f} s] {mark}")

    def _line(self, number: int) -> str:
        lines = self.source.splitlines()
        return lines[number - 1].strip() if 0 < number <= len(lines) else ""

    def _done(self, retry: bool) -> dict[str, str]:
        """The last outcome of each mutant already run (those to run again on ``--retry`` left out)."""
        if not self.results.exists():
            self.results.write_text(json.dumps({"fingerprint": self.fingerprint}) + "\n")
            return {}
        lines = self.results.read_text(encoding="utf-8").splitlines()
        if not lines or json.loads(lines[0]).get("fingerprint") != self.fingerprint:
            self.results.write_text(json.dumps({"fingerprint": self.fingerprint}) + "\n")
            return {}
        last = {record["key"]: record["outcome"] for record in map(json.loads, filter(str.strip, lines[1:]))}
        again = (SURVIVED, NOT_APPLIED, ERROR, PENDING)  # on --retry: run from the fast tests again
        return {key: outcome for key, outcome in last.items() if not (retry and outcome in again)}

    # 3. one child per mutant
    def child(
        self, mutant: Mutant, items: list[pytest.Item], selected: list[int], limit: float
    ) -> tuple[str, int | None]:
        """The outcome, and the index of the test that failed (if one did)."""
        sys.stdout.flush()
        sys.stderr.flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 4
            try:
                os.close(read)
                code = self._in_child(mutant, items, selected, write)
            finally:
                os._exit(code)
        os.close(write)
        deadline = time.monotonic() + limit
        try:
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    code = os.waitstatus_to_exitcode(status)
                    said = os.read(read, 64).decode().strip()
                    return _EXIT.get(code, KILLED if code > 0 else ERROR), int(said) if said else None
                if time.monotonic() > deadline:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    return TIMEOUT, None
                time.sleep(0.02)
        finally:
            os.close(read)

    def _in_child(self, mutant: Mutant, items: list[pytest.Item], selected: list[int], report: int) -> int:
        _quiet()
        try:
            applied = self._apply(mutant)
        except DoesNotImport:
            return 1  # killed, as a module that no longer imports
        except Exception:
            return 4
        if not applied:
            return 3
        _fresh_process_state()
        listener = _Failures()
        self.config.pluginmanager.register(listener, "mutate-child")
        tests = [items[i] for i in selected]
        self.session._setupstate.teardown_exact(tests[0])
        for i, item in enumerate(tests):
            self.config.hook.pytest_runtest_protocol(
                item=item, nextitem=tests[i + 1] if i + 1 < len(tests) else item.parent
            )
            if listener.failed:
                os.write(report, str(selected[i]).encode())
                return 1
        return 0

    def _apply(self, mutant: Mutant) -> bool:
        code = compile(mutated_tree(self.source, mutant), self.file, "exec")
        if not self._rerun(mutant):
            wanted = [c for c in _code_objects(code) if c.co_qualname == mutant.unit]
            swapped = False
            for function in _functions(self.module, self.file):
                for new in wanted:
                    if function.__code__.co_firstlineno == new.co_firstlineno and function.__code__ is not new:
                        function.__code__ = new
                        swapped = True
            return swapped
        return _rerun_module(self.module, code)

    def _rerun(self, mutant: Mutant) -> bool:
        """Applied by running the changed module again (a change run at import), not by swapping code."""
        return at_import(mutant.unit) or mutant.unit in self.import_only


class _Failures:
    def __init__(self) -> None:
        self.failed = False
        self.nodeids: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed = True
            self.nodeids.add(report.nodeid)


def unmutated_failures(session: pytest.Session, tests: list[pytest.Item], budget: float) -> set[str]:
    """The tests that fail in a forked child without any mutant (run to the end, not stopped at the first)."""
    if not tests:
        return set()
    with tempfile.NamedTemporaryFile("r", suffix=".json") as report:
        pid = os.fork()
        if pid == 0:
            code = 4
            try:
                _quiet()
                _fresh_process_state()
                listener = _Failures()
                session.config.pluginmanager.register(listener, "mutate-unmutated")
                session._setupstate.teardown_exact(tests[0])
                for i, item in enumerate(tests):
                    nextitem = tests[i + 1] if i + 1 < len(tests) else item.parent
                    session.config.hook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                Path(report.name).write_text(json.dumps(sorted(listener.nodeids)))
                code = 0
            finally:
                os._exit(code)
        deadline = time.monotonic() + budget
        while not os.waitpid(pid, os.WNOHANG)[0]:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise pytest.UsageError("the tests time out in a forked child without a mutant")
            time.sleep(0.05)
        text = Path(report.name).read_text()
        if not text:
            raise pytest.UsageError("the tests crash in a forked child without a mutant: fix that first")
        return set(json.loads(text))


def _quiet() -> None:
    """A child's output goes nowhere (or to ``$MUTATE_CHILD_LOG``, to see why a child fails)."""
    quiet = os.open(os.environ.get("MUTATE_CHILD_LOG", os.devnull), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)


def _next(items: list[pytest.Item], i: int) -> Any:
    # the last test's module and session stay set up: the children run after it
    return items[i + 1] if i + 1 < len(items) else items[i].parent


def _code_objects(code: types.CodeType) -> Iterator[types.CodeType]:
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield const
            yield from _code_objects(const)


def _functions(module: types.ModuleType, file: str) -> Iterator[types.FunctionType]:
    """Every function of ``module`` defined in ``file``: module functions, methods (static, class,
    properties), and what decorators wrap (``__wrapped__``)."""
    seen: set[int] = set()

    def expand(value: Any, depth: int = 0) -> Iterator[types.FunctionType]:
        if id(value) in seen or depth > 6:
            return
        seen.add(id(value))
        if isinstance(value, staticmethod | classmethod):
            yield from expand(value.__func__, depth + 1)
        elif isinstance(value, property):
            for accessor in (value.fget, value.fset, value.fdel):
                if accessor is not None:
                    yield from expand(accessor, depth + 1)
        elif isinstance(value, type) and getattr(value, "__module__", None) == module.__name__:
            for member in list(vars(value).values()):
                yield from expand(member, depth + 1)
        elif isinstance(value, types.FunctionType) and value.__code__.co_filename == file:
            yield value
        wrapped = getattr(value, "__wrapped__", None) if not isinstance(value, type) else None
        if wrapped is not None:
            yield from expand(wrapped, depth + 1)

    for value in list(vars(module).values()):
        yield from expand(value)


def _plain(value: Any) -> bool:
    return isinstance(value, int | float | str | bytes | tuple | frozenset | dict | list | set) or type(
        value
    ).__module__ in ("decimal", "datetime")


def _differs(old: Any, new: Any) -> bool:
    try:
        return type(old) is not type(new) or bool(old != new)
    except Exception:
        return False


class DoesNotImport(Exception):
    """The mutated module raises when it is run."""


def _rerun_module(module: types.ModuleType, code: types.CodeType) -> bool:
    """Run the changed module in a namespace of its own and copy over what changed: plain module and class
    values (also where other modules imported them under the same name) and functions' default values."""
    namespace: dict[str, Any] = {"__name__": module.__name__, "__file__": module.__file__}
    namespace |= {"__package__": module.__package__, "__builtins__": builtins}
    file = module.__file__ or ""
    registered = _unregister_rules(module)  # a rule registers its name once: its module's rules are let go
    try:  # a module that cannot run twice cannot take such a mutant
        exec(compile(Path(file).read_text(encoding="utf-8"), file, "exec"), dict(namespace))
    except Exception:
        return False
    _unregister_rules(module)
    try:
        exec(code, namespace)
    except Exception as error:
        raise DoesNotImport from error
    # the module's rules are now the mutated module's (its constants, its helpers, its `@rule` fields)
    changed = bool(registered)
    old_functions = {(f.__qualname__, f.__code__.co_firstlineno): f for f in _functions(module, file)}
    fake = types.ModuleType(module.__name__)
    fake.__dict__.update(namespace)
    for new in _functions(fake, file):
        old = old_functions.get((new.__qualname__, new.__code__.co_firstlineno))
        if old is None:
            continue
        for attribute in ("__defaults__", "__kwdefaults__"):
            if _differs(getattr(old, attribute), getattr(new, attribute)):
                setattr(old, attribute, getattr(new, attribute))
                changed = True
    for name, new_value in namespace.items():
        old_value = module.__dict__.get(name)
        if name.startswith("__") or old_value is None:
            continue
        if isinstance(old_value, type) and issubclass(old_value, enum.Enum):
            continue  # members cannot be reassigned (and a number among them is a code, not a quantity)
        if isinstance(old_value, type) and isinstance(new_value, type):
            for attr, value in vars(new_value).items():
                if not attr.startswith("__") and _plain(value) and _differs(vars(old_value).get(attr), value):
                    setattr(old_value, attr, value)
                    changed = True
            init_old, init_new = vars(old_value).get("__init__"), vars(new_value).get("__init__")
            has_defaults = init_old is not None and init_new is not None and hasattr(init_old, "__defaults__")
            if has_defaults and _differs(init_old.__defaults__, init_new.__defaults__):
                init_old.__defaults__ = init_new.__defaults__
                changed = True
        elif _plain(new_value) and _differs(old_value, new_value):
            for other in list(sys.modules.values()):
                if getattr(other, name, None) is old_value and other is not None:
                    setattr(other, name, new_value)
            changed = True
    return changed


def _unregister_rules(module: types.ModuleType) -> dict[str, Any]:
    """Take the rules ``module`` registered out of the rule registry (the child's copy): running the
    module again registers them anew, from the mutated code."""
    registry = getattr(sys.modules.get("paritrana.rules.base"), "RULES", None)
    if not isinstance(registry, dict):
        return {}
    mine = {n: r for n, r in registry.items() if getattr(r.formula, "__module__", None) == module.__name__}
    for name in mine:
        del registry[name]
    return mine


_KEPT: list[object] = []


def _fresh_process_state(connections: bool = True) -> None:
    """Caches emptied (``functools`` caches, dicts named as plans or caches: a mutant must be run, not
    remembered) and thread-local connections dropped
    (DuckDB's threads do not survive a fork: the child opens its own).

    Also before each test of the trace, connections kept: a rule's formula runs when its plan is compiled,
    once per rule and date, so a test finding the plan compiled by an earlier test would not be seen running
    the formula's lines, and would not be chosen for its mutants."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("paritrana") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
            elif isinstance(value, dict) and ("plan" in attr.lower() or "cache" in attr.lower()):
                if connections:
                    _KEPT.append(dict(value))  # never freed in the child (see below)
                value.clear()  # compiled plans: built again from the mutated code
            elif connections and isinstance(value, threading.local):
                _KEPT.append(value)  # never freed here: closing a connection whose threads are gone crashes
                setattr(module, attr, threading.local())

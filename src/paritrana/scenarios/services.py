"""Reform scenarios for a person: who may write and run them, saving a version, and a run over a month or a
calendar year (decision 0046: the year's twelve months computed one after the other into one table of lines, each
worker's change its yearly total).

**Who** (as the projection, decision 0024): the policy analyst and the agency administrator, nation-wide and
aggregated figures only — a run keeps roll-ups, never a person's row; every other role is ``NotAllowed``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.core import background, progress, progress_store
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.messages import translate_message
from paritrana.programmes.models import Programme
from paritrana.projection import services as projection
from paritrana.rules import engines
from paritrana.rules.errors import ParameterError
from paritrana.rules.parameters import load_parameters
from paritrana.scenarios import benefits, compute, definition, periods, rollup, sources
from paritrana.scenarios.models import Scenario, ScenarioRun

ANALYSTS = frozenset({Role.POLICY_ANALYST, Role.ADMIN})
Progress = Callable[[str, int, int], None]
logger = logging.getLogger(__name__)

# the stages of a run as its page shows them (core.progress)
QUEUED = progress.Stage("queued", gettext_noop("Waiting to start"))
STAGES = {
    "read": progress.Stage("read", gettext_noop("Reading the registry's month: {done} rows")),
    "compute": progress.Stage("compute", gettext_noop("Computing the contributions under the law and the reform")),
    "month": progress.Stage("month", gettext_noop("Computing month {done} of {total} under the law and the reform")),
    "rollup": progress.Stage("rollup", gettext_noop("Adding up by region and group")),
}
UNEXPECTED = gettext_noop("the computation stopped on an unexpected error; the server's log has the details")
STOPPED = gettext_noop("the server stopped before the run was done; run it again")


class Operator:
    """The operator of the server at its command line (``paritrana scenario …``): no user, every scenario."""


OPERATOR = Operator()
Caller = AnyUser | Operator | None


def can_analyse(user: Caller) -> bool:
    if isinstance(user, Operator):
        return True
    return role_of(user) in ANALYSTS


def require_analyst(user: Caller) -> None:
    if not can_analyse(user):
        raise NotAllowed(_("reform scenarios are for policy analysts and administrators"))


def scenarios(user: Caller) -> list[Scenario]:
    require_analyst(user)
    return list(Scenario.objects.all())


def scenario(user: Caller, scenario_id: int) -> Scenario:
    require_analyst(user)
    found = Scenario.objects.filter(pk=scenario_id).first()
    if found is None:
        raise NotFound(_("no such scenario"))
    return found


def _checked(text: str) -> None:
    try:
        definition.read(text, load_parameters())
    except ParameterError as err:
        raise ValidationFailed("parameters", str(err)) from None


@transaction.atomic
def save(user: Caller, name: str, description: str, text: str) -> Scenario:
    """A new scenario, or a new version of the one of that name (its earlier versions kept in its history)."""
    require_analyst(user)
    name, description = name.strip(), description.strip()
    if not name:
        raise ValidationFailed("name", _("a scenario needs a name"))
    if not description:
        raise ValidationFailed("description", _("say what the scenario changes and why"))
    _checked(text)
    author = _person(user)
    existing = Scenario.objects.select_for_update().filter(name=name).first()
    if existing is None:
        return Scenario.objects.create(name=name, description=description, parameters=text, author=author)
    existing.description, existing.parameters, existing.author = description, text, author
    existing.version += 1
    existing.save()
    return existing


def _person(user: Caller) -> Any:
    return user if getattr(user, "pk", None) else None


def by_name(user: Caller, name: str) -> Scenario:
    require_analyst(user)
    found = Scenario.objects.filter(name=name).first()
    if found is None:
        raise NotFound(_("no scenario named %(name)s") % {"name": name})
    return found


def compute_source(
    source: sources.Source, period: dt.date, span: str, engine: str, text: str, say: Progress | None = None
) -> dict[str, Any]:
    """The roll-ups of a scenario over a month or a year of ``source``: each month's lines under both sides added
    to one kept table as the month is read (a month's inputs are let go before the next is read), then the cubes
    of them all. A year's progress counts its months; a month's, the rows read."""
    say = say or (lambda stage, done, total: None)
    law = load_parameters()
    own = definition.read(text, law)
    reform = definition.reform(law, own)
    months = periods.months(period, span)
    read = 0

    def fetched(rows: int) -> None:
        nonlocal read
        read += rows
        say("read", read, 0)

    # on DuckDB every month's inputs under the same names (compute.Months runs one query over each); on Spark each
    # month's own (replacing a view Spark uncaches what was computed from it: the months kept before)
    name = f"_scenario_in_{uuid.uuid4().hex[:12]}" if engine == "duckdb" else None
    with compute.kept() as lines, compute.months_of(months, law, reform) as plan:
        for done, month in enumerate(months):
            if span == periods.YEAR:
                say("month", done, len(months))
            with source.inputs(month, engine, fetched if span == periods.MONTH else None, name) as inputs:
                if span == periods.MONTH:
                    say("compute", 0, 1)
                lines.add_sql(*plan.lines(inputs.pu, inputs.bpu, month))
                if month == months[-1]:  # the people are the registry's (or snapshot's) now, the same every month
                    cubes = compute.fetched_cubes(lines.table(), inputs.people, period)
    if span == periods.YEAR:
        say("month", len(months), len(months))
    say("rollup", 0, 0)
    return summary(*cubes, law, own, period, span)


def summary(
    programmes: Any, people: Any, payers: Any, law: Any, own: Any, period: dt.date, span: str = periods.MONTH
) -> dict[str, Any]:
    by = {}
    for dimension in compute.DIMENSIONS:
        counts = {row[dimension]: row for row in rollup.people(people, [dimension])}
        by[dimension] = [
            {**row, **{k: counts.get(row[dimension], {}).get(k, 0) for k in rollup.PEOPLE}}
            for row in rollup.money(programmes, [dimension])
        ]
    return {
        "period": period.isoformat(),
        "span": span,
        "programmes": rollup.money(programmes, ["programme"]),
        "total": (rollup.money(programmes, []) or [{}])[0],
        "workers": (rollup.people(people, []) or [{}])[0],
        "by": by,
        "jkm_by_province": rollup.money(programmes, ["province"], programme="JKM"),
        "payers": rollup.payers(payers),
        "budgets": _budgets(rollup.payers(payers, ("payer_kind", "party_id"))),
        "changes": [_plain({**vars(c), "proposed": c.proposed}) for c in definition.changes(law, own)],
    }


def _plain(value: Any) -> Any:
    """A parameter's value as JSON keeps it: a rate as its exact decimal text, a date in ISO."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _budgets(per_payer: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each regional programme's cost in the period under both sides, and how many workers its budget covers for
    a year at the period's cost per worker-month (the package price) times twelve: for a month, its cost per
    worker; for a year, the year's cost over the months its workers were covered, so a price changed mid-year
    counts for the months it applies."""
    sponsors = {row["party_id"]: row for row in per_payer if row["payer_kind"] == "sponsor"}
    out = []
    for programme in Programme.objects.filter(sponsor_id__in=list(sponsors)).select_related("sponsor"):
        row = sponsors[programme.sponsor_id]
        worker_months = int(row["worker_months"])
        entry = {"programme": programme.name, "year": programme.budget_year, "budget": programme.budget_amount}
        for side in compute.SIDES:
            cost = int(row[f"{side}_payer"])
            entry[f"{side}_cost"] = cost
            entry[f"{side}_covered"] = programme.budget_amount * worker_months // (cost * 12) if cost > 0 else None
        out.append(entry)
    return sorted(out, key=lambda e: str(e["programme"]))


def _new_run(
    user: Caller, scenario_id: int, period: dt.date, engine: str, status: str, source: sources.Source, span: str
) -> ScenarioRun:
    found = scenario(user, scenario_id)
    if span not in periods.SPANS:
        raise ValidationFailed("span", _("a run is over a month or a year"))
    if not periods.is_first_day(period, span):
        raise ValidationFailed(span, _("a month is given by its first day, a year by its 1 January"))
    engines.check_engine(engine)
    return ScenarioRun.objects.create(
        scenario=found, version=found.version, parameters=found.parameters, period=period, span=span,
        engine=engine, source=source.label, started_by=_person(user), status=status,
    )  # fmt: skip


def _compute(record: ScenarioRun, say: Progress, source: sources.Source) -> None:
    """Compute the run and keep it: done with its roll-ups, or failed on a scenario the law no longer takes."""
    source.check(record.period, record.span)
    try:
        record.results = compute_source(source, record.period, record.span, record.engine, record.parameters, say)
        payments = source.payments(record.period, periods.last_day(record.period, record.span))
        if payments is not None:  # (a snapshot exported before it held the benefit payments has none)
            record.results["benefits"] = benefits.of_scenario(record.period, record.parameters, payments)
        # the JP and JHT funds under the reform (projected from the registry), kept with the run: its page and brief
        # read them back
        record.results["fund"] = projection.for_scenario(record.parameters)
        record.status = ScenarioRun.Status.DONE
    except ParameterError as err:
        record.status, record.error = ScenarioRun.Status.FAILED, str(err)
    record.finished_at = timezone.now()
    record.save()


def run(
    user: Caller,
    scenario_id: int,
    period: dt.date,
    engine: str = engines.DEFAULT_ENGINE,
    progress: Progress | None = None,
    source: sources.Source | None = None,
    span: str = periods.MONTH,
) -> ScenarioRun:
    """Run a scenario's current version over a month (or, ``span`` year, the calendar year from ``period``, its
    1 January) of ``source`` (the registry by default, or a snapshot), now; the run is kept, failed or done."""
    source = source or sources.RegistrySource()
    source.check(period, span)
    record = _new_run(user, scenario_id, period, engine, ScenarioRun.Status.RUNNING, source, span)
    _compute(record, progress or (lambda stage, done, total: None), source)
    if record.status == ScenarioRun.Status.FAILED:
        raise ValidationFailed("parameters", record.error)
    return record


def start(
    user: Caller, scenario_id: int, period: dt.date, engine: str = engines.DEFAULT_ENGINE, span: str = periods.MONTH
) -> ScenarioRun:
    """The run of a scenario over a month or a year, queued: it is computed in the background once the caller's
    transaction commits (``background.after_commit``), its stages written to its progress record, which its
    starter's page polls (``run.progress_token``)."""
    source = sources.RegistrySource()
    record = _new_run(user, scenario_id, period, engine, ScenarioRun.Status.QUEUED, source, span)
    token = progress_store.new_token()
    if progress_store.start(user, token) is not None:
        progress_store.finish(token, QUEUED)
        record.progress_token = token
        record.save(update_fields=["progress_token"])
    background.after_commit(execute, record.pk, name=f"scenario-run-{record.pk}")
    return record


def execute(run_id: int) -> None:
    """Compute a queued run (in the background thread): running, then done or failed with its reason in
    English (its page shows it in the reader's language); any other error is logged and named as unexpected."""
    record = ScenarioRun.objects.get(pk=run_id)
    record.status = ScenarioRun.Status.RUNNING
    record.save(update_fields=["status"])
    token = record.progress_token
    tracker = progress.Tracker(progress_store.RecordSink(token) if token else None)
    try:
        with translation.override("en"):
            _compute(record, _stages(tracker), sources.RegistrySource())
    except Exception:
        logger.exception("scenario run %s failed", run_id)
        record.status, record.error = ScenarioRun.Status.FAILED, UNEXPECTED
        record.finished_at = timezone.now()
        record.save()
    if token:
        done = record.status == ScenarioRun.Status.DONE
        progress_store.finish(token, progress_store.DONE if done else progress_store.FAILED)


def failure_reason(record: ScenarioRun) -> str:
    """Why a failed run stopped, in the active language (stored in English: a message key, or the law's reason)."""
    return translate_message(_(record.error or UNEXPECTED))


def abandon_unfinished() -> int:
    """Runs left queued or running by a server that stopped (their threads stopped with it) are failed, saying so;
    how many. ``paritrana serve`` calls it as it starts, when none of its own runs can be under way."""
    unfinished = ScenarioRun.objects.filter(status__in=[ScenarioRun.Status.QUEUED, ScenarioRun.Status.RUNNING])
    tokens = list(unfinished.exclude(progress_token="").values_list("progress_token", flat=True))
    count = unfinished.update(status=ScenarioRun.Status.FAILED, error=STOPPED, finished_at=timezone.now())
    for token in tokens:
        progress_store.finish(token, progress_store.FAILED)
    return count


def _stages(tracker: progress.Tracker) -> Progress:
    """The run's ``progress(stage, done, total)`` written through ``tracker``, a stage at a time."""

    def say(stage: str, done: int, total: int) -> None:
        if tracker.stage.key != stage:
            tracker.begin(STAGES[stage], total or None)
        tracker.advance(done)

    return say

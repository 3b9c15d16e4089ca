"""The long-term projection for a person: who may run it, the registry's (or a snapshot's) starting cells and
funds, the run, and the registry's actual figures of the last year against the projection's first.

**Who** (decision 0024): the policy analyst and the agency administrator (nation-wide, aggregated figures
only); every other role is ``NotAllowed`` (403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.claims.models import BenefitPayment, Claim, Status
from paritrana.claims.services.payouts import first_pension_month
from paritrana.claims.types import TYPES
from paritrana.contributions.models import Bill, BillLine, JhtEntry
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.coverage.snapshot import ProducedTable
from paritrana.projection import assumptions, cells, model, present
from paritrana.projection.engine import Progress
from paritrana.registry.models import Membership, Worker
from paritrana.rules.errors import ParameterError
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import ParameterSet, load_parameter_text

ANALYSTS = frozenset({Role.POLICY_ANALYST, Role.ADMIN})
JP_PENSIONS = ("jp_old_age", "jp_survivor")
PROGRAMMES = ("JP", "JHT")
MAX_HORIZON = 100
START_YEARS = (2016, 2100)  # the first projected year: from the JP's first years of payment to the API's bound


def can_project(user: AnyUser | None) -> bool:
    return role_of(user) in ANALYSTS


def require_analyst(user: AnyUser | None) -> None:
    if not can_project(user):
        raise NotAllowed(_("the long-term projection is for policy analysts and administrators"))


@dataclass(frozen=True)
class Actual:
    """The registry's figures of one year for a programme: contributions billed, benefits paid."""

    year: int
    months: int  # months of the year with billed contributions
    contributions: int
    benefits: int
    benefit_months: int = 0  # months of the year with benefits due

    @property
    def annualised_contributions(self) -> int:
        return self.contributions * 12 // self.months if self.months else 0


@dataclass
class Report:
    projection: model.Projection
    source: str  # "registry" or the snapshot's folder
    actuals: dict[str, Actual]
    scenario: str | None
    # the survivors' pensions in payment at the start whose recipient's age is recorded, and those assumed
    heir_ages: dict[str, int] = field(default_factory=lambda: {"recorded": 0, "assumed": 0})


def last_billed_year() -> int | None:
    last = Bill.objects.filter(kind=Bill.Kind.CONTRIBUTION).aggregate(m=Max("period"))["m"]
    return last.year if last else None


def actuals(year: int) -> dict[str, Actual]:
    """The contributions billed (contribution and adjustment lines; JP is the wage earners', JHT the wage
    earners' and the self-employed's) and the benefits paid (instructions due) in ``year``."""
    lines = BillLine.objects.filter(bill__period__year=year, kind__in=("contribution", "adjustment"))
    out = {}
    for programme in PROGRAMMES:
        mine = lines.filter(programme=programme)
        months = mine.values("bill__period").distinct().count()
        types = [code for code, t in TYPES.items() if t.programme == programme]
        paid = BenefitPayment.objects.filter(due_on__year=year, claim__claim_type__in=types)
        out[programme] = Actual(
            year,
            months,
            int(mine.aggregate(s=Sum("amount"))["s"] or 0),
            int(paid.aggregate(s=Sum("amount"))["s"] or 0),
            paid.values_list("due_on__month", flat=True).distinct().count(),
        )
    return out


def registry_funds(on: dt.date) -> tuple[int, int]:
    """The funds as the registry knows them on ``on``: JP contributions billed less JP benefits paid; the JHT
    ledger's balances."""
    jp_in = BillLine.objects.filter(
        programme="JP", bill__period__lt=on, kind__in=("contribution", "adjustment")
    ).aggregate(s=Sum("amount"))["s"]
    types = [code for code, t in TYPES.items() if t.programme == "JP"]
    jp_out = BenefitPayment.objects.filter(due_on__lt=on, claim__claim_type__in=types).aggregate(s=Sum("amount"))["s"]
    jht = JhtEntry.objects.filter(value_date__lt=on).aggregate(s=Sum("amount"))["s"]
    return int(jp_in or 0) - int(jp_out or 0), int(jht or 0)


def _registry_tables(on: dt.date) -> dict[str, pa.Table]:
    """The few columns the cells need, streamed from the database (decision 0024: the registry's size; the
    national scale goes through a snapshot)."""
    members = Membership.objects.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on, programme__in=PROGRAMMES)
    workers = Worker.objects.filter(pk__in=members.values("worker_id"))

    def table(qs: object, names: tuple[str, ...], fields: tuple[str, ...]) -> pa.Table:
        rows = list(qs.values_list(*fields).iterator(chunk_size=5000))  # type: ignore[attr-defined]
        return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})

    line_qs = BillLine.objects.filter(programme="JP", kind="contribution", worker_id__isnull=False)
    return {
        "worker": table(workers, cells.COLUMNS["worker"], ("id", "birth_date", "sex", "scheme", "wage")),
        "membership": table(members, cells.COLUMNS["membership"], ("worker_id", "programme", "start", "end")),
        "line": table(line_qs, cells.COLUMNS["line"], ("worker_id", "programme", "kind", "wage")),
        "jht_entry": table(JhtEntry.objects.all(), cells.COLUMNS["jht_entry"], ("worker_id", "value_date", "amount")),
        "pension": pensions_in_payment(on),
    }


def _paid_pensions() -> Any:
    return Claim.objects.filter(status=Status.PAID, monthly_amount__gt=0, claim_type__in=JP_PENSIONS)


def paid_pension_batches(chunk: int = 5000) -> Iterator[pa.Table]:
    """Every JP pension the registry has paid (claims paid with a monthly amount), as tables of
    ``cells.PENSION_SCHEMA`` of at most ``chunk`` rows: the kind (old age, or the survivor's recipient), the
    participant's birth date and sex, the amount, the first month paid, and a children's pension's recorded age
    (``recorded_children``)."""
    fields = ("claim_type", "inputs", "outputs", "event_date", "submitted_on", "monthly_amount", "worker_id",
              "worker__birth_date", "worker__sex")  # fmt: skip
    claims: list[Claim] = []
    for claim in _paid_pensions().select_related("worker").only(*fields).order_by("pk").iterator(chunk_size=chunk):
        claims.append(claim)
        if len(claims) == chunk:
            yield _pension_table(claims)
            claims = []
    if claims:
        yield _pension_table(claims)


def recorded_children(worker_ids: Iterable[int]) -> dict[int, dt.date]:
    """The elder child's birth date of each participant whose children the registry records: those listed, with
    their birth certificates, by an approved or paid scholarship claim (the registry records no other heir's age:
    neither a widow(er)'s nor a parent's; decision 0044). The projection's children's pension is one per family,
    aged as the elder child (decision 0039)."""
    found: dict[int, dt.date] = {}
    listed = Claim.objects.filter(claim_type="scholarship", worker_id__in=list(worker_ids),
                                  status__in=(Status.APPROVED, Status.PAID))  # fmt: skip
    for worker_id, inputs in listed.values_list("worker_id", "inputs").iterator(chunk_size=2000):
        for child in inputs.get("children") or ():
            born = dt.date.fromisoformat(str(child["birth_date"]))
            found[worker_id] = min(found.get(worker_id, born), born)
    return found


def _pension_table(claims: list[Claim]) -> pa.Table:
    children = recorded_children(c.worker_id for c in claims if c.inputs.get("recipient") == "child")
    rows = []
    for claim in claims:
        kind = "old_age" if claim.claim_type == "jp_old_age" else str(claim.inputs.get("recipient"))
        recipient = children.get(claim.worker_id) if kind == "child" else None
        worker = claim.worker
        rows.append((kind, worker.birth_date, worker.sex, claim.monthly_amount, first_pension_month(claim), recipient))
    schema = cells.PENSION_SCHEMA
    return pa.Table.from_arrays(
        [pa.array([r[i] for r in rows], type=f.type) for i, f in enumerate(schema)], schema=schema
    )


def pensions_in_payment(on: dt.date) -> pa.Table:
    """The JP pensions the registry pays on ``on``: those paid whose first month is before it."""
    paid = pa.concat_tables([cells.PENSION_SCHEMA.empty_table(), *paid_pension_batches()])
    return paid.filter(pc.less(paid["first_month"], pa.scalar(on, pa.date32())))


# the snapshot's ``pension`` table (``paritrana snapshot export``, decision 0044): every pension paid, with its first
# month, so that a projection from the snapshot takes the pensions in payment on its first day as the registry's
PENSION_TABLE = ProducedTable("pension", cells.PENSION_SCHEMA, lambda: _paid_pensions().count(), paid_pension_batches)


def run(
    user: AnyUser | None,
    *,
    start_year: int | None = None,
    horizon: int = model.HORIZON,
    scenario: Path | None = None,
    snapshot: Path | None = None,
    jp_fund: int | None = None,
    jht_fund: int | None = None,
    progress: Progress | None = None,
    command_line: bool = False,
) -> Report:
    """Run the projection from the registry (or ``snapshot``), with the baseline or ``scenario``'s overrides.
    ``command_line``: run by the operator of the server (``paritrana projection run``), no user."""
    if not command_line:
        require_analyst(user)
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValidationFailed("horizon", _("must be between 1 and %(n)s years") % {"n": MAX_HORIZON})
    if start_year is not None and not START_YEARS[0] <= start_year <= START_YEARS[1]:
        first, last = START_YEARS
        raise ValidationFailed(
            "start_year", _("must be a year from %(first)s to %(last)s") % {"first": first, "last": last}
        )
    try:
        params = assumptions.with_scenario(scenario)
    except (ParameterError, OSError) as err:
        raise ValidationFailed("scenario", str(err)) from None
    report = _project(params, start_year, horizon, snapshot, (jp_fund, jht_fund), progress)
    report.scenario = scenario.name if scenario else None
    return report


def _project(
    params: ParameterSet,
    start_year: int | None,
    horizon: int,
    snapshot: Path | None,
    funds_given: tuple[int | None, int | None] = (None, None),
    progress: Progress | None = None,
) -> Report:
    """The projection with ``params`` (whoever asks has been checked by the caller)."""
    billed = last_billed_year()
    start = start_year or (billed + 1 if billed else dt.date.today().year)
    on = dt.date(start, 1, 1)
    limits = model.band_limits(params, start)
    accrual = float(params["jp.accrual_rate"].at(on).value)
    gap = params["projection.generation_gap"]
    family = (int(gap.at(max(on, gap.first_effective)).value), int(params["jp.child_age_limit"].at(on).value))
    if snapshot is not None:
        begin = cells.from_snapshot(snapshot, on, limits, accrual, family)
        national = params["projection.start_fund"].at(max(on, params["projection.start_fund"].first_effective))
        funds = (int(national.value["jp"]), int(national.value["jht"]))
    else:
        begin = cells.from_tables(_registry_tables(on), on, limits, accrual, family)
        funds = registry_funds(on)
    jp_fund, jht_fund = (given if given is not None else found for given, found in zip(funds_given, funds, strict=True))
    try:
        projection = model.run(
            begin.cells,
            begin.band_wage,
            params,
            start,
            jp_fund,
            jht_fund,
            horizon,
            progress,
            begin.in_payment,
            (begin.bpu, begin.bpu_band_wage),
        )
    except ParameterError as err:
        raise ValidationFailed("scenario", str(err)) from None
    source = str(snapshot) if snapshot is not None else "registry"
    return Report(projection, source, actuals(start - 1), None, begin.heir_ages)


def for_scenario(text: str, horizon: int = model.HORIZON) -> dict[str, Any] | None:
    """The long-term projection under a reform scenario's text, as the yearly rows of JP and JHT that a scenario
    run keeps (decision 0039: its page and brief read them back instead of projecting again); ``None`` when the
    projection cannot take the scenario (a value it cannot use). The caller has checked who asks."""
    try:
        params = overlay(assumptions.baseline(), load_parameter_text(text, "scenario"))
        report = _project(params, None, horizon, None)
    except (ParameterError, ValidationFailed):
        return None
    p = report.projection
    return {"start_year": p.start_year, "jp": present.year_rows(p.jp), "jht": present.year_rows(p.jht)}

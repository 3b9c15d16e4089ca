"""Rankings: computed from a frozen snapshot, recomputed from it, published, and the provincial winners
promoted to the national round.

``compute`` writes the snapshot (Parquet, its hash), computes the indicators on it with DuckDB, freezes the
inputs that are not in the registry (evidence counts, the panel's mean scores) and the parameters (weights and
their version, zones), ranks, and stores everything on a :class:`Computation`. ``recompute`` does the same from
the stored snapshot, inputs and parameters only, so it gives the same ranks whatever the registry holds later;
a changed weight therefore changes ranks only in a new computation.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from paritrana.accounts.scopes import AnyUser
from paritrana.award import indicators, params, snapshot
from paritrana.award.models import Candidate, Category, Computation, Round, Submission
from paritrana.award.scopes import actor
from paritrana.award.scoring import Entry, Ranked, rank
from paritrana.award.services.editions import managed_round
from paritrana.award.services.scores import panel_means
from paritrana.core import progress
from paritrana.core.errors import NotFound, ValidationFailed

COMPANY = frozenset(params.COMPANY_CATEGORIES)
RUBRIC_KEYS = {"interview": "interview", "regulation": "rubric_regulation", "innovation": "rubric_innovation"}


def snapshots_folder() -> Path:
    configured = getattr(settings, "PARITRANA_AWARD_SNAPSHOTS", None)
    return Path(configured) if configured else Path(settings.HOME) / "award-snapshots"


def _indicator_rows(
    folder: Path, sha: str, year: int, as_of: dt.date, inputs: dict[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """The billed months and the indicator rows of the candidates in ``inputs`` (by :func:`_key`). Only their
    rows become Python objects: a snapshot holds every employer (700,000 nationally) and a round ranks a few."""
    t = snapshot.open_tables(folder, expected=sha)
    months = snapshot.billed_months(t, year)
    if not months:
        raise ValidationFailed("year", _("the registry has no billed month in %(year)s") % {"year": year})
    codes = [c["region_code"] for c in inputs.values() if not c.get("employer_id") and c.get("region_code")]
    employers = [c["employer_id"] for c in inputs.values() if c.get("employer_id")]
    computed = indicators.compute(t, year, months, as_of)
    wanted = {"province": ("code", codes), "regency": ("code", codes), "company": ("employer_id", employers)}
    rows: dict[str, Any] = {}
    for level, (column, keys) in wanted.items():
        table = computed[level]
        picked = table.filter(pc.is_in(table[column], value_set=pa.array(keys, type=table.schema.field(column).type)))
        for r in picked.to_pylist():
            rows[f"region:{r['code']}" if column == "code" else f"employer:{r['employer_id']}"] = r
    return [m.isoformat() for m in months], rows


def _key(c: dict[str, Any]) -> str:
    return f"employer:{c['employer_id']}" if c.get("employer_id") else f"region:{c['region_code']}"


def _gates(c: dict[str, Any], values: dict[str, Any]) -> list[str]:
    if c["category"] in COMPANY:
        reasons = []
        if not values.get("workers"):
            reasons.append("no workers registered")
        if (values.get("arrears") or 0) > 0:
            reasons.append(f"arrears of Rp {values['arrears']:,}".replace(",", "."))
        if (values.get("unreported_workers") or 0) > 0:
            reasons.append(f"partial registration: {values['unreported_workers']} workers not reported")
        return reasons
    reasons = []
    if not c.get("regulations"):
        reasons.append("no regulation submitted")
    if values.get("active_rate") is None:
        reasons.append("no workforce figure for the coverage rate")
    return reasons


def _entries(inputs: dict[str, Any], rows: dict[str, Any]) -> list[Entry]:
    out = []
    for cid, c in inputs.items():
        values = dict(rows.get(_key(c), {}))
        values["regulations"] = c.get("regulations", 0)
        for item, key in RUBRIC_KEYS.items():
            values[key] = c.get("rubric", {}).get(item)
        out.append(Entry(key=cid, name=c["name"], category=c["category"], zone=c["zone"], values=values,
                         gate_reasons=tuple(_gates(c, values))))  # fmt: skip
    return out


def _rank_all(entries: list[Entry], weights: dict[str, dict[str, str]]) -> list[Ranked]:
    region_w = {k: float(v) for k, v in weights["region"].items()}
    company_w = {k: float(v) for k, v in weights["company"].items()}
    companies = [e for e in entries if e.category in COMPANY]
    regions = [e for e in entries if e.category not in COMPANY]
    return rank(regions, region_w) + rank(companies, company_w)


def _results(ranked: list[Ranked], rows: dict[str, Any], inputs: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in ranked:
        d = asdict(r)
        d["candidate_id"] = int(r.key)
        d["indicators"] = {k: v for k, v in rows.get(_key(inputs[r.key]), {}).items() if k in indicators.BY_KEY}
        d["rubric"] = inputs[r.key].get("rubric", {})
        d["regulations"] = inputs[r.key].get("regulations", 0)
        d["rank_range"] = list(r.rank_range) if r.rank_range else None
        d["sensitivity"] = {k: list(v) for k, v in r.sensitivity.items()}
        d["gate_reasons"] = list(r.gate_reasons)
        out.append(d)
    return out


# the stages of a ranking as its committee's page shows them while it runs (core.progress, decision 0037)
SNAPSHOT = progress.Stage("snapshot", gettext_noop("Taking a snapshot of the registry"))
INDICATORS = progress.Stage("indicators", gettext_noop("Computing the indicators of the candidates"))
RANKING = progress.Stage("ranking", gettext_noop("Ranking the candidates"))


@transaction.atomic
def compute(user: AnyUser | None, round_id: int, as_of: dt.date | None = None) -> Computation:
    """Rank the round (its panel closed) from a new snapshot of the registry."""
    round_ = managed_round(user, round_id)
    if round_.status == Round.Status.OPEN:
        raise ValidationFailed("round", _("close the panel before ranking"))
    edition = round_.edition
    on = as_of or timezone.localdate()
    folder = snapshots_folder() / f"round-{round_.pk}-{uuid.uuid4().hex[:12]}"
    steps = progress.current()
    steps.begin(SNAPSHOT)
    sha = snapshot.write(folder)
    means = panel_means(round_)
    # a promoted candidate's evidence is the one it submitted in its provincial round
    origin = {c.promoted_from_id or c.pk: c.pk for c in round_.candidates.only("pk", "promoted_from_id")}
    regulations = dict.fromkeys(origin.values(), 0)
    for cid in Submission.objects.filter(candidate_id__in=origin, kind=Submission.Kind.REGULATION).values_list(
        "candidate_id", flat=True
    ):
        regulations[origin[cid]] += 1
    inputs = {
        str(c.pk): {
            "name": c.name, "category": c.category, "zone": c.zone, "employer_id": c.employer_id,
            "region_code": c.region.code if c.region else None, "regulations": regulations.get(c.pk, 0),
            "rubric": means.get(c.pk, {}),
        }
        for c in round_.candidates.select_related("region")
    }  # fmt: skip
    steps.begin(INDICATORS)
    months, rows = _indicator_rows(folder, sha, edition.year, on, inputs)
    steps.begin(RANKING)
    parameters = {
        "weights": edition.weights, "weights_version": edition.weights_version,
        "weights_reference": edition.weights_reference, "zones_version": edition.zones_version,
        "normalisation": "min-max within category × zone", "sensitivity": "each weight ×0.8 and ×1.2",
    }  # fmt: skip
    results = _results(_rank_all(_entries(inputs, rows), edition.weights), rows, inputs)
    return Computation.objects.create(
        round=round_, computed_by=actor(user),
        snapshot=str(folder), snapshot_sha256=sha, months=months, as_of=on, parameters=parameters,
        inputs=inputs, results=results,
    )  # fmt: skip


def recompute(computation: Computation) -> list[dict[str, Any]]:
    """The computation's results again, from its snapshot (hash checked), inputs and parameters only; refused
    (``SnapshotRemoved``) once the retention rule removed the snapshot of a superseded ranking."""
    if not computation.snapshot:
        raise snapshot.SnapshotRemoved(str(computation.pk))
    inputs = computation.inputs
    _months, rows = _indicator_rows(
        Path(computation.snapshot),
        computation.snapshot_sha256,
        computation.round.edition.year,
        computation.as_of,
        inputs,
    )
    return _results(_rank_all(_entries(inputs, rows), computation.parameters["weights"]), rows, inputs)


def latest(round_: Round) -> Computation | None:
    return round_.computations.order_by("-computed_at", "-id").first()


@transaction.atomic
def publish(user: AnyUser | None, computation_id: int) -> Round:
    found = Computation.objects.select_related("round__edition", "round__province").filter(pk=computation_id).first()
    if found is None:
        raise NotFound(_("no ranking with id %(id)s") % {"id": computation_id})
    round_ = managed_round(user, found.round_id)
    round_.published = found
    round_.status = Round.Status.PUBLISHED
    round_.save(update_fields=["published", "status"])
    return round_


@transaction.atomic
def promote(user: AnyUser | None, edition_id: int) -> list[Candidate]:
    """The first of each category of every published provincial round joins the national round."""
    national = Round.objects.select_related("edition").filter(edition_id=edition_id, tier=Round.Tier.NATIONAL).first()
    if national is None:
        raise NotFound(_("no award edition with id %(id)s") % {"id": edition_id})
    managed_round(user, national.pk)
    if national.status != Round.Status.OPEN:
        raise ValidationFailed("round", _("the national round is closed"))
    added = []
    for provincial in Round.objects.filter(edition_id=edition_id, tier=Round.Tier.PROVINCIAL,
                                           published__isnull=False).select_related("published"):  # fmt: skip
        assert provincial.published is not None
        for row in provincial.published.results:
            if row["rank"] != 1:
                continue
            source = Candidate.objects.get(pk=row["candidate_id"])
            lookup = {"employer": source.employer} if source.employer_id else {"region": source.region}
            candidate, created = Candidate.objects.get_or_create(
                round=national, **lookup,
                defaults={"category": source.category, "name": source.name, "zone": source.zone,
                          "promoted_from": source},
            )  # fmt: skip
            if created:
                added.append(candidate)
    return added


def category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value

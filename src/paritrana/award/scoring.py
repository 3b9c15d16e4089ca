"""Scoring and ranking, pure (no Django, no database): normalisation, weights, gates, tie-break, ranks per
category × zone and per aspect, and the sensitivity of each rank to the weights.

- **Normalisation**: min–max within the candidate's category and zone, per indicator:
  ``(v − min) ÷ (max − min)`` (reversed for an indicator where less is better, e.g. arrears); when every
  candidate of the group has the same value each gets 1; a missing value gets 0. The range is taken over the
  candidates past the gates (a gated candidate's values are shown, clipped to 0–1). The assessors' rubric scores
  (0–100, the mean of the panel) are divided by 100, not stretched.
- **Score**: ``100 × Σ wᵢ·nᵢ ÷ Σ wᵢ`` over the components with a weight (weights need not add up to 1). An
  aspect's score is the same sum over its own components.
- **Gates**: a candidate that fails a gate is listed with the reason and not ranked.
- **Tie-break**: higher score, then higher coverage aspect, then higher interview, then the name.
- **Sensitivity**: every weight in turn multiplied by 0.8 and by 1.2 (the others unchanged), the group ranked
  again; a candidate's rank range over those runs is shown beside its rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

RUBRIC_COMPONENTS = {"interview": "interview", "rubric_regulation": "regulation", "rubric_innovation": "innovation"}
# the aspect each component counts in; the interview counts in the total only
ASPECT_OF = {
    "active_rate": "coverage", "active_growth": "coverage", "pu_active": "coverage", "bpu_active": "coverage",
    "vulnerable_protected": "coverage", "budget_realised": "budget", "regulations": "regulation",
    "four_programmes_share": "coverage", "wage_at_minimum_share": "coverage", "bills_on_time_share": "budget",
    "csr_sponsored": "coverage", "rubric_regulation": "regulation", "rubric_innovation": "innovation",
    "interview": "interview", "arrears": "budget", "unreported_workers": "coverage",
}  # fmt: skip
LOWER_IS_BETTER = frozenset({"arrears", "unreported_workers"})
SENSITIVITY_FACTORS = (0.8, 1.2)


@dataclass(frozen=True)
class Entry:
    """A candidate as the scoring sees it: its values by component (indicators, regulation count, rubric means)."""

    key: str
    name: str
    category: str
    zone: str
    values: Mapping[str, float | None]
    gate_reasons: tuple[str, ...] = ()


@dataclass
class Ranked:
    key: str
    name: str
    category: str
    zone: str
    normalised: dict[str, float]
    score: float
    aspects: dict[str, float]
    rank: int | None
    aspect_ranks: dict[str, int | None]
    gate_reasons: tuple[str, ...]
    rank_range: tuple[int, int] | None = None
    sensitivity: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)


def normalise(entries: list[Entry], components: Iterable[str]) -> dict[str, dict[str, float]]:
    """Normalised values (0–1) per candidate key and component, within the given group of candidates."""
    out: dict[str, dict[str, float]] = {e.key: {} for e in entries}
    for c in components:
        if c in RUBRIC_COMPONENTS:
            for e in entries:
                v = e.values.get(c)
                out[e.key][c] = 0.0 if v is None else max(0.0, min(1.0, float(v) / 100))
            continue
        # the range of the candidates in competition (those past the gates), when there are any
        pool = [e for e in entries if not e.gate_reasons] or entries
        present = [float(v) for e in pool if (v := e.values.get(c)) is not None]
        lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
        for e in entries:
            v = e.values.get(c)
            if v is None:
                n = 0.0
            elif hi == lo:
                n = 1.0
            else:
                n = max(0.0, min(1.0, (float(v) - lo) / (hi - lo)))
                if c in LOWER_IS_BETTER:
                    n = 1.0 - n
            out[e.key][c] = n
    return out


def _weighted(norm: Mapping[str, float], weights: Mapping[str, float], only: str | None = None) -> float:
    parts = [(w, norm.get(c, 0.0)) for c, w in weights.items() if only is None or ASPECT_OF.get(c) == only]
    total = sum(w for w, _ in parts)
    return 0.0 if total <= 0 else round(100 * sum(w * n for w, n in parts) / total, 6)


def _rank(rows: list[Ranked], value: str) -> dict[str, int]:
    """Ranks 1… of the rows passing their gates, by ``value`` (``score`` or an aspect) with the tie-break."""

    def sort_key(r: Ranked) -> tuple[float, float, float, str]:
        main = r.score if value == "score" else r.aspects.get(value, 0.0)
        return (-main, -r.aspects.get("coverage", 0.0), -r.aspects.get("interview", 0.0), r.name)

    eligible = sorted((r for r in rows if not r.gate_reasons), key=sort_key)
    return {r.key: i for i, r in enumerate(eligible, start=1)}


def _score_group(group: list[Entry], weights: Mapping[str, float]) -> list[Ranked]:
    norm = normalise(group, weights)
    aspects = sorted({ASPECT_OF.get(c, "other") for c in weights})
    rows = [
        Ranked(
            key=e.key, name=e.name, category=e.category, zone=e.zone, normalised=norm[e.key],
            score=_weighted(norm[e.key], weights),
            aspects={a: _weighted(norm[e.key], weights, a) for a in aspects},
            rank=None, aspect_ranks={}, gate_reasons=e.gate_reasons,
        )
        for e in group
    ]  # fmt: skip
    ranks = _rank(rows, "score")
    by_aspect = {a: _rank(rows, a) for a in aspects if a != "interview"}
    for r in rows:
        r.rank = ranks.get(r.key)
        r.aspect_ranks = {a: by_aspect[a].get(r.key) for a in by_aspect}
    return rows


def rank(entries: Iterable[Entry], weights: Mapping[str, float], sensitivity: bool = True) -> list[Ranked]:
    """Every candidate scored and ranked within its category × zone; with ``sensitivity``, each rank's range
    when each weight in turn moves by −20 % and +20 %. Ordered by category, zone, rank (unranked last)."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        groups[(e.category, e.zone)].append(e)
    out: list[Ranked] = []
    for key in sorted(groups):
        group = sorted(groups[key], key=lambda e: e.key)
        rows = _score_group(group, weights)
        if sensitivity:
            runs: dict[str, dict[str, list[int | None]]] = {c: {} for c in weights}
            for c in weights:
                for factor in SENSITIVITY_FACTORS:
                    moved = {**weights, c: weights[c] * factor}
                    for r in _score_group(group, moved):
                        runs[c].setdefault(r.key, []).append(r.rank)
            for r in rows:
                if r.rank is None:
                    continue
                seen = [rk for c in runs for rk in runs[c][r.key] if rk is not None] + [r.rank]
                r.rank_range = (min(seen), max(seen))
                r.sensitivity = {c: (runs[c][r.key][0], runs[c][r.key][1]) for c in runs}
        out.extend(sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, r.name)))
    return out

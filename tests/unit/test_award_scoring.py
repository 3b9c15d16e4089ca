"""The award's scoring, without a database: min–max within category × zone, gates, tie-break, aspect ranks and
the sensitivity of each rank to ±20 % on each weight."""

from __future__ import annotations

import datetime as dt

import pytest

from paritrana.award import params
from paritrana.award.scoring import Entry, normalise, rank

W = {"active_rate": 0.5, "interview": 0.3, "budget_realised": 0.2}


def entry(key: str, rate: float | None, interview: float | None, budget: float | None, **kw: object) -> Entry:
    values = {"active_rate": rate, "interview": interview, "budget_realised": budget}
    return Entry(key=key, name=key, category=str(kw.get("category", "regency")), zone=str(kw.get("zone", "z")),
                 values=values, gate_reasons=tuple(kw.get("gates", ())))  # type: ignore[arg-type]  # fmt: skip


def test_min_max_within_group_and_rubric_over_100() -> None:
    es = [entry("a", 0.1, 50, None), entry("b", 0.3, 100, 0.5), entry("c", 0.2, None, 0.5)]
    n = normalise(es, W)
    assert n["a"]["active_rate"] == 0 and n["b"]["active_rate"] == 1 and n["c"]["active_rate"] == pytest.approx(0.5)
    assert n["a"]["interview"] == 0.5 and n["c"]["interview"] == 0  # a missing rubric score counts 0
    assert n["b"]["budget_realised"] == 1 and n["a"]["budget_realised"] == 0  # all equal → 1; missing → 0


def test_ranks_per_category_and_zone_with_gates() -> None:
    es = [
        entry("a", 0.1, 50, 0.2),
        entry("b", 0.3, 90, 0.9),
        entry("c", 0.9, 10, 0.1, zone="other"),
        entry("d", 0.5, 100, 1.0, gates=("no regulation submitted",)),
    ]
    out = {r.key: r for r in rank(es, W)}
    assert out["b"].rank == 1 and out["a"].rank == 2
    assert out["c"].rank == 1  # alone in its zone
    assert out["d"].rank is None and out["d"].gate_reasons == ("no regulation submitted",)
    assert out["b"].score == pytest.approx(100 * (0.5 + 0.3 * 0.9 + 0.2))  # d, gated, is not in the range
    assert out["a"].score == pytest.approx(100 * (0.3 * 0.5) / 1.0)
    assert out["a"].aspect_ranks["coverage"] == 2 and out["b"].aspect_ranks["budget"] == 1


def test_tie_break_coverage_then_interview_then_name() -> None:
    w = {"active_rate": 0.5, "interview": 0.5}
    es = [entry("b", 1.0, 0, None), entry("a", 0.0, 100, None), entry("c", 1.0, 0, None)]
    out = {r.key: r.rank for r in rank(es, w)}
    # b and c tie on score and coverage and interview: the name decides; a has the same score, less coverage
    assert out == {"b": 1, "c": 2, "a": 3}


def test_sensitivity_shows_a_rank_that_moves_with_a_weight() -> None:
    es = [entry("a", 1.0, 0, None), entry("b", 0.0, 100, None), entry("c", 0.0, 0, None)]
    w = {"active_rate": 0.5, "interview": 0.5}
    out = {r.key: r for r in rank(es, w)}
    # a and b tie at 50: a wins on coverage; 20 % more on interview puts b first
    assert out["a"].rank == 1 and out["a"].rank_range == (1, 2)
    assert out["a"].sensitivity["interview"] == (1, 2)
    assert out["c"].rank_range == (3, 3)
    assert rank(es, w, sensitivity=False)[0].rank_range is None


def test_zones_and_weights_are_dated_and_labelled() -> None:
    assert params.zone_of("33", dt.date(2026, 1, 1)) == "jawa_bali"
    assert params.zone_of("96", dt.date(2026, 1, 1)) == "nusa_tenggara_maluku_papua"
    assert len(params.in_force(params.ZONE_VALUES, dt.date(2026, 1, 1)).value) == 38
    weights = params.in_force(params.DEFAULT_WEIGHTS_VALUES, dt.date(2026, 1, 1))
    assert weights.reference == params.NOT_PUBLISHED and weights.uncertain
    with pytest.raises(LookupError):
        params.in_force(params.ZONE_VALUES, dt.date(2021, 12, 31))

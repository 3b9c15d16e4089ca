"""A reform scenario over the registry's month (issue 18, must show 1): a scenario that changes nothing moves
nothing; doubling the JKM rate doubles the JKM contributions exactly, region by region."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Sum

from paritrana.contributions.models import BillLine
from paritrana.scenarios import services
from tests.platform.world import World
from tests.scenarios.conftest import MONTH

# the law's own values restated: PP 44/2015 sets the PU JKM rate at 0.30 % and the BPU JKM at Rp 6.800
UNCHANGED = """jkm.pu.rate:
  unit: rate
  description: the law's JKM rate, unchanged
  values:
    2015-07-01: {value: "0.0030", reference: "PP 44/2015 art 18(1)"}
bpu.jkm_amount:
  unit: rupiah
  description: the law's BPU JKM amount, unchanged
  values:
    2015-07-01: {value: 6800, reference: "PP 44/2015"}
"""
DOUBLE_JKM = """jkm.pu.rate:
  unit: rate
  description: JKM doubled
  values:
    2024-01-01: {value: "0.0060", reference: "proposed"}
bpu.jkm_amount:
  unit: rupiah
  description: BPU JKM doubled
  values:
    2024-01-01: {value: 13600, reference: "proposed"}
"""


def _run(world: World, name: str, text: str) -> dict[str, Any]:
    analyst = world.users["analyst"]
    saved = services.save(analyst, name, f"{name} (test)", text)
    return services.run(analyst, saved.pk, MONTH).results


def _deltas(rows: list[dict[str, Any]]) -> list[int]:
    return [row[key] for row in rows for key in row if key.startswith("delta_")]


def test_a_scenario_that_changes_nothing_moves_nothing(billed: World) -> None:
    results = _run(billed, "unchanged", UNCHANGED)
    assert results["total"]["baseline_amount"] > 0  # the month has contributions to compare
    assert set(_deltas(results["programmes"])) == {0}
    assert set(_deltas([results["total"]])) == {0}
    for dimension, rows in results["by"].items():
        assert rows, dimension
        assert set(_deltas(rows)) == {0}, dimension
        assert {(row["gaining"], row["losing"]) for row in rows} == {(0, 0)}, dimension
    assert {(p["gaining"], p["losing"]) for p in results["payers"]} == {(0, 0)}
    for budget in results["budgets"]:
        assert budget["baseline_cost"] == budget["reform_cost"]
    assert [c["law_value"] == c["value"] for c in results["changes"]] == [True, True]


def test_doubling_the_jkm_rate_doubles_the_jkm_contributions_region_by_region(billed: World) -> None:
    results = _run(billed, "double JKM", DOUBLE_JKM)
    by_province = {row["province"]: row for row in results["jkm_by_province"]}
    # the baseline, independently: the JKM lines the monthly run billed for the month, by the payer's province
    billed_jkm: dict[str, int] = defaultdict(int)
    lines = BillLine.objects.filter(bill__period=MONTH, programme="JKM").values(
        "worker__scheme", "worker__employer__region__code", "worker__region__code"
    )
    for line in lines.annotate(total=Sum("amount")):
        code = (
            line["worker__employer__region__code"] if line["worker__scheme"] == "PU" else line["worker__region__code"]
        )
        billed_jkm[code[:2]] += line["total"]
    assert {p: row["baseline_amount"] for p, row in by_province.items()} == dict(billed_jkm)
    assert len(by_province) >= 2  # more than one region, each doubled on its own
    for province, row in by_province.items():
        assert row["reform_amount"] == 2 * row["baseline_amount"], province
    # by hand: W35 (4.800.000, the only worker counted in province 35) pays 0,30 %, doubled to 0,60 %
    assert (by_province["35"]["baseline_amount"], by_province["35"]["reform_amount"]) == (14_400, 28_800)
    jkm = next(r for r in results["programmes"] if r["programme"] == "JKM")
    # the self-paying non-wage earner pays its own JKM (Rp 6.800 more); the employers of W33PU (3.000.000) and
    # W35 and the sponsor of the sponsored one pay the rest
    assert jkm["delta_worker"] == 6_800
    assert jkm["delta_payer"] == 9_000 + 14_400 + 6_800
    assert results["workers"] == {"workers": 4, "gaining": 0, "losing": 1}
    others = [r for r in results["programmes"] if r["programme"] != "JKM"]
    assert set(_deltas(others)) == {0}
    assert [c["proposed"] for c in results["changes"]] == [True, True]

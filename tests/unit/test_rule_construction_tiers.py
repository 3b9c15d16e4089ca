"""Construction contributions on the contract value (wages not known): each rate on the part of the value inside its
tier, the sum rounded once, half up (Permenaker 44/2015 arts 2-3, now Permenaker 5/2021; tiers 0.21 % / 0.17 % /
0.13 % JKK and 0.03 % / 0.02 % JKM up to Rp100 million / Rp500 million / Rp1 billion). Amounts by hand, at values
whose rupiah fall on and beside a half (decision 0042)."""

from __future__ import annotations

import pytest

from paritrana.rules import compute_one


@pytest.mark.parametrize(
    ("value", "jkk", "jkm"),
    [
        (80_600_000, 169_260, 24_180),  # 0.21 % and 0.03 % of a value with Rp600,000 over a whole million
        (80_005_000, 168_011, 24_002),  # 168,010.5 and 24,001.5: halves, rounded up
        (80_000_238, 168_000, 24_000),  # 168,000.4998 and 24,000.0714: rounded down
        # 210,000 + 400,000,000 x 0.17 % + 100,700,000 x 0.13 % = 1,020,910; 30,000 + 80,000 + 20,140 = 130,140
        (600_700_000, 1_020_910, 130_140),
    ],
)
def test_each_tiers_rate_on_its_part_of_the_contract_value_rounded_once(value: int, jkk: int, jkm: int) -> None:
    out = compute_one("construction_contributions", "2024-05-01", {"contract_value": value}).outputs
    assert (out["jkk"], out["jkm"], out["total"]) == (jkk, jkm, jkk + jkm)

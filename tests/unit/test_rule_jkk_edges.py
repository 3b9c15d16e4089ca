"""Edges of the JKK cash benefits (PP 44/2015 art 25 and Lampiran III, as amended by PP 82/2019), by hand.

- A row of the disability table given as a range ("scalp peeled off 10-30 %"): the doctor fixes the percentage within
  it; both ends are taken (10 % and 30 % of 80 x wage), a percentage outside it is refused naming
  ``assessed_percent``.
"""

from __future__ import annotations

import pytest

from paritrana.rules import compute_one
from paritrana.rules.errors import InvalidInput

SCALP = {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": "scalp_peeled"}


@pytest.mark.parametrize(("percent", "lump_sum"), [(10, 40_000_000), (30, 120_000_000)])
def test_each_end_of_the_scalp_range_is_taken(percent: int, lump_sum: int) -> None:
    # Lampiran III: % of the table x 80 x wage = percent % x 80 x 5,000,000
    out = compute_one("jkk_disability_benefit", "2024-05-01", {**SCALP, "assessed_percent": percent}).outputs
    assert (out["lump_sum"], out["periodic_benefit"], out["total"]) == (lump_sum, 0, lump_sum)


@pytest.mark.parametrize("percent", [0, 9, 31])
def test_a_scalp_percentage_outside_the_range_is_refused_naming_it(percent: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        compute_one("jkk_disability_benefit", "2024-05-01", {**SCALP, "assessed_percent": percent})
    assert refused.value.field == "assessed_percent"
    assert "outside the range of the table row" in str(refused.value)

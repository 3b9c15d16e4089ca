"""Edges of the children's scholarship (PP 44/2015 arts 25 and 34 as amended by PP 82/2019; Permenaker 5/2021), by
hand.

- The age limit (Permenaker 5/2021: paid until the child is 23): 22 is paid, 23 and every later age is not.
"""

from __future__ import annotations

import pytest

from paritrana.rules import compute_one

# a death from work in 2022: no minimum contribution period; higher education Rp12 jt a year for 5 years
HIGHER = {"trigger": "jkk_death", "child_order": 1, "level": "higher", "year_in_level": 4}


@pytest.mark.parametrize(("age", "amount"), [(22, 12_000_000), (23, 0), (24, 0), (30, 0)])
def test_the_scholarship_stops_at_the_age_of_23_and_after(age: int, amount: int) -> None:
    out = compute_one("scholarship_benefit", "2022-01-10", {**HIGHER, "child_age": age}).outputs
    assert (out["eligible"], out["amount"]) == (amount > 0, amount)
    assert out["reason"] == ("" if amount else "the child has reached the age limit")

"""Edges of the JKK cash benefits (PP 44/2015 art 25 and Lampiran III, as amended by PP 82/2019), by hand.

- A row of the disability table given as a range ("scalp peeled off 10-30 %"): the doctor fixes the percentage within
  it; both ends are taken (10 % and 30 % of 80 x wage), a percentage outside it is refused naming
  ``assessed_percent``; a row that is not a range asks for no percentage, and a total permanent disability for no
  share of function lost, which lowers no anatomical loss.
- Hearing loss counts whole steps of 10 dB; the arm rows, and only they, are reversed for a left-handed worker.
- Reimbursements (PP 82/2019 Lampiran III): a claim of exactly the cap of its kind is paid in full with no reason given;
  home care of 12 months is covered, a 13th month is flagged.
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


@pytest.mark.parametrize(
    ("kind", "cap"), [("land", 5_000_000), ("sea", 2_000_000), ("air", 10_000_000), ("home_care", 20_000_000)]
)
def test_a_claim_of_exactly_the_cap_is_paid_in_full_one_rupiah_more_is_not(kind: str, cap: int) -> None:
    # PP 82/2019 Lampiran III: transport up to Rp5 jt by land, Rp2 jt by sea, Rp10 jt by air; home care Rp20 jt
    at_cap = compute_one("jkk_reimbursement", "2024-05-01", {"kind": kind, "claimed": cap}).outputs
    assert (at_cap["payable"], at_cap["not_covered"], at_cap["reason"]) == (cap, 0, "")
    above = compute_one("jkk_reimbursement", "2024-05-01", {"kind": kind, "claimed": cap + 1}).outputs
    assert (above["payable"], above["not_covered"]) == (cap, 1)
    assert above["reason"] == "the claim is above the cap of its kind"


@pytest.mark.parametrize(
    ("months", "reason"),
    [(12, ""), (13, "home care is covered for at most 12 months: claim the first year only")],
)
def test_home_care_of_twelve_months_is_covered_a_thirteenth_is_flagged(months: int, reason: str) -> None:
    # PP 82/2019 Lampiran III A.1.m: home care for at most 12 months, up to Rp20 jt
    claim = {"kind": "home_care", "claimed": 15_000_000, "care_months": months}
    out = compute_one("jkk_reimbursement", "2024-05-01", claim).outputs
    assert (out["payable"], out["not_covered"], out["reason"]) == (15_000_000, 0, reason)


@pytest.mark.parametrize(("body_part", "lump_sum"), [("smell", 40_000_000), ("visual_field_10_percent", 28_000_000)])
def test_a_row_that_is_not_a_range_needs_no_assessed_percent(body_part: str, lump_sum: int) -> None:
    # Lampiran III: loss of smell 10 %, of 10 % of the visual field 7 %, of 80 x Rp5,000,000; the doctor's
    # percentage is asked for the range rows only (the scalp)
    record = {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": body_part}
    out = compute_one("jkk_disability_benefit", "2024-05-01", record).outputs
    assert (out["lump_sum"], out["total"]) == (lump_sum, lump_sum)


def test_a_total_permanent_disability_asks_for_no_share_of_function_lost() -> None:
    # PP 44/2015 Lampiran III as amended by PP 82/2019: 56 x Rp5,000,000 and the periodic benefit Rp12 jt; the share
    # of function lost is for a partial functional disability only, so 0 there is not refused
    record = {"wage": 5_000_000, "disability_type": "total_permanent", "function_lost_percent": 0}
    out = compute_one("jkk_disability_benefit", "2024-05-01", record).outputs
    assert (out["lump_sum"], out["periodic_benefit"], out["total"]) == (280_000_000, 12_000_000, 292_000_000)


def test_a_share_of_function_lost_does_not_lower_an_anatomical_loss() -> None:
    # Lampiran III: the loss of both eyes is 70 % of 80 x Rp5,000,000 = Rp280,000,000 whatever share of function is
    # given; the share scales a partial functional disability only
    record = {"wage": 5_000_000, "disability_type": "partial_anatomical", "body_part": "both_eyes"}
    out = compute_one("jkk_disability_benefit", "2024-05-01", {**record, "function_lost_percent": 50}).outputs
    assert (out["lump_sum"], out["total"]) == (280_000_000, 280_000_000)


@pytest.mark.parametrize(("decibels", "percent"), [(9, 0), (10, 6), (39, 18)])
def test_only_whole_steps_of_10_db_of_hearing_loss_count(decibels: int, percent: int) -> None:
    # Lampiran III: hearing loss of both ears 6 % per 10 dB, read as whole steps only (9 dB: none; 39 dB: three)
    record = {
        "wage": 5_000_000,
        "disability_type": "partial_anatomical",
        "body_part": "hearing_loss_both_ears",
        "hearing_loss_db": decibels,
    }
    out = compute_one("jkk_disability_benefit", "2024-05-01", record).outputs
    assert out["lump_sum"] == percent * 80 * 5_000_000 // 100


@pytest.mark.parametrize(
    ("body_part", "percent"), [("right_arm_from_shoulder", 35), ("one_eye", 35), ("smell", 10), ("nostril", 30)]
)
def test_a_left_handed_worker_has_only_the_arm_rows_reversed(body_part: str, percent: int) -> None:
    # Lampiran III: the right arm's 40 % and the left arm's 35 % are reversed for a left-handed worker; an eye,
    # the smell or a nostril are the same for everyone (35 %, 10 %, 30 % of 80 x Rp3,000,000)
    record = {"wage": 3_000_000, "disability_type": "partial_anatomical", "body_part": body_part, "left_handed": True}
    out = compute_one("jkk_disability_benefit", "2024-05-01", record).outputs
    assert out["lump_sum"] == percent * 80 * 3_000_000 // 100

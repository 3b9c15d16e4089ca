"""Large amounts, where a rate off by a millionth shows in whole rupiah (below about Rp500,000 of contribution
the rounding hides it): every share of a high wage, computed by hand (decision 0042)."""

from __future__ import annotations

import datetime as dt

from paritrana.rules import compute_one
from paritrana.rules.parameters import load_parameters


def test_a_wage_of_rp100_million_in_risk_group_5() -> None:
    result = compute_one("pu_contributions", "2024-05-01", {"wage": 100_000_000, "risk_group": 5})
    out = result.outputs
    assert result.explanation.intermediate["jp_full"] == 200_846 + 100_423  # both JP shares, before any deferral
    assert out["jkk"] == 1_740_000  # PP 44/2015 art 16(1)(e): 1.74 % (no relief: the whole rate payable)
    assert out["jkm"] == 300_000  # PP 44/2015 art 18: 0.30 %
    assert (out["jht_employer"], out["jht_worker"]) == (3_700_000, 2_000_000)  # PP 46/2015 art 16: 3.7 % + 2 %
    # PP 45/2015 arts 28-29: 2 % + 1 % of the wage up to the JP cap in force (Rp10,042,300 from March 2024)
    assert (out["jp_employer"], out["jp_worker"]) == (200_846, 100_423)
    # PP 37/2021 art 11: on the wage up to Rp5,000,000, 0.22 % from the government, 0.14 % of JKK, 0.10 % of JKM
    assert (out["jkp_government"], out["jkp_from_jkk"], out["jkp_from_jkm"]) == (11_000, 7_000, 5_000)
    assert out["employer_total"] == 1_740_000 + 300_000 + 3_700_000 + 200_846
    assert out["worker_total"] == 2_000_000 + 100_423
    assert out["total"] == 8_041_269


def test_a_parameters_explanation_says_uncertain_only_of_an_uncertain_value() -> None:
    waiting = load_parameters()["jht.waiting_period_months"]
    doubtful = waiting.at(dt.date(2020, 1, 1)).as_dict()  # Permenaker 19/2015: not seen, inferred
    assert doubtful["uncertain"] is True and "Permenaker 19/2015" in doubtful["why"]
    read = waiting.at(dt.date(2022, 4, 26)).as_dict()  # Permenaker 4/2022 arts 8-10, read
    assert "uncertain" not in read and read["value"] == 1


def test_a_worker_outside_jp_and_jkp_has_no_wage_basis_for_them() -> None:
    # PP 45/2015 art 28: JP is paid on the wage of a JP participant; PP 37/2021 art 11: JKP on a JKP participant's
    result = compute_one(
        "pu_contributions", "2024-05-01", {"wage": 5_000_000, "risk_group": 1, "in_jp": False, "in_jkp": False}
    )
    explained = result.explanation.intermediate
    assert (explained["jp_wage_basis"], explained["jkp_wage_basis"], explained["jp_full"]) == (0, 0, 0)
    out = result.outputs
    assert (out["jp_employer"], out["jp_worker"], out["jkp_government"], out["jkp_total"]) == (0, 0, 0, 0)
    assert out["jkk"] == 12_000  # PP 44/2015 art 16(1)(a): 0.24 % of Rp5,000,000, whatever JP and JKP

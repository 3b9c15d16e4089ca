"""Which of a rule's figures are its result and which only explain it (shown with ``--explain``), pinned by hand:
an intermediate (a wage basis, a rate, a cap) is never taken for an amount to pay, and an amount never hides
among the intermediates (decision 0042: the ``explain_only`` of a rule's declaration is mutated)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paritrana.rules import compute_one
from paritrana.rules.cases import LegalCase, load_cases

INTERMEDIATE = {
    "jht_withdrawal": {"payable_from", "share_ppm"},
    "jht_yearly_return": {"rate_ppm", "return_on_opening", "return_on_contributions"},
    "jkk_death_benefit": {"formula_benefit", "minimum"},
    "jkk_disability_benefit": {"table_rate_ppm", "applied_rate_ppm"},
    "jkk_reimbursement": {"cap"},
    "jkk_temporary_incapacity": set(),
    "jkm_benefit": {"scholarship_min_contribution_months"},
    "jkp_benefit": {"wage_basis", "rate_ppm", "claim_deadline"},
    "jp_old_age_benefit": {"wage_basis", "formula_benefit", "min_benefit", "max_benefit"},
    "jp_pension_age": {"pension_age_in_force"},
    "jp_survivor_benefit": {"months_counted", "formula_benefit", "share_ppm", "pension_date"},
    "scholarship_benefit": {"amount_per_year", "max_years", "max_children"},
    "bpu_contributions": {"band_nominal", "band_provisional", "jkk_full", "jkm_full"},
    "bpu_sponsored_package": set(),
    "construction_contributions": {"jkk_full", "jkm_full"},
    "late_payment_penalty": set(),
    "migrant_contributions": {"package_amount", "extra_months_amount"},
    "pu_contributions": {"jp_wage_basis", "jkp_wage_basis", "jkk_full", "jkm_full", "jp_full"},
}
# the amounts each rule pays or bills (besides others): never an intermediate
AMOUNTS = {
    "jht_withdrawal": "net_amount",
    "jht_yearly_return": "yearly_return",
    "jkk_death_benefit": "total",
    "jkk_disability_benefit": "total",
    "jkk_reimbursement": "payable",
    "jkk_temporary_incapacity": "total",
    "jkm_benefit": "total",
    "jkp_benefit": "benefit",
    "jp_old_age_benefit": "monthly_benefit",
    "jp_pension_age": "pension_age",
    "jp_survivor_benefit": "monthly_total",
    "scholarship_benefit": "amount",
    "bpu_contributions": "monthly_total",
    "bpu_sponsored_package": "total",
    "construction_contributions": "total",
    "late_payment_penalty": "penalty",
    "migrant_contributions": "protection_total",
    "pu_contributions": "total",
}
FIRST_CASE: dict[str, LegalCase] = {}
for case in load_cases([Path(__file__).resolve().parents[1] / "rules"]):
    if case.error is None:
        FIRST_CASE.setdefault(case.rule, case)


@pytest.mark.parametrize("rule", sorted(INTERMEDIATE))
def test_a_rules_result_and_its_explanation_hold_the_figures_they_should(rule: str) -> None:
    case = FIRST_CASE[rule]
    result = compute_one(rule, case.date, case.inputs)
    assert set(result.explanation.intermediate) == INTERMEDIATE[rule]
    assert not set(result.outputs) & INTERMEDIATE[rule]
    assert AMOUNTS[rule] in result.outputs


def test_every_rule_is_listed() -> None:
    assert set(FIRST_CASE) == set(INTERMEDIATE) == set(AMOUNTS)

"""The texts the rules show people besides their declarations (``paritrana.rules.texts``): a parameter by its name
in words, and the refusal reasons found in a rule's formula: every reason a legal case expects is among them."""

from __future__ import annotations

from pathlib import Path

from paritrana.rules import all_rules, get_rule
from paritrana.rules.cases import load_cases
from paritrana.rules.parameters import load_parameters
from paritrana.rules.texts import parameter_title, refusals

CASES = Path(__file__).resolve().parents[1] / "rules"


def test_a_parameter_is_named_in_words_with_the_programmes_in_capitals() -> None:
    assert parameter_title("jp.min_contribution_months") == "JP min contribution months"
    assert parameter_title("relief.bpu_pp50_applies_to_payer") == "relief BPU pp50 applies to payer"
    assert parameter_title("jht.pu_worker_rate") == "JHT PU worker rate"


def test_the_refusals_are_the_texts_of_the_formula_in_its_order() -> None:
    found = refusals(get_rule("jp_old_age_benefit"), load_parameters())
    assert found == (
        "the pension age is not reached",
        "masa iur under 180 months: the accumulated contributions and returns are paid at once",
    )
    assert refusals(get_rule("pu_contributions"), load_parameters()) == ()  # no text output: nothing to find


def test_every_reason_a_legal_case_expects_is_a_refusal_of_its_rule() -> None:
    law = load_parameters()
    known = {rule.name: set(refusals(rule, law)) for rule in all_rules()}
    texts = {(rule.name, f.name) for rule in all_rules() for f in rule.outputs if f.dtype == "string"}
    expected = [
        (case.rule, value)
        for case in load_cases([CASES])
        for name, value in case.expected.items()
        if (case.rule, name) in texts and value
    ]
    assert len(expected) > 20, "the legal cases expect reasons: this test must see them"
    missing = [(rule, value) for rule, value in expected if value not in known[rule]]
    assert not missing


def test_the_typed_field_helpers_declare_the_same_fields_as_field_itself() -> None:
    from paritrana.rules.base import Field, day, whole, yes_no

    assert whole("months", "d", default=1, minimum=1, maximum=12) == Field(
        "months", "int64", "d", default=1, minimum=1, maximum=12
    )
    assert whole("wage", "d") == Field("wage", "int64", "d", minimum=0) and whole("wage", "d").required
    assert yes_no("with_jht", "d", default=False) == Field("with_jht", "bool", "d", default=False)
    assert not yes_no("with_jht", "d", default=False).required and yes_no("eligible", "d").required
    assert day("paid", "d", explain_only=True) == Field("paid", "date", "d", explain_only=True)

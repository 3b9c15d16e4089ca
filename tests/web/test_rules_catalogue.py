"""The rules' texts reach the translators from the rules themselves: ``core/rules_catalogue.py`` is what
``paritrana.web.rule_catalogue`` generates from the rules now, gettext can extract every text from it, and each is
translated into Bahasa Indonesia."""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from paritrana.core import rules_catalogue
from paritrana.rules import all_rules
from paritrana.web import rule_catalogue


def _literals(call: str) -> list[tuple[str, ...]]:
    """The literal arguments of every ``call(...)`` in the generated file, as gettext's extractor sees them."""
    tree = ast.parse(rule_catalogue.TARGET.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == call:
            assert all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args), ast.dump(node)
            found.append(tuple(a.value for a in node.args))  # type: ignore[attr-defined]
    return found


def test_the_catalogue_is_generated_from_the_rules_as_they_are() -> None:
    assert rule_catalogue.TARGET.read_text(encoding="utf-8") == rule_catalogue.render(), (
        "core/rules_catalogue.py is out of date: run `python -m paritrana.web.rule_catalogue` (./dev messages)"
    )


def test_every_rule_title_input_and_output_is_a_literal_of_the_catalogue() -> None:
    texts = {t for (t,) in _literals("gettext_noop")}
    labels = {label for context, label in _literals("pgettext_lazy") if context == "calculator input"}
    for rule in all_rules():
        assert rule.title in texts, rule.name
        for f in (*rule.inputs, *rule.outputs):
            assert f.description in texts, f"{rule.name}.{f.name}"
        for f in rule.inputs:
            assert f.name.replace("_", " ") in labels, f"{rule.name}.{f.name}"
    assert set(rules_catalogue.RULE_TEXTS) <= texts


def test_every_output_title_and_choice_title_the_rules_declare_is_a_literal_of_the_catalogue() -> None:
    literals = _literals("pgettext_lazy")
    outputs = {title for context, title in literals if context == "rule output"}
    choices = {title for context, title in literals if context == "rule choice"}
    for rule in all_rules():
        for f in rule.outputs:
            assert f.title in outputs, f"{rule.name}.{f.name}"
        for f in rule.inputs:
            assert set(f.choice_titles().values()) <= choices, f"{rule.name}.{f.name}"
    # the titles are the rules' declaration: a key in words, abbreviations in capitals
    assert {"JKP from JKM", "JHT employer", "total 6 months"} <= outputs
    assert {"age 56", "PKWT term end", "SMA"} <= choices


def test_every_text_of_the_catalogue_is_translated_into_bahasa_indonesia() -> None:
    with translation.override("id"):
        untranslated = [t for t in rules_catalogue.RULE_TEXTS if translation.gettext(t) == t]
        assert not untranslated
        assert translation.gettext(rules_catalogue.ATTRIBUTION) != rules_catalogue.ATTRIBUTION
        labels = [str(label) for label in rules_catalogue.INPUT_LABELS]
        titles = [str(t) for t in (*rules_catalogue.OUTPUT_TITLES, *rules_catalogue.CHOICE_TITLES)]
        catalog = trans_real.catalog()._catalog  # the messages of the compiled catalogue, by context and text
    with translation.override("en"):
        english = [str(label) for label in rules_catalogue.INPUT_LABELS]
        english_titles = [str(t) for t in (*rules_catalogue.OUTPUT_TITLES, *rules_catalogue.CHOICE_TITLES)]
    assert sum(a != b for a, b in zip(labels, english, strict=True)) == len(english)
    # a title may read the same in both languages ("JKK", "total"), but none is missing from the catalogue
    same = [e for i, e in zip(titles, english_titles, strict=True) if i == e]
    contexts = ["rule output"] * len(rules_catalogue.OUTPUT_TITLES) + ["rule choice"] * len(
        rules_catalogue.CHOICE_TITLES
    )
    missing = [e for c, e in zip(contexts, english_titles, strict=True) if e in same and f"{c}\x04{e}" not in catalog]
    assert not missing
    assert len(same) < len(titles) / 4


def test_the_refusal_reasons_and_the_law_parameters_are_in_the_catalogue_and_translated() -> None:
    texts = {t for (t,) in _literals("gettext_noop")}
    parameters = {t for context, t in _literals("pgettext_lazy") if context == "law parameter"}
    assert set(rule_catalogue.refusal_texts()) <= texts and len(rules_catalogue.REFUSALS) >= 29
    assert "the pension age is not reached" in rules_catalogue.REFUSALS
    assert parameters == set(rule_catalogue.parameter_titles()) and "JP min contribution months" in parameters
    assert "projection mortality" in parameters  # the long-term projection's assumptions too
    with translation.override("id"):
        assert all(translation.gettext(t) != t for t in rules_catalogue.REFUSALS)
        shown = [str(t) for t in rules_catalogue.PARAMETER_TITLES]
    with translation.override("en"):
        english = [str(t) for t in rules_catalogue.PARAMETER_TITLES]
    assert all(i != e for i, e in zip(shown, english, strict=True))


def test_a_declared_output_title_replaces_the_name_in_words() -> None:
    from paritrana.rules.base import Field

    assert Field("jkp_from_jkm", "int64", "d").title == "JKP from JKM"
    assert Field("jkp_from_jkm", "int64", "d", title="JKP paid from the JKM").title == "JKP paid from the JKM"
    assert Field("reason", "string", "d", choices=("", "pkwt_end", 3)).choice_titles() == {"pkwt_end": "PKWT end"}


def test_a_changed_rule_text_makes_the_catalogue_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = list(all_rules())
    changed = replace(rules[0], title=rules[0].title + " (changed)")
    monkeypatch.setattr(rule_catalogue, "all_rules", lambda: [changed, *rules[1:]])
    assert rule_catalogue.render() != rule_catalogue.TARGET.read_text(encoding="utf-8")
    assert f"{changed.title!r}"[1:-1] in rule_catalogue.render()

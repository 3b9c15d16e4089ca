"""The rules' texts reach the translators from the rules themselves: ``web/rules_catalogue.py`` is what
``paritrana.web.rule_catalogue`` generates from the rules now, gettext can extract every text from it, and each is
translated into Bahasa Indonesia."""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest
from django.utils import translation

from paritrana.rules import all_rules
from paritrana.web import rule_catalogue, rules_catalogue


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
        "web/rules_catalogue.py is out of date: run `python -m paritrana.web.rule_catalogue` (./dev messages)"
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


def test_every_text_of_the_catalogue_is_translated_into_bahasa_indonesia() -> None:
    with translation.override("id"):
        untranslated = [t for t in rules_catalogue.RULE_TEXTS if translation.gettext(t) == t]
        assert not untranslated
        assert translation.gettext(rules_catalogue.ATTRIBUTION) != rules_catalogue.ATTRIBUTION
        labels = [str(label) for label in rules_catalogue.INPUT_LABELS]
    with translation.override("en"):
        english = [str(label) for label in rules_catalogue.INPUT_LABELS]
    assert sum(a != b for a, b in zip(labels, english, strict=True)) == len(english)


def test_a_changed_rule_text_makes_the_catalogue_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = list(all_rules())
    changed = replace(rules[0], title=rules[0].title + " (changed)")
    monkeypatch.setattr(rule_catalogue, "all_rules", lambda: [changed, *rules[1:]])
    assert rule_catalogue.render() != rule_catalogue.TARGET.read_text(encoding="utf-8")
    assert f"{changed.title!r}"[1:-1] in rule_catalogue.render()

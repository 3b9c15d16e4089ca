"""The parameter files: every value dated and referenced, and the loader's refusals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from paritrana.rules.errors import ParameterError, ParameterNotInForce, RuleError
from paritrana.rules.parameters import PARAMETERS_DIR, load_parameters

PARAMS = load_parameters()


def test_every_value_has_an_effective_date_and_a_reference() -> None:
    assert len(PARAMS) > 0
    for name, p in PARAMS.items():
        assert p.values, name
        for v in p.values:
            assert isinstance(v.effective, dt.date), name
            assert v.reference.strip(), f"{name} {v.effective} has no reference"
            # a reference names a regulation (PP, Permenaker, UU, Perpres …) or a reference file
            assert any(ch.isdigit() for ch in v.reference), f"{name} {v.effective}: {v.reference!r} cites no article"
            if v.uncertain:
                assert v.why and v.why.strip(), f"{name} {v.effective} is uncertain without a reason"


def test_values_are_in_date_order_without_duplicates() -> None:
    for name, p in PARAMS.items():
        dates = [v.effective for v in p.values]
        assert dates == sorted(set(dates)), name


def test_rates_are_exact_decimals_never_floats() -> None:
    def leaves(value: object) -> list[object]:
        if isinstance(value, dict):
            return [x for v in value.values() for x in leaves(v)]
        if isinstance(value, tuple | list):
            return [x for v in value for x in leaves(v)]
        return [value]

    for name, p in PARAMS.items():
        for v in p.values:
            for leaf in leaves(v.value):
                assert not isinstance(leaf, float), f"{name} {v.effective}: binary float {leaf!r}"
                if p.unit == "rate":
                    assert isinstance(leaf, Decimal), name


def test_value_in_force_is_the_latest_on_or_before_the_date() -> None:
    cap = PARAMS["jp.wage_cap"]
    assert cap.at(dt.date(2024, 2, 29)).value == 9559600
    assert cap.at(dt.date(2024, 3, 1)).value == 10042300
    assert cap.at(dt.date(2030, 1, 1)).value == cap.values[-1].value


def test_a_date_before_the_first_value_is_an_error_naming_parameter_and_date() -> None:
    with pytest.raises(ParameterNotInForce) as err:
        PARAMS["jp.wage_cap"].at(dt.date(2015, 6, 30))
    assert "jp.wage_cap" in str(err.value)
    assert "2015-06-30" in str(err.value)


def test_unknown_parameter_suggests_close_names() -> None:
    with pytest.raises(RuleError, match=r"jp\.wage_cap"):
        PARAMS["jp.wage_capp"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "x:\n  unit: rate\n  description: d\n  values:\n    2020-01-01: {value: 2, reference: 'PP 1/2020'}\n",
            "between 0 and 1",
        ),
        (
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 10.5, reference: 'PP 1/2020'}\n",
            "whole number",
        ),
        ("x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 10}\n", "reference"),
        (
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1', uncertain: true}\n",
            "why",
        ),
        (
            "x:\n  unit: rate\n  description: d\n  values:\n    2020-01-01: {value: '0.0000001', reference: 'PP 1'}\n",
            "part per million",
        ),
        ("x:\n  unit: money\n  description: d\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1'}\n", "unit"),
        ("x:\n  unit: rupiah\n  description: d\n  values:\n    someday: {value: 1, reference: 'PP 1'}\n", "not a date"),
        (
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1'}\n"
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 2, reference: 'PP 2'}\n",
            "written twice",
        ),
        (
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1', url: 'http://a'}\n",
            "https",
        ),
        (
            "x:\n  unit: rupiah\n  description: d\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1', uncertian: true}\n",
            "unknown keys",
        ),
    ],
)
def test_loader_refuses_malformed_values(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "bad.yaml").write_text(body)
    with pytest.raises(ParameterError, match=message):
        load_parameters.__wrapped__(tmp_path)


def test_shipped_files_are_the_ones_loaded() -> None:
    assert sorted(p.source_file for p in PARAMS.values()) and all(
        (PARAMETERS_DIR / p.source_file).exists() for p in PARAMS.values()
    )


FILE_CITATION = re.compile(r"\.\./shared|[\w-]+\.md\b|grade [ABC]", re.IGNORECASE)


def test_no_parameter_cites_a_file_outside_the_law() -> None:
    """References, notes and descriptions name the regulation and article, never a notes file or its grades
    (the pages show them to users)."""
    for name, p in PARAMS.items():
        assert not FILE_CITATION.search(p.description), name
        for v in p.values:
            for text in (v.reference, v.why or ""):
                found = FILE_CITATION.search(text)
                if found and "docs/decisions" not in text:  # an operating setting points at its design note
                    raise AssertionError(f"{name} {v.effective}: {found.group(0)!r} in {text!r}")
    for path in PARAMETERS_DIR.glob("*.yaml"):
        assert "../shared" not in path.read_text(encoding="utf-8"), path.name


def test_an_official_link_is_an_https_address_shown_with_its_value() -> None:
    value = PARAMS["relief.bpu.pp50_applies_to_payer"].at(dt.date(2026, 1, 1))
    assert value.url is not None and value.url.startswith("https://peraturan.bpk.go.id/")
    assert value.as_dict()["url"] == value.url and "PP 50/2025" in value.reference
    assert "url" not in PARAMS["relief.covid.jkk_jkm_payable_share"].at(dt.date(2020, 8, 1)).as_dict()
    # PP 45/2015 on the State Audit Board's legal database, beside each value it sets
    assert (
        PARAMS["jp.wage_cap"].at(dt.date(2026, 3, 1)).url
        == "https://peraturan.bpk.go.id/Details/5613/pp-no-45-tahun-2015"
    )


def test_the_pp50_exclusion_is_dated_and_keyed_by_who_pays() -> None:
    p = PARAMS["relief.bpu.pp50_applies_to_payer"]
    assert p.at(dt.date(2025, 12, 31)).value == {"own_funds": True, "national_budget": True, "regional_budget": True}
    assert p.at(dt.date(2026, 1, 1)).value == {"own_funds": True, "national_budget": False, "regional_budget": False}


def test_the_law_is_read_once_a_process_and_read_again_when_forgotten() -> None:
    from paritrana.rules.parameters import forget_parameters

    first = load_parameters()
    assert load_parameters() is first  # every caller shares the one set: no file is read again
    forget_parameters()
    again = load_parameters()
    assert again is not first
    assert again["jp.pension_age"].values == first["jp.pension_age"].values
    assert load_parameters() is again

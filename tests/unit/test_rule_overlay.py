"""A set of dated parameters overridden by another from the other's first date (a reform scenario over the law):
the values before that date kept, the override's from it, its unit and columns kept; a name the law does not
know, or another unit, refused naming the parameter (decision 0042). Values by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from paritrana.rules.errors import ParameterError
from paritrana.rules.overlay import overlay
from paritrana.rules.parameters import Parameter, ParameterValue

D = dt.date


def parameter(name: str, unit: str, *values: tuple[dt.date, int], columns: dict[str, str] | None = None) -> Parameter:
    dated = tuple(ParameterValue(on, value, f"PP {on.year}") for on, value in values)
    return Parameter(name, unit, "a cap", dated, "law.yaml" if unit else "", columns or {})


LAW = {
    "jp.wage_cap": parameter("jp.wage_cap", "rupiah", (D(2015, 7, 1), 7_000_000), (D(2024, 3, 1), 10_042_300)),
    "jkm.lump_sum": parameter("jkm.lump_sum", "rupiah", (D(2015, 7, 1), 16_200_000)),
}


def test_the_law_is_kept_before_the_reform_and_replaced_from_its_first_day() -> None:
    reform = {
        "jp.wage_cap": Parameter(
            "jp.wage_cap", "rupiah", "a cap", (ParameterValue(D(2024, 3, 1), 12_000_000, "reform"),), "reform.yaml"
        )
    }
    merged = overlay(LAW, reform)
    cap = merged["jp.wage_cap"]
    assert [(v.effective, v.value) for v in cap.values] == [(D(2015, 7, 1), 7_000_000), (D(2024, 3, 1), 12_000_000)]
    assert cap.at(D(2024, 2, 29)).value == 7_000_000 and cap.at(D(2024, 3, 1)).value == 12_000_000
    assert cap.source_file == "reform.yaml" and cap.unit == "rupiah" and cap.description == "a cap"
    assert merged["jkm.lump_sum"] is LAW["jkm.lump_sum"]  # untouched
    assert len(merged) == 2 and LAW["jp.wage_cap"].values[-1].value == 10_042_300  # the law itself unchanged


def test_a_reform_from_a_day_after_a_change_keeps_that_change() -> None:
    reform = {"jp.wage_cap": Parameter("jp.wage_cap", "rupiah", "", (ParameterValue(D(2024, 3, 2), 1, "r"),), "r.yaml")}
    cap = overlay(LAW, reform)["jp.wage_cap"]
    assert [v.value for v in cap.values] == [7_000_000, 10_042_300, 1]


def test_an_unknown_name_or_another_unit_or_columns_is_refused_naming_the_parameter() -> None:
    unknown = {"jp.wage_cep": parameter("jp.wage_cep", "rupiah", (D(2024, 1, 1), 1))}
    with pytest.raises(
        ParameterError, match=re.escape("'jp.wage_cep' is neither an assumption nor a parameter of the law")
    ):
        overlay(LAW, unknown)
    other_unit = {"jp.wage_cap": parameter("jp.wage_cap", "rate", (D(2024, 1, 1), 1))}
    with pytest.raises(ParameterError, match=re.escape("'jp.wage_cap' must keep the unit 'rupiah'")):
        overlay(LAW, other_unit)
    other_columns = {"jp.wage_cap": parameter("jp.wage_cap", "rupiah", (D(2024, 1, 1), 1), columns={"a": "rupiah"})}
    with pytest.raises(ParameterError, match=re.escape("'jp.wage_cap' must keep the unit")):
        overlay(LAW, other_columns)


def test_another_unit_is_refused_whichever_way_it_sorts() -> None:
    # a cap in rupiah made a number of years ("years" sorts after "rupiah", "rate" before it)
    later_unit = {"jp.wage_cap": parameter("jp.wage_cap", "years", (D(2024, 1, 1), 1))}
    with pytest.raises(ParameterError, match=re.escape("'jp.wage_cap' must keep the unit 'rupiah'")):
        overlay(LAW, later_unit)


def test_a_reform_from_before_a_later_change_of_the_law_replaces_that_change_too() -> None:
    reform = {"jp.wage_cap": Parameter("jp.wage_cap", "rupiah", "", (ParameterValue(D(2020, 1, 1), 9, "r"),), "r.yaml")}
    cap = overlay(LAW, reform)["jp.wage_cap"]
    assert [(v.effective, v.value) for v in cap.values] == [(D(2015, 7, 1), 7_000_000), (D(2020, 1, 1), 9)]
    assert cap.at(D(2024, 3, 1)).value == 9  # the law's 2024 cap is not in force under the reform

"""The parameter loader's refusals of a file's shape, each naming the file, the parameter and the date: a key written
twice (with its line), a parameter defined in two files, values that are not a mapping of dates, an entry without
its value or legal reference, an uncertain value without its reason, an official link that is not one https
address, two values taking effect on one day. What is well written is read as written. Messages by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from paritrana.rules.errors import ParameterError, RuleError
from paritrana.rules.parameters import ParameterSet, load_parameter_text, load_parameters

SOURCE = "scenario.yaml"


def entry(body: str, unit: str = "rupiah") -> str:
    """One parameter ``x`` with the given dated entries (YAML lines indented under ``values:``)."""
    return f"x:\n  unit: {unit}\n  description: a cap\n  values:\n{body}"


def refusal(text: str) -> str:
    with pytest.raises(ParameterError) as error:
        load_parameter_text(text, SOURCE)
    return str(error.value)


def test_a_well_written_parameter_is_read_as_written_in_date_order() -> None:
    text = entry(
        "    2024-03-01: {value: 10042300, reference: 'PP 45/2015 art 19', uncertain: true, why: 'one source'}\n"
        "    2015-07-01: {value: 7000000, reference: 'PP 45/2015 art 19', url: 'https://peraturan.bpk.go.id/x'}\n"
    )
    cap = load_parameter_text(text, SOURCE)["x"]
    assert (cap.name, cap.unit, cap.description, cap.source_file) == ("x", "rupiah", "a cap", SOURCE)
    first, second = cap.values
    assert (first.effective, first.value, first.uncertain, first.why) == (dt.date(2015, 7, 1), 7_000_000, False, None)
    assert first.url == "https://peraturan.bpk.go.id/x" and first.reference == "PP 45/2015 art 19"
    assert (second.effective, second.value, second.uncertain, second.why) == (
        dt.date(2024, 3, 1),
        10_042_300,
        True,
        "one source",
    )
    assert second.url is None


def test_an_empty_text_holds_no_parameter_and_two_are_both_read() -> None:
    assert len(load_parameter_text("", SOURCE)) == 0
    assert len(load_parameter_text("# nothing yet\n", SOURCE)) == 0
    two = entry("    2020-01-01: {value: 1, reference: 'PP 1/2020'}\n") + entry(
        "    2020-01-01: {value: 2, reference: 'PP 2/2020'}\n"
    ).replace("x:", "y:", 1)
    both = load_parameter_text(two, SOURCE)
    assert sorted(both) == ["x", "y"] and both["y"].values[0].value == 2


def test_a_key_written_twice_is_refused_with_its_line_and_the_files_name() -> None:
    text = entry("    2020-01-01: {value: 1, reference: 'PP 1/2020'}\n") + "x:\n  unit: rupiah\n"
    # the second ``x`` is on line 6 (PyYAML counts lines from 0)
    assert refusal(text) == "scenario.yaml: line 6: 'x' is written twice"


def test_text_that_is_not_yaml_or_not_a_mapping_of_names_is_refused() -> None:
    assert refusal("x: [1, 2\n").startswith("scenario.yaml: not a YAML file (")
    assert refusal("- x\n- y\n") == "scenario.yaml: expected a mapping of parameter names"
    assert refusal("x: 5\n") == "scenario.yaml: x: expected a mapping with unit, description and values"


def test_a_parameter_without_a_description_or_dated_values_is_refused() -> None:
    no_description = "x:\n  unit: rupiah\n  values:\n    2020-01-01: {value: 1, reference: 'PP 1'}\n"
    assert refusal(no_description) == "scenario.yaml: x: a description is required"
    expected = "scenario.yaml: x: values must be a non-empty mapping of dates"
    assert refusal("x:\n  unit: rupiah\n  description: d\n") == expected
    assert refusal("x:\n  unit: rupiah\n  description: d\n  values: {}\n") == expected
    assert refusal("x:\n  unit: rupiah\n  description: d\n  values: [1, 2]\n") == expected


def test_an_entry_needs_its_value_and_its_legal_reference() -> None:
    expected = "scenario.yaml: x 2020-01-01: expected {value: ..., reference: ...}"
    assert refusal(entry("    2020-01-01: 5\n")) == expected
    assert refusal(entry("    2020-01-01: {reference: 'PP 1/2020'}\n")) == expected
    missing = "scenario.yaml: x 2020-01-01: every value needs its legal reference"
    assert refusal(entry("    2020-01-01: {value: 1}\n")) == missing
    assert refusal(entry("    2020-01-01: {value: 1, reference: '   '}\n")) == missing


def test_an_uncertain_value_needs_its_reason_a_certain_one_does_not() -> None:
    assert refusal(entry("    2020-01-01: {value: 1, reference: 'PP 1', uncertain: true}\n")) == (
        "scenario.yaml: x 2020-01-01: an uncertain value needs a 'why'"
    )
    certain = load_parameter_text(entry("    2020-01-01: {value: 1, reference: 'PP 1', uncertain: false}\n"), SOURCE)
    assert certain["x"].values[0].uncertain is False


@pytest.mark.parametrize(
    "url",
    ["http://peraturan.bpk.go.id/x", "https://peraturan.bpk.go.id/a b", "5", "'ftp://https://x'"],
)
def test_an_official_link_must_be_one_https_address(url: str) -> None:
    message = refusal(entry(f"    2020-01-01: {{value: 1, reference: 'PP 1', url: {url}}}\n"))
    assert message.startswith("scenario.yaml: x 2020-01-01: url must be one https:// address, got ")


def test_an_unknown_key_is_refused_with_the_keys_allowed() -> None:
    assert refusal(entry("    2020-01-01: {value: 1, reference: 'PP 1', note: 'x'}\n")) == (
        "scenario.yaml: x 2020-01-01: unknown keys ['note']; allowed: ['reference', 'uncertain', 'url', 'value', 'why']"
    )


def test_two_values_taking_effect_on_one_day_are_refused() -> None:
    # one key a YAML date, the other the same day as text: two keys, one date
    text = entry("    2020-01-01: {value: 1, reference: 'PP 1'}\n    '2020-01-01': {value: 2, reference: 'PP 2'}\n")
    assert refusal(text) == "scenario.yaml: x: two values take effect on 2020-01-01"
    three = entry(
        "    2022-01-01: {value: 3, reference: 'PP 3'}\n"
        "    2020-01-01: {value: 1, reference: 'PP 1'}\n"
        "    2021-01-01: {value: 2, reference: 'PP 2'}\n"
    )
    assert [v.value for v in load_parameter_text(three, SOURCE)["x"].values] == [1, 2, 3]


def test_a_date_written_as_text_is_read_and_one_that_is_not_a_date_refused() -> None:
    text = entry("    '2020-02-29': {value: 1, reference: 'PP 1'}\n")
    assert load_parameter_text(text, SOURCE)["x"].first_effective == dt.date(2020, 2, 29)
    assert refusal(entry("    '2021-02-29': {value: 1, reference: 'PP 1'}\n")) == (
        "scenario.yaml: x: '2021-02-29' is not a date (YYYY-MM-DD)"
    )


def test_a_date_with_a_time_of_day_is_refused_naming_the_parameter() -> None:
    # YAML reads this key as a datetime; a value takes effect on a day, so it is refused here rather than
    # failing later when dates are compared
    assert refusal(entry("    2020-01-01 10:00:00: {value: 1, reference: 'PP 1'}\n")) == (
        "scenario.yaml: x: '2020-01-01 10:00:00' is not a date (YYYY-MM-DD)"
    )


def test_a_parameter_defined_in_two_files_is_refused_naming_both(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(entry("    2020-01-01: {value: 1, reference: 'PP 1'}\n"))
    (tmp_path / "b.yaml").write_text(entry("    2021-01-01: {value: 2, reference: 'PP 2'}\n"))
    with pytest.raises(ParameterError, match=re.escape("b.yaml: parameter 'x' is also defined in a.yaml")):
        load_parameters.__wrapped__(tmp_path)


def test_every_file_of_a_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(entry("    2020-01-01: {value: 1, reference: 'PP 1'}\n"))
    (tmp_path / "b.yaml").write_text(entry("    2021-01-01: {value: 2, reference: 'PP 2'}\n").replace("x:", "y:", 1))
    (tmp_path / "notes.txt").write_text("not a parameter file")
    found = load_parameters.__wrapped__(tmp_path)
    assert sorted(found) == ["x", "y"]
    assert (found["x"].source_file, found["y"].source_file) == ("a.yaml", "b.yaml")


def test_an_unknown_name_suggests_at_most_three_close_ones_and_none_when_nothing_is_close() -> None:
    one = load_parameter_text(entry("    2020-01-01: {value: 1, reference: 'PP 1'}\n"), SOURCE)["x"]
    names = [f"jp.wage_cap_{n}" for n in "abcde"]
    close = ParameterSet(dict.fromkeys(names, one))  # five names close to "jp.wage_cap"
    with pytest.raises(RuleError) as error:
        close["jp.wage_cap"]
    suggested = str(error.value).split("; did you mean ", 1)[1].removesuffix("?").split(", ")
    assert len(suggested) == 3 and set(suggested) <= set(names)
    with pytest.raises(RuleError) as far:
        close["jkm.lump_sum"]
    assert str(far.value) == "there is no parameter named 'jkm.lump_sum'"

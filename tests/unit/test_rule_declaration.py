"""What a rule is and how it reads the law: its description (the catalogue's and the API's), its registration
(a name used twice, a formula without its legal reference refused), the parameters it reads for each record's
own date (a value taking effect on its first day, a value by key, a rate in millionths, a flag), the refusals of
a keyed parameter read without its key and the reverse, and the values its explanation lists. Values by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import ibis
import ibis.expr.types as ir
import pytest

from paritrana.rules.base import Context, Field, Rule, day, get_rule, keys_of, rule, rupiah, whole, yes_no
from paritrana.rules.batch import prepare
from paritrana.rules.errors import UnknownRule
from paritrana.rules.fetch import rows_of
from paritrana.rules.inputs import records_table
from paritrana.rules.parameters import load_parameter_text

LAW = load_parameter_text(
    "x.cap:\n  unit: rupiah\n  description: a cap\n  values:\n"
    "    2020-01-01: {value: 100, reference: 'PP 1/2020 art 1'}\n"
    "    2021-01-01: {value: 200, reference: 'PP 1/2021 art 1'}\n"
    "x.by_group:\n  unit: rupiah\n  description: by risk group\n  values:\n"
    "    2020-01-01: {value: {1: 10, 2: 20, 3: 30}, reference: 'PP 1/2020 art 2'}\n"
    "    2021-01-01: {value: {2: 21, 4: 40}, reference: 'PP 1/2021 art 2'}\n"
    "x.share:\n  unit: rate\n  description: a share\n  values:\n"
    "    2020-01-01: {value: '0.0024', reference: 'PP 1/2020 art 3'}\n"
    "x.open:\n  unit: flag\n  description: open\n  values:\n"
    "    2020-01-01: {value: false, reference: 'PP 1/2020 art 4'}\n"
    "    2021-01-01: {value: true, reference: 'PP 1/2021 art 4'}\n",
    "law.yaml",
)


def _formula(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
    return {
        "cap": ctx.amount("x.cap"),
        "by_group": ctx.amount("x.by_group", t.group),
        "share_ppm": ctx.rate("x.share"),
        "open": ctx.flag("x.open"),
    }


SAMPLE = Rule(
    "sample",
    "A sample",
    "PP 1/2020 art 1",
    (
        whole("wage", "the wage", maximum=10),
        yes_no("active", "active", default=True),
        day("born", "born"),
        Field("group", "int64", "the risk group", choices=(1, 2, 3, 4)),
        Field("since", "date", "since", default=dt.date(2020, 1, 1)),
    ),
    (rupiah("cap", "a cap"), rupiah("by_group", "by group"), rupiah("share_ppm", "share", explain_only=True)),
    _formula,
)


def test_a_rule_describes_its_inputs_bounds_defaults_choices_and_intermediates() -> None:
    described = SAMPLE.describe()
    assert (described["name"], described["title"], described["reference"], described["group"]) == (
        "sample",
        "A sample",
        "PP 1/2020 art 1",
        "",
    )
    assert described["inputs"] == [
        {"name": "wage", "type": "int64", "description": "the wage", "minimum": 0, "maximum": 10},
        {"name": "active", "type": "bool", "description": "active", "default": True},
        {"name": "born", "type": "date", "description": "born"},
        {"name": "group", "type": "int64", "description": "the risk group", "choices": [1, 2, 3, 4]},
        {"name": "since", "type": "date", "description": "since", "default": "2020-01-01"},
    ]
    assert described["outputs"] == [
        {"name": "cap", "type": "int64", "description": "a cap"},
        {"name": "by_group", "type": "int64", "description": "by group"},
        {"name": "share_ppm", "type": "int64", "description": "share", "intermediate": True},
    ]


def test_an_input_is_found_by_its_name() -> None:
    assert SAMPLE.input("since").name == "since" and SAMPLE.input("active").name == "active"
    with pytest.raises(KeyError):
        SAMPLE.input("salary")
    with pytest.raises(UnknownRule, match="there is no rule named 'jkm_benefits'"):
        get_rule("jkm_benefits")


def test_a_rule_takes_its_reference_from_its_docstrings_first_line_and_is_registered_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("paritrana.rules.base.RULES", {})

    def formula(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
        """
        PP 44/2015 art 34
        and the annex
        """
        return {}

    rule("one", title="One", inputs=(), outputs=())(formula)
    from paritrana.rules import base

    assert base.RULES["one"].reference == "PP 44/2015 art 34"
    with pytest.raises(ValueError, match="rule 'one' is defined twice"):
        rule("one", title="One", inputs=(), outputs=())(formula)

    def bare(ctx: Context, t: ir.Table) -> Mapping[str, ir.Value]:
        return {}

    with pytest.raises(ValueError, match="rule 'bare' needs a docstring citing its articles"):
        rule("bare", title="Bare", inputs=(), outputs=())(bare)
    assert list(base.RULES) == ["one"]


def test_each_record_reads_the_law_of_its_own_date_by_key_rate_and_flag() -> None:
    records = [
        {"wage": 1, "born": "1990-01-01", "group": 1, "date": "2020-12-31"},
        {"wage": 1, "born": "1990-01-01", "group": 2, "date": "2021-01-01"},  # the day the 2021 values take effect
        {"wage": 1, "born": "1990-01-01", "group": 4, "date": "2021-06-01"},
        {"wage": 1, "born": "1990-01-01", "group": 3, "date": "2020-06-01"},
    ]
    run = prepare(SAMPLE, records_table(SAMPLE, records), parameters=LAW)
    rows = rows_of(run.table)
    assert [r["cap"] for r in rows] == [100, 200, 200, 100]
    assert [r["by_group"] for r in rows] == [10, 21, 40, 30]
    assert [r["share_ppm"] for r in rows] == [2400] * 4
    listed = [(p["name"], p["effective"]) for p in run.parameters_used()]
    assert ("x.cap", "2020-01-01") in listed and ("x.cap", "2021-01-01") in listed


def test_a_keyed_parameter_needs_its_key_and_a_plain_one_takes_none() -> None:
    on = Context(LAW, dt.date(2020, 6, 1))
    with pytest.raises(TypeError, match=r"parameter x\.by_group is keyed: pass a key"):
        on.amount("x.by_group")
    with pytest.raises(TypeError, match=r"parameter x\.cap is not keyed"):
        on.amount("x.cap", ibis.literal(1))
    assert on.value("x.cap") == 100 and on.scalar_date == dt.date(2020, 6, 1)
    by_column = Context(LAW, ibis.table({"date": "date"}, name="t").date)
    assert by_column.scalar_date is None
    with pytest.raises(TypeError, match=r"x\.cap: use versioned"):
        by_column.value("x.cap")


def test_the_keys_of_a_keyed_parameter_over_its_whole_history_in_order() -> None:
    assert keys_of(LAW, "x.by_group") == (1, 2, 3, 4)
    assert keys_of(LAW, "x.cap") == ()


def test_the_explanation_lists_the_values_in_force_from_the_first_records_date_to_the_last() -> None:
    # JKM lump sum: Rp16,200,000 (PP 44/2015 art 34) to 1 December 2019, Rp20,000,000 (PP 82/2019) from the 2nd
    jkm = get_rule("jkm_benefit")

    def lump_sums(records: list[dict[str, object]], on: dt.date | None = None) -> list[int]:
        run = prepare(jkm, records_table(jkm, records), on=on)
        return [p["value"] for p in run.parameters_used() if p["name"] == "jkm.lump_sum"]

    assert lump_sums([{"membership_active": True}], on=dt.date(2019, 12, 1)) == [16_200_000]
    spanning = [{"membership_active": True, "date": "2019-11-15"}, {"membership_active": True, "date": "2019-12-10"}]
    assert lump_sums(spanning) == [16_200_000, 20_000_000]

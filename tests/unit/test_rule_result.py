"""A rule's result on one record as people and programs read it: the outputs without the intermediate values, the
explanation only when asked for, dates written YYYY-MM-DD. JKM under PP 82/2019 art 34 (from 2 December 2019):
Rp20,000,000 lump sum, Rp12,000,000 of periodic payments (24 x Rp500,000) and Rp10,000,000 for the funeral.
Values by hand."""

from __future__ import annotations

import datetime as dt

from paritrana.rules import compute_one
from paritrana.rules.result import Explanation, Result


def test_the_outputs_without_their_intermediates_and_the_explanation_only_when_asked() -> None:
    result = compute_one("jkm_benefit", "2024-05-01", {"membership_active": True})
    plain = result.as_dict()
    assert set(plain) == {"rule", "date", "inputs", "outputs"}
    assert plain["rule"] == "jkm_benefit" and plain["date"] == "2024-05-01"
    assert plain["outputs"]["total"] == 42_000_000 and plain["outputs"]["lump_sum"] == 20_000_000
    explained = result.as_dict(explain=True)
    assert {p["name"] for p in explained["explanation"]["parameters"]} >= {"jkm.lump_sum"}
    assert not set(explained["explanation"]["intermediate"]) & set(plain["outputs"])


def test_dates_are_written_as_iso_text_and_other_values_as_they_are() -> None:
    result = Result(
        "jp_benefits",
        dt.date(2032, 1, 15),
        {"birth_date": dt.date(1971, 1, 15), "wage": 5_000_000, "active": True},
        {"pension_date": dt.date(2032, 1, 15), "monthly": 300_000},
        Explanation([], {"reached_on": dt.date(2032, 1, 15)}),
    )
    shown = result.as_dict(explain=True)
    assert shown["inputs"] == {"birth_date": "1971-01-15", "wage": 5_000_000, "active": True}
    assert shown["outputs"] == {"pension_date": "2032-01-15", "monthly": 300_000}
    assert shown["explanation"] == {"parameters": [], "intermediate": {"reached_on": "2032-01-15"}}
    assert "explanation" not in result.as_dict()

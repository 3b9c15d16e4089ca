"""The pages' formats: money with a space after Rp, counts grouped, dates written out, keys in words."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import translation


def render(source: str, **context: object) -> str:
    return Template("{% load web_tags %}" + source).render(Context(context))


def test_money_counts_and_dates_in_bahasa_indonesia_and_english() -> None:
    with translation.override("id"):
        assert render("{{ x|rupiah }}", x=28_800_200) == "Rp 28.800.200"
        assert render("{{ x|count }}", x=5396) == "5.396"
        assert render("{{ x|day }}", x=dt.date(2026, 12, 5)) == "5 Desember 2026"
        assert render("{{ x|day }}", x="2015-07-01") == "1 Juli 2015"
        assert render("{{ x|rule_title }}", x="pu_contributions") != "pu_contributions"
        assert render("{{ x|law_parameter }}", x="jp.accrual_rate") == "tingkat manfaat JP"
    with translation.override("en"):
        assert render("{{ x|rupiah }}", x=28_800_200) == "Rp 28,800,200"
        assert render("{{ x|count }}", x=5396) == "5,396"
        assert render("{{ x|day }}", x=dt.date(2026, 12, 5)) == "5 December 2026"
        assert render("{{ x|rule_title }}", x="pu_contributions") == "Monthly contributions of a wage earner (PU)"
        assert render("{{ x|law_parameter }}", x="jp.accrual_rate") == "JP accrual rate"
    assert render("{{ x|rupiah }}", x=None) == "—"
    assert render("{{ x|award_zone }}", x="jawa_bali") == "Jawa–Bali"

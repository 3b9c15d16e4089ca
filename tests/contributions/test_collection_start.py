"""The earliest value date of a payment is the dated parameter ``collection.started`` (UU 24/2011), read through
the rules, and the refusals show their dates as words in the user's language (``1 Januari 2014``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from paritrana.contributions import bankfile
from paritrana.contributions.periods import collection_start, shown_date
from paritrana.contributions.services.payments import check_paid_on
from paritrana.core.errors import ValidationFailed
from paritrana.core.messages import row_message
from paritrana.rules import load_parameters

TODAY = dt.date(2026, 12, 5)


def test_the_start_is_the_parameter_with_its_legal_reference() -> None:
    parameter = load_parameters()["collection.started"]
    first = parameter.values[0]
    assert collection_start() == first.effective == dt.date(2014, 1, 1)
    assert first.value is True
    assert "UU 24/2011" in first.reference


def test_a_payment_before_the_start_is_refused_with_the_dates_in_words() -> None:
    check_paid_on(dt.date(2014, 1, 1))  # the first day is accepted
    with translation.override("id"), pytest.raises(ValidationFailed) as err:
        check_paid_on(dt.date(2013, 12, 31))
    assert err.value.field == "paid_on"
    assert err.value.reason == "31 Desember 2013 sebelum 1 Januari 2014, saat program mulai memungut iuran"
    with translation.override("en"), pytest.raises(ValidationFailed) as err:
        check_paid_on(dt.date(2013, 12, 31), field="value_date")
    assert err.value.field == "value_date"
    assert "31 December 2013" in err.value.reason and "1 January 2014" in err.value.reason
    assert "2014-01-01" not in err.value.reason


def test_a_statement_line_before_the_start_is_a_row_error_naming_the_start() -> None:
    assert bankfile.check_date(dt.date(2014, 1, 1), "2014-01-01", 3, "value_date", TODAY) is None
    with translation.override("id"):
        error = bankfile.check_date(dt.date(2013, 12, 31), "2013-12-31", 3, "value_date", TODAY)
    assert error is not None and (error.row, error.field) == (3, "value_date")
    assert error.params["earliest"] == "2014-01-01"  # kept as ISO text, shown in the reader's words
    with translation.override("id"):
        assert (
            row_message(error.as_dict()) == "31 Desember 2013 sebelum 1 Januari 2014, saat program mulai memungut iuran"
        )


def test_shown_date_follows_the_active_language() -> None:
    day = dt.date(2026, 12, 5)
    with translation.override("id"):
        assert shown_date(day) == "5 Desember 2026"
    with translation.override("en"):
        assert shown_date(day) == "5 December 2026"


def test_the_start_is_read_from_the_rules_cached_set_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """No cache of its own: a changed parameter set (a test's, or the files read again) is seen at once."""
    from paritrana.contributions import periods
    from paritrana.rules.parameters import Parameter, ParameterSet, ParameterValue

    assert collection_start() == dt.date(2014, 1, 1)
    later = ParameterValue(dt.date(2015, 1, 1), True, "UU 24/2011")
    law = dict(load_parameters(), **{"collection.started": Parameter("collection.started", "flag", "d", (later,), "x")})
    monkeypatch.setattr(periods, "load_parameters", lambda: ParameterSet(law))
    assert collection_start() == dt.date(2015, 1, 1)

"""Domain messages (English in the code) are shown in the user's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from paritrana.core.errors import ValidationFailed
from paritrana.core.messages import row_message
from paritrana.registry.nik import check_nik
from paritrana.web.domain_text import TEMPLATES, translate_message


def nik_error(nik: str, birth: dt.date, sex: str) -> str:
    with pytest.raises(ValidationFailed) as caught:
        check_nik(nik, birth, sex, lambda code: code.startswith("32"))
    return caught.value.reason


@pytest.mark.parametrize(
    ("nik", "birth", "sex", "indonesian"),
    [
        ("327301150590001", dt.date(1990, 5, 15), "M", "NIK 3273… terdiri atas 15 digit; seharusnya 16"),
        ("32730115059000a1", dt.date(1990, 5, 15), "M", "memuat karakter selain angka"),
        ("3273011513900001", dt.date(1990, 5, 15), "M", "digit 9–10 (13) bukan bulan"),
        ("3273015505900001", dt.date(1990, 5, 15), "M", "menunjukkan perempuan"),
        ("3273011505900001", dt.date(1990, 5, 15), "F", "menunjukkan laki-laki"),
        ("3273011505910001", dt.date(1990, 5, 15), "M", "tanggal lahir yang dicatat 1990-05-15"),
        ("3373011505900001", dt.date(1990, 5, 15), "M", "kode provinsi 33"),
    ],
)
def test_every_nik_message_is_translated(nik: str, birth: dt.date, sex: str, indonesian: str) -> None:
    message = nik_error(nik, birth, sex)
    with translation.override("id"):
        shown = translate_message(message)
    assert indonesian in shown, (message, shown)
    with translation.override("en"):
        assert translate_message(message) == message


def test_an_unknown_message_is_shown_as_it_is() -> None:
    with translation.override("id"):
        assert translate_message("something new happened") == "something new happened"


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        (
            "must be at most 10,000,000,000,000 (got 10,000,000,000,001)",
            "paling besar 10.000.000.000.000 (diisi 10.000.000.000.001)",
        ),
        ("must be at least 0 (got -5,000)", "paling kecil 0 (diisi -5.000)"),
        ("must be at least 0 (got -1,234.5)", "paling kecil 0 (diisi -1.234,5)"),
        ("must be at least 0 (got -5000)", "paling kecil 0 (diisi -5000)"),  # not grouped: as written
        ("must be at least 0 (got 0.0024)", "paling kecil 0 (diisi 0.0024)"),
        ("must be at least 0 (got 12,34)", "paling kecil 0 (diisi 12,34)"),  # not thousands: as written
    ],
)
def test_a_number_the_rules_group_in_english_is_grouped_the_indonesian_way(english: str, indonesian: str) -> None:
    """The rules speak no language and group thousands with commas; Bahasa Indonesia groups them with dots."""
    with translation.override("id"):
        assert translate_message(english) == indonesian
    with translation.override("en"):
        assert translate_message(english) == english


def test_a_stored_row_errors_dates_are_read_in_the_readers_words() -> None:
    """A row error keeps its dates as ISO text and is read in either language; text that only looks like a date
    is shown as it is."""
    error = {
        "template": "{month} is before the worker's membership began ({start})",
        "params": {"month": "2025-01", "start": "2025-02-10"},
    }
    with translation.override("id"):
        assert row_message(error) == "Januari 2025 sebelum kepesertaan pekerja dimulai (10 Februari 2025)"
    with translation.override("en"):
        assert row_message(error) == "January 2025 is before the worker's membership began (10 February 2025)"
        bad = {"template": "{month} is before the worker's membership began ({start})",
               "params": {"month": "2025-13", "start": "2025-02-30"}}  # fmt: skip
        assert row_message(bad) == "2025-13 is before the worker's membership began (2025-02-30)"


def test_every_template_has_an_indonesian_translation() -> None:
    with translation.override("id"):
        missing = [t for t in TEMPLATES if translation.gettext(t) == t and t != "NIK"]
    assert not missing


def test_the_legal_cases_refusals_are_in_bahasa_indonesia() -> None:
    """Every refusal among the legal test cases reads in Bahasa Indonesia on the calculator page."""
    import datetime as dt
    from pathlib import Path

    import yaml

    from paritrana.rules import InvalidInput, RuleError, compute_one

    untranslated = []
    for path in sorted((Path(__file__).parents[1] / "rules").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()) or []:
            if "error" not in case:
                continue
            on = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(str(case["date"]))
            try:
                compute_one(case["rule"], on, case.get("inputs", {}))
            except InvalidInput as err:
                message = err.reason
            except RuleError as err:
                message = str(err)
            else:
                continue
            with translation.override("id"):
                if translate_message(message) == message:
                    untranslated.append(message)
    assert not untranslated, "add their shapes to paritrana/web/domain_text.py and locale/id/LC_MESSAGES/django.po"

"""Domain error messages in the user's language, for the pages and the API alike.

The registry, the use cases and the rules raise errors with English messages for a person
("NIK 3273… has 15 digits; it needs 16"). Each known message shape is listed
here once, as a translatable template with ``{placeholders}``; a message is
matched against the English templates and rendered again from the translated
one with the same values. A message of an unknown shape is shown as it is.
A stored row error (``template`` and ``params``) is shown by ``row_message``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, gettext_noop

TEMPLATES: tuple[str, ...] = (
    # registry: the NIK check
    gettext_noop("NIK must be text of 16 digits"),
    gettext_noop("NIK is empty; it needs 16 digits"),
    gettext_noop("NIK {nik} contains characters other than digits; it needs 16 digits"),
    gettext_noop("NIK {nik} has {digits} digits; it needs 16"),
    gettext_noop("NIK {nik}: digits 9–10 ({month}) are not a month"),
    gettext_noop(
        "NIK {nik}: digits 7–12 ({digits}) are not a birth date (day, month, year; 40 added to the day for women)"
    ),
    gettext_noop("NIK {nik}: the serial number (digits 13–16) cannot be 0000"),
    gettext_noop("NIK {nik}: province code {code} (digits 1–2) does not exist"),
    gettext_noop("NIK {nik}: regency/city code {code} (digits 1–4) does not exist"),
    gettext_noop("NIK {nik}: district code {code} (digits 1–6) does not exist"),
    gettext_noop(
        "NIK {nik}: the day in digits 7–8 ({day}) says female, but the recorded sex is male; "
        "the day should be at most 31 (no 40 added for men)"
    ),
    gettext_noop(
        "NIK {nik}: the day in digits 7–8 ({day}) says male, but the recorded sex is female; "
        "the day should be more than 40 (40 is added for women)"
    ),
    gettext_noop(
        "NIK {nik}: digits 7–12 encode the birth date {encoded} (DD-MM-YY), but the recorded birth date is {recorded}"
    ),
    # registry: use cases
    gettext_noop("is required"),
    gettext_noop("is required and must be a whole number"),
    gettext_noop("{value} is not a whole number"),
    gettext_noop("must be at least {minimum}"),
    gettext_noop("must be at most {maximum}"),
    gettext_noop("{value} is not a date (YYYY-MM-DD)"),
    gettext_noop("{value} is not one of: {choices}"),
    gettext_noop("is not a worker field"),
    gettext_noop("is not an employer field"),
    gettext_noop("is in the future"),
    gettext_noop("is before 1900"),
    gettext_noop("a worker with NIK {nik} is already registered"),
    gettext_noop("an employer with this registration number already exists"),
    gettext_noop("a wage earner (PU) is registered through an employer"),
    gettext_noop("a non-wage earner (BPU) registers individually, without an employer"),
    gettext_noop("the employer is not in your branch"),
    gettext_noop("the region of domicile is not served by your branch"),
    gettext_noop("the region of domicile is not in your region"),
    gettext_noop("region {code} is not served by your branch"),
    gettext_noop("region code {code} does not exist (write it as Kemendagri does, e.g. 33.73)"),
    gettext_noop("branch {code} does not exist"),
    gettext_noop("employer {value} does not exist"),
    gettext_noop("employer HR registers wage earners (PU) of its own company only"),
    gettext_noop("a branch officer registers employers of its own branch only"),
    gettext_noop("your role cannot register workers"),
    gettext_noop("your role cannot register employers"),
    gettext_noop("your role cannot register or change workers"),
    gettext_noop("your role cannot register or change employers"),
    # records not found (404) and refusals (403) of the use cases
    gettext_noop("worker {id} does not exist"),
    gettext_noop("beneficiary list {id} does not exist"),
    gettext_noop("bill {id} does not exist"),
    gettext_noop("payer {id} does not exist"),
    gettext_noop("programme {id} does not exist"),
    gettext_noop("wage upload {id} does not exist"),
    gettext_noop("no JHT account of worker {id}"),
    gettext_noop("there is no region with code {code}"),
    gettext_noop("the worker's employer is not in your scope"),
    gettext_noop("your role cannot see or report wages"),
    gettext_noop("your role does not see the compliance follow-up list"),
    gettext_noop("only the programme's regional government (or an administrator) may enrol"),
    gettext_noop("only a regional officer or an administrator creates programmes"),
    gettext_noop("only the programme's regional government (or an administrator) may change it"),
    gettext_noop("your profile has no region"),
    gettext_noop("your role does not see regional programmes"),
    # use cases: checked values
    gettext_noop("expected a whole number, not true or false"),
    gettext_noop("sex must be one of {choices}"),
    gettext_noop("NIK {nik}: region code {code} does not exist"),
    gettext_noop("{name} is not one of: JKK, JKM, JHT"),
    gettext_noop("sponsor {value} does not exist"),
    gettext_noop("contains a NUL character"),
    gettext_noop("must be at most {maximum} characters"),
    gettext_noop("{start} is before {earliest}: no account is that old"),
    gettext_noop("only a scholarship claim lists children"),
    gettext_noop("not base64"),
    gettext_noop("the budget must be a whole number of rupiah above zero"),
    gettext_noop("months must be a whole number from 1 to {maximum}"),
    gettext_noop("give the first month as YYYY-MM"),
    gettext_noop("the target must be a whole number of people above zero"),
    gettext_noop("give a month, YYYY-MM"),
    gettext_noop("{code} is not a region code"),
    gettext_noop("the maximum age {maximum} is below the minimum age {minimum}"),
    gettext_noop("give a list of occupations"),
    gettext_noop("{value} is not an occupation of the registry"),
    gettext_noop("{programme} is already renewed for {year}"),
    gettext_noop("a province's programme is paid by the province (10000)"),
    gettext_noop("a programme belongs to a province or a regency/city"),
    gettext_noop("no region with code {code}"),
    gettext_noop("you create programmes for {region} only"),
    gettext_noop("is required: a date, YYYY-MM-DD"),
    gettext_noop("must be a whole number"),
    gettext_noop("must be text"),
    gettext_noop("at most {maximum} characters, not {length}"),
    gettext_noop("must be from {low} to {high}, not {value}"),
    gettext_noop("{value} is not a date; write it as YYYY-MM-DD"),
    gettext_noop("{value} is not one of {choices}"),
    gettext_noop("cannot be changed on renewal"),
    gettext_noop("is not a programme field"),
    # the API's schema checks (pydantic's messages)
    gettext_noop("Field required"),
    gettext_noop("Extra inputs are not permitted"),
    gettext_noop("Input should be greater than or equal to {minimum}"),
    gettext_noop("Input should be less than or equal to {maximum}"),
    gettext_noop("Input should be greater than {minimum}"),
    gettext_noop("Input should be less than {maximum}"),
    gettext_noop("Input should be a valid integer"),
    gettext_noop("Input should be a valid integer, unable to parse string as an integer"),
    gettext_noop("Input should be a valid integer, got a number with a fractional part"),
    gettext_noop("Input should be a valid string"),
    gettext_noop("Input should be a valid boolean"),
    gettext_noop("Input should be a valid boolean, unable to interpret input"),
    gettext_noop("Input should be a valid list"),
    gettext_noop("String should have at most {maximum} characters"),
    gettext_noop("String should have at least {minimum} characters"),
    gettext_noop("String should match pattern {pattern}"),
    gettext_noop("List should have at most {maximum} items after validation, not {count}"),
    # rules: input checks
    gettext_noop("must be between {first} and {last} (got {value})"),
    gettext_noop("expected a whole number, got {value}"),
    gettext_noop("expected true or false, got {value}"),
    gettext_noop("expected a date YYYY-MM-DD, got {value}"),
    gettext_noop("must be at least {minimum} (got {value})"),
    gettext_noop("must be at most {maximum} (got {value})"),
    gettext_noop("is not one of {choices} (got {value})"),
    gettext_noop("is not one of {choices}"),
    gettext_noop("is missing or not a whole number"),
    gettext_noop("is missing or not a date (YYYY-MM-DD)"),
    gettext_noop("is missing or not true or false"),
    gettext_noop("is not a whole number (got {value})"),
    gettext_noop(
        "is beyond {limit}, the largest whole number a 32-bit float holds exactly: write money columns as integers or 64-bit floats (got {value})"
    ),
    gettext_noop("is not a date (YYYY-MM-DD) (got {value})"),
    gettext_noop("is not true or false (got {value})"),
    gettext_noop("parameter {name} has no value in force on {date}: its first value takes effect on {first}"),
    # rules: checks of a formula's own inputs
    gettext_noop(
        "must be given: no JHT crediting rate declared for the year of the date is on record (jht.return_rate); give the rate BPJS TK declared for that year, in basis points (got {value})"
    ),
    gettext_noop("must be given (above 0) when wages are known (got {value})"),
    gettext_noop("must be given (above 0) when wages are not known (got {value})"),
    gettext_noop(
        "no JHT crediting rate declared for {year} is on record (jht.return_rate knows only {years}); give the rate BPJS TK declared for that year as declared_rate_bp"
    ),
    gettext_noop("is before {other} (got {value})"),
    gettext_noop("is outside the range of the table row ({row}) (got {value})"),
    gettext_noop("is required for a partial disability (got {value})"),
    gettext_noop("must be more than 0 for a partial functional disability (got {value})"),
    gettext_noop("exceeds {other} (got {value})"),
    gettext_noop(
        "the JP benefit bound {name} in force on {date} is not known (values from {since} were not found: {why})"
    ),
    gettext_noop("must be 0 (no JHT) or between {low} and {high} (got {value})"),
)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        parts.append(f"(?P<{m.group(1)}>.+?)")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    # Longest templates first, so that a specific shape wins over a general one.
    return [(_pattern(t), t) for t in sorted(TEMPLATES, key=len, reverse=True)]


# a number the rules wrote with English thousands (they speak no language): "-10,000,000.5"
_ENGLISH_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")


def _in_language(value: str) -> str:
    """``value`` with the active language's separators when it is a number grouped the English way
    (``10.000.000`` in Bahasa Indonesia); anything else unchanged."""
    if not _ENGLISH_GROUPED.match(value):
        return value
    thousands, decimal = str(formats.get_format("THOUSAND_SEPARATOR")), str(formats.get_format("DECIMAL_SEPARATOR"))
    return value.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def _fill(template: str, values: dict[str, str | None]) -> str:
    def value(p: re.Match[str]) -> str:
        given = values.get(p.group(1))
        return _in_language(given) if given else p.group(0)

    return _PLACEHOLDER.sub(value, template)


def translate_message(message: str) -> str:
    """``message`` in the active language when its shape is known; else unchanged."""
    text = str(message).strip()
    for pattern, template in _patterns():
        m = pattern.match(text)
        if m:
            values = m.groupdict()
            translated = gettext(template)
            return _fill(translated, values)
    return text


_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})\Z")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")


def _date_in_words(value: Any) -> Any:
    """A month or day a row error keeps as ISO text (``2025-03``, ``2024-01-01``) in the active language's words
    (``Maret 2025``, ``1 Januari 2024``): the error is stored once and read in either language. Anything else, and
    text that only looks like a date (``2025-13``), as it is."""
    if not isinstance(value, str):
        return value
    try:
        if m := _ISO_MONTH.match(value):
            return formats.date_format(dt.date(int(m[1]), int(m[2]), 1), "F Y")
        if m := _ISO_DAY.match(value):
            return formats.date_format(dt.date(int(m[1]), int(m[2]), int(m[3])), "j F Y")
    except ValueError:
        pass
    return value


def row_message(error: Mapping[str, Any]) -> str:
    """A stored row error's message in the active language: its template translated, its values filled in, dates in
    words (a value that is itself a known message, such as the NIK check's reason, translated too)."""
    template = error.get("template")
    params = error.get("params") or {}
    if isinstance(template, str) and isinstance(params, dict):
        try:
            shown = {name: _date_in_words(value) for name, value in params.items()}
            return translate_message(gettext(template).format(**shown))
        except (KeyError, IndexError, ValueError):
            pass
    return translate_message(str(error.get("message", "")))

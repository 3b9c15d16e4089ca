"""Domain error messages in the user's language.

The registry and the rules raise errors with English messages for a person
("NIK 3273… has 15 digits; it needs 16"). Each known message shape is listed
here once, as a translatable template with ``{placeholders}``; a message is
matched against the English templates and rendered again from the translated
one with the same values. A message of an unknown shape is shown as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
    # rules: input checks
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


def _fill(template: str, values: dict[str, str | None]) -> str:
    def value(p: re.Match[str]) -> str:
        return values.get(p.group(1)) or p.group(0)

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

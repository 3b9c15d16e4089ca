"""A bill line's note, stored language-neutral: a key and its values, separated by spaces (decision 0040).

- ``wage_corrected 2845000 4750000``: an adjustment, the wage billed before and now;
- ``income_basis_corrected 1000000 1200000``: the same for a non-wage earner's declared income;
- ``wage_recomputed 4750000`` / ``income_basis_recomputed 1000000``: recomputed under the law, the basis unchanged;
- ``late 2 1500000 2025-03 2025-04-15 2025-05-20 LATE-1``: a late-payment penalty: months late, the amount paid
  late, the contributions' month, their due date, the day paid, and the payment's reference (the rest of the
  note, which may hold spaces).

Billing and the penalties write them; a page, the bill's PDF and the JHT statement put them in words in the
reader's language (``web/bill_text.py``). Notes written before (in English: "wage 2.845.000 → 4.750.000",
"2 months late: Rp 1.500.000 of the contributions of 2025-03 (due …) paid …, ref. …") are read by ``from_english``:
the data migration rewrote the stored ones with it, and a JHT entry's reference may still quote one.
"""

from __future__ import annotations

import datetime as dt
import re

# each key with the number of its values (the last may hold spaces)
ARITY = {
    "wage_corrected": 2,
    "income_basis_corrected": 2,
    "wage_recomputed": 1,
    "income_basis_recomputed": 1,
    "late": 6,
}


def note(key: str, *values: object) -> str:
    """The stored note of ``key`` with ``values``."""
    if ARITY.get(key) != len(values):
        raise ValueError(f"a {key} note has {ARITY.get(key)} values, not {len(values)}")
    return " ".join([key, *(str(v) for v in values)])


def late_note(months: int, amount: int, period: dt.date, due: dt.date, paid: dt.date, reference: str) -> str:
    return note("late", months, amount, f"{period:%Y-%m}", due.isoformat(), paid.isoformat(), reference or "-")


def parse(text: str) -> tuple[str, list[str]] | None:
    """The key and the values of a stored note; None for a note of no known form (shown as it is)."""
    key, _, rest = (text or "").partition(" ")
    arity = ARITY.get(key)
    if arity is None:
        return None
    values = rest.split(" ", arity - 1)
    if len(values) != arity or not all(v.isdigit() for v in values[: min(arity, 2)]):
        return None
    return key, values


_AMOUNT = r"(\d{1,3}(?:[.,]\d{3})*)"
_CHANGED = re.compile(rf"^(wage|income basis) {_AMOUNT} → {_AMOUNT}$")
_UNCHANGED = re.compile(rf"^recomputed; (wage|income basis) {_AMOUNT} unchanged$")
_LATE = re.compile(
    r"^(\d+) months? late: -?Rp\s?([\d.]+) of the contributions of (\d{4}-\d{2}) \(due (\d{4}-\d{2}-\d{2})\) "
    r"paid (\d{4}-\d{2}-\d{2}), ref\. (.*)$",
    re.DOTALL,
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def from_english(text: str) -> str | None:
    """The language-neutral note of a note written in English before (None when it is of no such form)."""
    if m := _CHANGED.match(text):
        basis = m.group(1).replace(" ", "_")
        return note(f"{basis}_corrected", _digits(m.group(2)), _digits(m.group(3)))
    if m := _UNCHANGED.match(text):
        return note(f"{m.group(1).replace(' ', '_')}_recomputed", _digits(m.group(2)))
    if m := _LATE.match(text):
        months, amount, period, due, paid, reference = m.groups()
        return note("late", months, _digits(amount), period, due, paid, reference or "-")
    return None

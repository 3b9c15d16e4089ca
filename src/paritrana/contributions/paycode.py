"""Payment codes: the virtual-account number a payer transfers to (pure, no Django).

A code is 15 digits: the biller's prefix at the bank (``PREFIX``, 4 digits), the payer's number
left-padded to 10 digits, and a Luhn check digit over the 14 digits before it. The Luhn digit
catches every single mistyped digit and most swaps of two neighbours, so a transfer to a mistyped
code is told apart from a payment to another payer. The number is static (it stays with the payer
for every bill, SNAP's "static VA"): the bank credits any amount, and the statement line carries
it back to us.
"""

from __future__ import annotations

import re

PREFIX = "8862"  # the biller code the collecting bank assigns (a demo value; set per bank agreement)
PAYER_DIGITS = 10
LENGTH = len(PREFIX) + PAYER_DIGITS + 1
_CODE_IN_TEXT = re.compile(rf"(?<!\d){PREFIX}\d{{{PAYER_DIGITS + 1}}}(?!\d)")


def luhn_digit(digits: str) -> str:
    """The Luhn check digit to append to ``digits``."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # doubled: the digit next to the check digit, and every second one from it
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def payment_code(payer_id: int) -> str:
    """The payment code of payer ``payer_id``."""
    if payer_id <= 0 or payer_id >= 10**PAYER_DIGITS:
        raise ValueError(f"payer number {payer_id} does not fit a payment code")
    body = f"{PREFIX}{payer_id:0{PAYER_DIGITS}d}"
    return body + luhn_digit(body)


def payer_of_code(code: str) -> int | None:
    """The payer number a code carries, or None when it is not a valid code (length, prefix, check digit)."""
    code = (code or "").replace(" ", "").replace("-", "")
    if len(code) != LENGTH or not code.isdigit() or not code.startswith(PREFIX):
        return None
    if luhn_digit(code[:-1]) != code[-1]:
        return None
    payer_id = int(code[len(PREFIX) : -1])
    return payer_id or None


def find_code(text: str) -> str:
    """The first thing in ``text`` shaped like a payment code (prefix and length; not yet checked), or ''."""
    found = _CODE_IN_TEXT.search(text or "")
    return found.group(0) if found else ""


def grouped(code: str) -> str:
    """A code in groups of four digits, as printed for people to type."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))

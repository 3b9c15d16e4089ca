"""Helpers of the bank tests: statement files written like a bank would, and a second branch officer."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model

from paritrana.accounts.models import Profile, Role
from paritrana.contributions.paycode import payment_code
from tests.platform.world import World

ACCOUNT = "1234567890"


def csv_statement(rows: Sequence[tuple[str, dt.date, int, str, str]]) -> io.BytesIO:
    """A CSV statement: (bank reference, value date, amount, payment code, description) per row."""
    lines = ["bank_reference,value_date,amount,payment_code,description,account"]
    for ref, day, amount, code, text in rows:
        lines.append(f"{ref},{day.isoformat()},{amount},{code},{text},{ACCOUNT}")
    return io.BytesIO(("\n".join(lines) + "\n").encode())


def mt940_statement(rows: Sequence[tuple[str, dt.date, int, str, str]], opening: int = 0) -> io.BytesIO:
    """The same rows as an MT940 statement (credits; a negative amount is a debit), balances that add up."""
    out = [":20:STMT-TEST", f":25:{ACCOUNT}", ":28C:00001/001", f":60F:C250401IDR{opening},00"]
    balance = opening
    for ref, day, amount, code, text in rows:
        mark = "C" if amount > 0 else "D"
        out.append(f":61:{day:%y%m%d}{day:%m%d}{mark}{abs(amount)},00NTRF{code or 'NONREF'}//{ref}")
        out.append(f":86:{text} {code}".rstrip())
        balance += amount
    out.append(f":62F:C250430IDR{balance},00")
    out.append("-")
    return io.BytesIO(("\r\n".join(out) + "\r\n").encode())


def code(payer_id: int) -> str:
    return payment_code(payer_id)


def second_officer(world: World, name: str = "branch-second") -> Any:
    """Another branch officer of KC-33 (the world has one)."""
    user = get_user_model().objects.create(username=f"t_{name}")
    Profile.objects.create(user=user, role=Role.BRANCH_OFFICER, branch=world.branches["KC-33"])
    return user

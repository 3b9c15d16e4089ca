"""Bill line notes stored language-neutral (contributions/line_notes.py, decision 0040): the forms written, the
English notes of before read into them, and the data migration that rewrote the stored ones."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps

from paritrana.contributions.line_notes import from_english, late_note, note, parse
from paritrana.contributions.models import Bill, BillLine, Payer
from tests.platform.world import World, build_world

REWRITE = importlib.import_module("paritrana.contributions.migrations.0004_neutral_bill_notes").rewrite


def test_the_forms_written_and_read() -> None:
    assert note("wage_corrected", 2_845_000, 4_750_000) == "wage_corrected 2845000 4750000"
    late = late_note(2, 1_500_000, dt.date(2025, 3, 1), dt.date(2025, 4, 15), dt.date(2025, 5, 20), "BCA 77 x")
    assert late == "late 2 1500000 2025-03 2025-04-15 2025-05-20 BCA 77 x"
    assert parse(late) == ("late", ["2", "1500000", "2025-03", "2025-04-15", "2025-05-20", "BCA 77 x"])
    assert parse("wage_corrected 1 2") == ("wage_corrected", ["1", "2"])
    for other in ("", "wage_corrected 1", "wage_corrected x y", "a note typed by an officer", "late 2"):
        assert parse(other) is None, other
    with pytest.raises(ValueError):
        note("wage_corrected", 1)


def test_the_english_notes_of_before_are_read() -> None:
    assert from_english("wage 2.845.000 → 4.750.000") == "wage_corrected 2845000 4750000"
    assert from_english("income basis 1.000.000 → 1.200.000") == "income_basis_corrected 1000000 1200000"
    assert from_english("recomputed; wage 4.750.000 unchanged") == "wage_recomputed 4750000"
    assert from_english(
        "2 months late: Rp 1.500.000 of the contributions of 2025-03 (due 2025-04-15) paid 2025-05-20, ref. LATE-1"
    ) == ("late 2 1500000 2025-03 2025-04-15 2025-05-20 LATE-1")
    assert from_english(
        "1 month late: Rp 500 of the contributions of 2025-03 (due 2025-04-15) paid 2025-05-01, ref. "
    ) == ("late 1 500 2025-03 2025-04-15 2025-05-01 -")
    assert from_english("a note typed by an officer") is None


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def test_the_migration_rewrites_the_english_notes_and_leaves_the_others(world: World) -> None:
    payer = Payer.objects.create(kind=Payer.Kind.EMPLOYER, employer=world.employers["E33"])
    bill = Bill.objects.create(
        payer=payer, period=dt.date(2025, 3, 1), kind="contribution", due_date=dt.date(2025, 4, 15)
    )
    worker: Any = world.workers["W33PU"]
    common = {"bill": bill, "worker": worker, "wage": 0, "amount": 1, "worker_share": 0, "rule": "pu_contributions"}
    written = {
        "wage 3.000.000 → 3.500.000": "wage_corrected 3000000 3500000",
        "recomputed; income basis 1.000.000 unchanged": "income_basis_recomputed 1000000",
        "typed by hand": "typed by hand",
        "": "",
    }
    lines = {
        old: BillLine.objects.create(programme=p, kind="adjustment", law_date=bill.period, note=old, **common)
        for old, p in zip(written, ("JKK", "JKM", "JHT", "JP"), strict=True)
    }
    REWRITE(apps, None)
    for old, line in lines.items():
        line.refresh_from_db()
        assert line.note == written[old], old

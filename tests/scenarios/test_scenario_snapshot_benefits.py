"""The benefit payments of a month over a snapshot (decision 0043): the snapshot exported from the registry holds
its benefit payments and its scholarship children's school years, without a name; a reform's benefits over it
equal the registry's, payment kind by kind, province by province."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

from paritrana.claims.dates import add_months
from paritrana.claims.models import BenefitPayment
from paritrana.claims.services import claims as svc
from paritrana.coverage.snapshot import export_snapshot
from paritrana.scenarios import benefits, sources
from tests.claims.claimkit import JKM_CASE, legal_case
from tests.claims.factkit import heir_user, participant, set_today
from tests.platform.world import World
from tests.scenarios.scenkit import paid
from tests.scenarios.scenkit import parameter_text as _parameter

JULY = dt.date(2025, 7, 1)
CHILD = "Ayu Lestari"
AMOUNTS = {"tk": 1_500_000, "sd": 1_500_000, "smp": 2_000_000, "sma": 3_000_000, "higher": 12_000_000}
REFORM = (
    _parameter("scholarship.amount_per_year", "rupiah", "2019-12-02",
               "{" + ", ".join(f"{k}: {2 * v}" for k, v in AMOUNTS.items()) + "}")
    + "".join(_parameter(f"jkm.{name}", "rupiah", "2019-12-02", str(2 * amount))
              for name, amount in (("lump_sum", 20_000_000), ("periodic_benefit", 12_000_000),
                                   ("funeral_cost", 10_000_000)))
    + _parameter("jp.min_benefit", "rupiah", "2024-03-01", "500000")
)  # fmt: skip


def _payments_of_july(world: World, monkeypatch: Any) -> None:
    """July 2025's payments: a JKM lump sum, a scholarship's second school year, a survivor pension's month."""
    death = JKM_CASE["date"]
    set_today(monkeypatch, dt.date(2024, 8, 1))  # the scholarship's first school year (2024/25) paid with it
    child = {"name": CHILD, "birth_date": "2012-02-01", "level": "smp", "year_in_level": 1}
    given = {"event_date": death.isoformat(), "trigger": "jkm_death"}
    paid(world, "scholarship", given, {"contribution_months": 60}, world.users["heir"], children=[child])
    set_today(monkeypatch, dt.date(2025, 7, 10))
    paid(world, "jkm", {"event_date": death.isoformat()}, {}, world.users["heir"])
    case = legal_case("jp_benefits.yaml", "widow, minimum of 2024 from 1 March 2024")
    facts = case["inputs"]
    joined = add_months(case["date"], -facts["membership_months"])
    person = participant(world, facts["participant_birth_date"], {"JP": joined, "JKM": joined})
    heir, heir_row = heir_user(person)
    given = {"event_date": case["date"].isoformat(), "recipient": facts["recipient"]}
    corrections = {k: facts[k] for k in ("contribution_months", "average_wage")}
    paid(world, "jp_survivor", given, corrections, heir, heir_id=heir_row.pk)
    svc.pay_due(JULY)  # the scholarship's second year (2025/26) falls due on 1 July


def test_a_snapshot_gives_the_registrys_benefit_payments_under_a_reform(
    world: World, monkeypatch: Any, tmp_path: Path
) -> None:
    _payments_of_july(world, monkeypatch)
    kinds = set(BenefitPayment.objects.filter(due_on__year=2025, due_on__month=7).values_list("kind", flat=True))
    assert kinds == {BenefitPayment.Kind.LUMP_SUM, BenefitPayment.Kind.SCHOLARSHIP, BenefitPayment.Kind.MONTHLY}
    export_snapshot(tmp_path / "snap", month=JULY)
    snapshot = sources.SnapshotSource(tmp_path / "snap")
    on_registry = benefits.of_scenario(JULY, REFORM)
    on_snapshot = benefits.of_scenario(JULY, REFORM, snapshot.payments(JULY))
    assert on_snapshot == on_registry
    # each kind moved by the reform (the figures compared are not all zero)
    assert {(r["programme"], r["kind"]) for r in on_registry["by_kind"] if r["delta"] > 0} == {
        ("JKM", BenefitPayment.Kind.LUMP_SUM), ("JKM", BenefitPayment.Kind.SCHOLARSHIP), ("JP", BenefitPayment.Kind.MONTHLY)
    }  # fmt: skip
    [scholarship] = [r for r in on_registry["by_kind"] if r["kind"] == BenefitPayment.Kind.SCHOLARSHIP]
    assert (scholarship["baseline"], scholarship["reform"]) == (AMOUNTS["smp"], 2 * AMOUNTS["smp"])
    # no child's name leaves the registry: the school years carry the rule's inputs, the payments no scholarship's
    for table in ("benefit_payment", "school_year"):
        rows = ds.dataset(tmp_path / "snap" / table, format="parquet", partitioning="hive").to_table().to_pylist()
        assert rows and CHILD not in repr(rows), table


def test_a_snapshot_exported_before_the_payments_has_no_benefits(world: World, tmp_path: Path) -> None:
    export_snapshot(tmp_path / "snap")
    manifest_file = tmp_path / "snap" / "manifest.json"
    text = manifest_file.read_text()
    manifest_file.write_text(text.replace('"benefit_payment"', '"benefit_payment_"'))
    assert sources.SnapshotSource(tmp_path / "snap").payments(JULY) is None

"""Benefits paid under a reform (issue 18): the month's benefit payments recomputed by their claims' own rules
from the claims' stored inputs; doubling the JKM death benefit's amounts doubles the JKM benefit paid exactly, and
a scenario restating the law's values moves no benefit. (Pensions, JKP months and scholarship years:
test_scenario_benefit_payments.py.)"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]
from typer.testing import CliRunner

from paritrana.claims.models import BenefitPayment, Claim, Status
from paritrana.claims.services import claims as svc
from paritrana.cli.main import app
from paritrana.contributions.documents import rupiah
from paritrana.registry.models import Region
from paritrana.rules.money import rupiah_text
from paritrana.scenarios import services
from tests.claims.claimkit import file_jkm
from tests.platform.world import World
from tests.scenarios.conftest import stored_run
from tests.scenarios.test_scenario_pages import pdf_text, signed_in


def _jkm_amounts(reference: str, lump: int, periodic: int, funeral: int) -> str:
    """The JKM death benefit's three amounts from PP 82/2019's date."""
    parts = (("lump_sum", lump), ("periodic_benefit", periodic), ("funeral_cost", funeral))
    return "".join(
        f"jkm.{name}:\n  unit: rupiah\n  description: {name}\n  values:\n"
        f'    2019-12-02: {{value: {amount}, reference: "{reference}"}}\n'
        for name, amount in parts
    )


RESTATED = _jkm_amounts("PP 82/2019 amending PP 44/2015 art 34", 20_000_000, 12_000_000, 10_000_000)
DOUBLED = _jkm_amounts("proposed", 40_000_000, 24_000_000, 20_000_000)


def _paid_jkm(world: World) -> Claim:
    claim = file_jkm(world)
    svc.verify(world.users["branch"], claim.pk)
    svc.approve_and_pay(world.users["branch2"], claim.pk)
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.amount > 0
    return claim


def _benefits(world: World, name: str, text: str) -> dict[str, Any]:
    analyst = world.users["analyst"]
    saved = services.save(analyst, name, f"{name} (test)", text)
    month = timezone.localdate().replace(day=1)  # the claim was paid today
    results: dict[str, Any] = services.run(analyst, saved.pk, month).results["benefits"]
    return results


def test_doubling_the_jkm_amounts_doubles_the_jkm_benefit_paid(world: World) -> None:
    claim = _paid_jkm(world)
    benefits = _benefits(world, "JKM benefit x2", DOUBLED)
    [jkm] = [row for row in benefits["programmes"] if row["programme"] == "JKM"]
    assert jkm["payments"] == 1 and jkm["baseline"] == claim.amount  # the stored assessment, recomputed
    assert jkm["reform"] == 2 * claim.amount and jkm["delta"] == claim.amount
    assert [(r["kind"], r["delta"]) for r in benefits["by_kind"]] == [(BenefitPayment.Kind.LUMP_SUM, claim.amount)]
    province = claim.worker.region.code[:2]
    assert [(r["province"], r["delta"]) for r in benefits["by_province"]] == [(province, claim.amount)]


def test_a_scenario_restating_the_law_moves_no_benefit(world: World) -> None:
    claim = _paid_jkm(world)
    benefits = _benefits(world, "JKM restated", RESTATED)
    assert [(r["programme"], r["baseline"]) for r in benefits["programmes"]] == [("JKM", claim.amount)]
    assert {r["delta"] for part in ("programmes", "by_kind", "by_province") for r in benefits[part]} == {0}


def test_the_page_the_brief_and_the_workbook_show_the_benefits(world: World, tmp_path: Any) -> None:
    claim = _paid_jkm(world)
    analyst = world.users["analyst"]
    saved = services.save(analyst, "JKM benefit x2", "doubled", DOUBLED)
    run = services.run(analyst, saved.pk, timezone.localdate().replace(day=1))
    client = signed_in(world, "analyst")
    page = client.get(f"/scenarios/{saved.pk}/?run={run.pk}").content.decode()
    assert "Pembayaran manfaat bulan ini" in page and 'id="benefit-table"' in page
    assert "JKM (kematian)" in page and "pembayaran sekaligus" in page  # the programme's title, the kind
    province = Region.objects.get(code=claim.worker.region.code[:2]).name
    assert rupiah(2 * claim.amount, "id") in page and province in page  # the province by its name
    brief = client.get(f"/scenario-runs/{run.pk}/brief.pdf")
    text = pdf_text(brief.content, tmp_path)
    assert "Pembayaran manfaat" in text and rupiah(2 * claim.amount, "id") in text
    book = load_workbook(io.BytesIO(client.get(f"/scenario-runs/{run.pk}/brief.pdf?format=xlsx").content))
    rows = [r for r in book["manfaat"].iter_rows(values_only=True) if r[0] == "JKM (kematian)"]
    assert [r[1:] for r in rows] == [
        ("semua", "semua", 1, claim.amount, 2 * claim.amount, claim.amount),
        ("pembayaran sekaligus", "semua", 1, claim.amount, 2 * claim.amount, claim.amount),
        ("semua", province, 1, claim.amount, 2 * claim.amount, claim.amount),
    ]


def test_a_run_of_the_earlier_count_says_so_instead_of_showing_claims_as_payments(world: World) -> None:
    analyst = world.users["analyst"]
    saved = services.save(analyst, "JKM benefit x2", "doubled", DOUBLED)
    run = stored_run(saved)
    earlier = {"programmes": [{"programme": "JKM", "claims": 1, "baseline_amount": 1}], "by_province": [], "left": []}
    run.results = {**run.results, "benefits": earlier}
    run.save()
    page = signed_in(world, "analyst").get(f"/scenarios/{saved.pk}/?run={run.pk}").content.decode()
    assert 'id="benefits-earlier"' in page and 'id="benefit-table"' not in page


def test_the_command_line_prints_the_benefit_payments(world: World) -> None:
    claim = _paid_jkm(world)
    services.save(world.users["analyst"], "JKM benefit x2", "doubled", DOUBLED)
    month = f"{timezone.localdate():%Y-%m}"
    ran = CliRunner().invoke(app, ["scenario", "run", "JKM benefit x2", "--month", month, "-q"], env={"COLUMNS": "200"})
    assert ran.exit_code == 0, ran.output
    assert "benefit payments due in the month" in ran.output
    [line] = [line for line in ran.output.splitlines() if "lump sum" in line]
    money = [rupiah_text(m) for m in (claim.amount, 2 * claim.amount, claim.amount)]
    assert [cell.strip() for cell in line.split("│")[1:7]] == ["JKM", "lump sum", "1", *money]

"""Must-show of issue 7 in a real browser: a worker files a partial JHT withdrawal (housing) with its documents
uploaded from files; a branch officer verifies it, and is then offered no approval (decision 0010: the verifier
never approves or pays); another officer of the branch approves and pays it; the worker sees it paid and downloads
the decision letter, whose text names the claim, the amount and both officers.

The world is the platform's (tests/platform/world.py): the worker is W33BPU, a non-wage earner in Kabupaten
Cilacap, served by branch KC-33 (the "branch" user). Its JHT membership began 11 years ago and two contributions
are credited; the amount expected is what the rule ``jht_withdrawal`` computes for that balance (30 % for housing).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from paritrana.claims.models import Claim, Status
from paritrana.claims.types import TYPES
from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services import ledger
from paritrana.registry.models import Membership
from paritrana.rules import compute_one
from tests.claims.claimkit import PDF, PNG
from tests.platform.world import World, build_world
from tests.web_world import log_in, password_hash

CONTRIBUTIONS = (9_250_000, 6_480_500)


@pytest.fixture
def jht_world(transactional_db: None) -> World:
    """The platform's world; the worker and the branch officer can log in with web_world's password."""
    w = build_world()
    for name in ("worker", "branch", "branch2"):
        user = w.users[name]
        user.password = password_hash()
        user.save()
    today = timezone.localdate()
    saver = w.workers["W33BPU"]
    Membership.objects.create(worker=saver, programme="JHT", start=dt.date(today.year - 11, today.month, 1))
    for i, amount in enumerate(CONTRIBUTIONS):
        JhtEntry.objects.create(
            worker=saver,
            kind="contribution",
            value_date=today - dt.timedelta(days=300 - 100 * i),
            amount=amount,
            reference=f"iuran {i + 1}",
        )
    return w


def expected_amount(w: World) -> int:
    today = timezone.localdate()
    saver = w.workers["W33BPU"]
    out = compute_one(
        "jht_withdrawal",
        today,
        {
            "event": "partial_housing",
            "balance": ledger.balance(saver.pk, today),
            "birth_date": saver.birth_date,
            "event_date": today,
            "membership_start": Membership.objects.get(worker=saver, programme="JHT").start,
            "partial_taken_before": False,
        },
    ).outputs
    assert out["eligible"], out["reason"]
    assert out["amount"] == (sum(CONTRIBUTIONS) * 30 + 50) // 100  # 30 % of the balance, to the rupiah
    return int(out["amount"])


def corrected_amount(w: World, balance: int) -> int:
    """The amount of the claim once the officer corrected its balance (the rule, the claim's other inputs)."""
    claim = Claim.objects.get()
    return int(compute_one("jht_withdrawal", claim.law_date, {**claim.inputs, "balance": balance}).outputs["amount"])


def pdf_text(path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "pdftotext is missing: ./dev test installs poppler-utils"
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def log_out(page: Any) -> None:
    page.click("#logout")
    page.wait_for_selector("#login-form")


def click_and_wait_status(page: Any, button: str, status: str) -> None:
    page.click(button)
    page.wait_for_selector(f'#claim-status[data-status="{status}"]')


def test_a_worker_files_a_partial_jht_claim_the_branch_pays_it_and_the_worker_downloads_the_letter(
    page: Any, live_server: Any, jht_world: World, tmp_path: Path
) -> None:
    amount = expected_amount(jht_world)
    today = timezone.localdate()

    # the worker's home answers its first question (as the JMO app): its status and JHT balance; from there it
    # files a claim, offered only the types of its memberships (no JP, no JKP), and no address is typed
    log_in(page, live_server.url, "t_worker")
    assert page.inner_text("#home-jht-balance") == rupiah(sum(CONTRIBUTIONS), "id")
    assert "JHT" in page.inner_text("#home-membership")
    page.click("#home-new-claim")
    page.wait_for_selector("#claim-types")
    assert page.locator("#type-jp_old_age").count() == 0 and page.locator("#type-jkp").count() == 0
    page.click("#type-jht_partial")
    page.wait_for_selector("#claim-form")
    # the purposes by their titles, never their codes
    assert "partial_housing" not in page.inner_text("#id_event")
    page.select_option("#id_event", "partial_housing")
    page.fill("#id_event_date", today.isoformat())
    page.fill("#id_bank_account", "BRI 0123 4567 8901")
    for i, doc in enumerate(TYPES["jht_partial"].documents):
        path = tmp_path / f"{doc.code}.{'png' if i == 0 else 'pdf'}"
        path.write_bytes(PNG if i == 0 else PDF)
        page.set_input_files(f"#id_doc_{doc.code}", str(path))
    page.click("#submit-claim")
    page.wait_for_selector("#claim-number")
    number = page.inner_text("#claim-number")
    claim = Claim.objects.get()
    assert number == claim.number
    assert page.get_attribute("#claim-status", "data-status") == "submitted"
    assert page.inner_text("#claim-amount") == rupiah(amount, "id")
    assert claim.amount == amount and claim.worker == jht_world.workers["W33BPU"]
    assert {d.kind for d in claim.documents.all()} == {d.code for d in TYPES["jht_partial"].documents}
    # the branch that handles it: the one serving the worker's regency
    assert claim.branch is not None and claim.branch.code == "KC-33"
    log_out(page)

    # the branch officer, from its home's claims waiting, finds it by the participant's NIK and verifies it with
    # a typed correction of the balance (the old records show more), written as people write it, with its reason
    log_in(page, live_server.url, "t_branch")
    assert page.inner_text("#waiting-0 .waiting-count") == "1"
    page.click("#home-claims-to-verify")
    page.wait_for_selector("#claim-filter")
    page.fill("#id_q", claim.worker.nik)
    page.click("#filter")
    page.wait_for_selector(f"#claim-{claim.pk}")
    assert page.locator("#claim-table tbody tr").count() == 1
    assert page.get_attribute(f"#claim-{claim.pk}", "data-status") == "submitted"
    page.click(f"#claim-{claim.pk} a")
    page.wait_for_selector("#verify-form")
    assert page.get_attribute("#input-balance", "data-source") == "registry"
    page.click("#verify-corrections summary")
    page.fill("#id_fix_balance", "Rp 16.000.000")
    page.fill("#id_reason", "saldo kartu lama 2014")
    click_and_wait_status(page, "#verify", "verified")
    assert page.get_attribute("#input-balance", "data-source") == "officer"
    amount = corrected_amount(jht_world, 16_000_000)
    assert page.inner_text("#claim-amount") == rupiah(amount, "id")
    page.wait_for_selector("#claim-held-back")
    assert page.locator("#approve").count() == 0 and page.locator("#approve-pay").count() == 0
    assert page.locator("#reject").count() == 1  # it may still reject
    log_out(page)

    # another officer of the branch finds it by its number among the claims to approve, and approves and pays it:
    # the payment asks first, showing the amount and the account; nothing is paid until confirmed
    log_in(page, live_server.url, "t_branch2")
    page.click("#home-claims-to-approve")
    page.wait_for_selector("#claim-filter")
    page.fill("#id_q", number)
    page.click("#filter")
    page.wait_for_selector(f"#claim-{claim.pk}")
    page.click(f"#claim-{claim.pk} a")
    page.wait_for_selector("#approve-pay-form")
    assert page.locator("#claim-held-back").count() == 0
    page.click("#approve-pay")
    page.wait_for_selector("#confirm-amount")
    assert page.inner_text("#confirm-amount") == rupiah(amount, "id")
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and not claim.payments.exists()
    click_and_wait_status(page, "#confirm-pay", "paid")
    assert rupiah(amount, "id") in page.inner_text("#claim-payments")
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    assert (claim.verified_by, claim.approved_by) == (jht_world.users["branch"], jht_world.users["branch2"])
    assert ledger.balance(claim.worker_id, today) == sum(CONTRIBUTIONS) - amount
    log_out(page)

    # the worker sees its balance less the payment on its home, the claim paid, and downloads the decision letter
    log_in(page, live_server.url, "t_worker")
    assert page.inner_text("#home-jht-balance") == rupiah(sum(CONTRIBUTIONS) - amount, "id")
    page.click("#nav-claims")
    page.wait_for_selector(f"#claim-{claim.pk}")
    assert page.get_attribute(f"#claim-{claim.pk}", "data-status") == "paid"
    page.click(f"#claim-{claim.pk} a")
    page.wait_for_selector("#claim-letter")
    assert page.get_attribute("#claim-status", "data-status") == "paid"
    with page.expect_download() as info:
        page.click("#claim-letter")
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    assert path.read_bytes().startswith(b"%PDF")
    text = pdf_text(path)
    assert number in text and rupiah(amount, "id") in text
    assert "Diverifikasi oleh" in text and "t_branch2" in text  # who verified, who approved

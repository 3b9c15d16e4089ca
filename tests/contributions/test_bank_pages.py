"""The bank's pages (web/views/bank.py; decision 0009): the administrator imports (preview, then for real),
officers work the exceptions queue in their scope (HTMX answers the line's card in place), the day's
reconciliation; payers are refused."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paritrana.contributions.models import Bill, Payer, Payment, StatementLine
from paritrana.contributions.services.billing import run_billing
from tests.contributions.bankkit import code, csv_statement
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
DAY = dt.date(2025, 3, 10)


def client(world: World, role: str) -> Client:
    c = Client()
    c.force_login(world.users[role])
    return c


def statement(world: World) -> bytes:
    run_billing(MARCH)
    e33 = Payer.objects.get(employer=world.employers["E33"])
    bpu = Payer.objects.get(worker=world.workers["W33BPU"])
    bill = Bill.objects.get(payer=e33, period=MARCH, kind="contribution")
    rows = [("W-1", DAY, bill.amount, code(e33.pk), "IURAN"), ("W-2", DAY, 9_000, code(bpu.pk), "KURANG")]
    rows.append(("W-3", DAY, 40_000, "", "TANPA KODE"))
    return csv_statement(rows).getvalue()


def upload(c: Client, content: bytes, **extra: str) -> str:
    file = SimpleUploadedFile("rekening.csv", content, content_type="text/csv")
    response = c.post("/bank/statements/", {"file": file, **extra})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_import_queue_resolve_and_reconcile_on_the_pages(world: World) -> None:
    content = statement(world)
    admin = client(world, "admin")
    html = upload(admin, content, preview="on")
    assert 'id="result-matched">1<' in html and not StatementLine.objects.exists()
    html = upload(admin, content)
    assert 'id="result-matched">1<' in html and 'id="result-exceptions">2<' in html
    assert Payment.objects.count() == 1
    for role in ("hr", "worker", "city", "branch"):
        assert client(world, role).post("/bank/statements/", {}).status_code == 403, role

    branch = client(world, "branch")  # KC-33: the BPU line; the line without a code is the administrator's
    queue = branch.get("/bank/").content.decode()
    w2, w3 = (StatementLine.objects.get(bank_reference=r) for r in ("W-2", "W-3"))
    assert f'id="line-{w2.pk}"' in queue and f'id="line-{w3.pk}"' not in queue
    assert f'id="line-{w3.pk}"' in admin.get("/bank/?q=TANPA").content.decode()

    htmx = {"HTTP_HX_REQUEST": "true"}
    refused = admin.post(f"/bank/exceptions/{w3.pk}/resolve/", {"action": "return"}, **htmx)
    assert refused.status_code == 200 and f'id="resolve-error-{w3.pk}"' in refused.content.decode()
    done = admin.post(f"/bank/exceptions/{w3.pk}/resolve/", {"action": "return", "note": "RTN-9"}, **htmx)
    card = done.content.decode()
    assert card.startswith("<article") and f'id="resolution-{w3.pk}"' in card and "RTN-9" in card
    assert branch.post(f"/bank/exceptions/{w3.pk}/resolve/", {"action": "duplicate"}).status_code == 404
    assert branch.post(f"/bank/exceptions/{w2.pk}/resolve/", {"action": "allocate"}).status_code == 302
    w2.refresh_from_db()
    assert w2.resolution == "allocated" and w2.resolved_by == world.users["branch"]

    day = admin.get(f"/bank/reconciliation/?date={DAY.isoformat()}").content.decode()
    assert 'id="rec-balanced">Seimbang sampai ke rupiah.' in day  # Bahasa Indonesia by default
    assert client(world, "branch").get("/bank/reconciliation/").status_code == 403
    assert client(world, "hr").get("/bank/").status_code == 403

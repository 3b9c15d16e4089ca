"""The bank's money through /api/ (decision 0009): a payer recording its own payment is refused (must-show 1,
API), a statement imported by the administrator, the exceptions queue and its resolution, a manual
payment confirmed by a second officer, and the day's reconciliation."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paritrana.contributions.models import Bill, ManualPayment, Payer, Payment, StatementLine
from paritrana.contributions.services.billing import run_billing
from tests.contributions.bankkit import code, csv_statement
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)
DAY = dt.date(2025, 3, 10)


def bill_of(payer: Payer) -> Bill:
    return Bill.objects.get(payer=payer, period=MARCH, kind=Bill.Kind.CONTRIBUTION)


def payers(world: World) -> dict[str, Payer]:
    run_billing(MARCH)
    return {
        "E33": Payer.objects.get(employer=world.employers["E33"]),
        "E35": Payer.objects.get(employer=world.employers["E35"]),
        "W33BPU": Payer.objects.get(worker=world.workers["W33BPU"]),
        "city": Payer.objects.get(sponsor=world.workers["W33CITY"].sponsor),
    }


def upload(world: World, role: str, content: bytes, name: str = "stmt.csv") -> Any:
    client = Client(headers={"Authorization": f"Bearer {world.tokens[role]}"})
    return client.post("/api/bank/statements", {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def test_a_payer_recording_its_own_payment_is_refused(world: World, api: Any) -> None:
    p = payers(world)
    attempts = [("hr", "E33", 403), ("hr", "E35", 404), ("worker", "W33BPU", 403), ("city", "city", 403)]
    attempts += [("heir", "E33", 404), ("branch", "E33", 403), ("admin", "E35", 403)]
    for role, key, status in attempts:
        body = {"amount": bill_of(p[key]).amount, "paid_on": "2025-04-10", "reference": "SAYA-BAYAR-TUNAI"}
        response = api(role).call("POST", f"/api/payers/{p[key].pk}/payments", body)
        assert response.status_code == status, (role, key, response.content)
    assert not Payment.objects.exists() and not Bill.objects.filter(paid__gt=0).exists()
    # what a payer sees instead: its payment code
    answer = api("hr").call("GET", f"/api/payers/{p['E33'].pk}").json()
    assert answer["payment_code"] == code(p["E33"].pk)


def test_statement_exceptions_and_reconciliation_through_the_api(world: World, api: Any) -> None:
    p = payers(world)
    a33, a35 = bill_of(p["E33"]).amount, bill_of(p["E35"]).amount
    rows = [
        ("A-1", DAY, a33, code(p["E33"].pk), "IURAN"),
        ("A-2", DAY, 12_345, code(p["W33BPU"].pk), "KURANG"),
        ("A-3", DAY, a35 + 1_000, code(p["E35"].pk), "LEBIH"),
    ]
    content = csv_statement(rows).getvalue()
    assert upload(world, "branch", content).status_code == 403
    response = upload(world, "admin", content)
    assert response.status_code == 201, response.content
    assert (response.json()["matched"], response.json()["exceptions"]) == (1, 2)
    again = upload(world, "admin", content, "again.csv")
    assert again.status_code == 422 and again.json()["detail"]
    bad = upload(world, "admin", content.replace(b"2025-03-10", b"2025-99-10"), "bad.csv")
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"value_date"}
    # in the caller's language, Bahasa Indonesia by default, like the page
    assert bad.json()["errors"][0]["message"] == "2025-99-10 bukan tanggal; tulis sebagai YYYY-MM-DD"
    assert bad.json()["detail"] == "berkas berisi kesalahan: tidak ada yang disimpan"

    queue = api("branch").call("GET", "/api/bank/exceptions").json()  # KC-33: the BPU line, not E35's
    assert [i["bank_reference"] for i in queue["items"]] == ["A-2"]
    assert api("hr").call("GET", "/api/bank/exceptions").status_code == 403
    line = StatementLine.objects.get(bank_reference="A-3")
    assert (
        api("branch").call("POST", f"/api/bank/exceptions/{line.pk}/resolve", {"action": "allocate"}).status_code == 404
    )
    done = api("admin").call("POST", f"/api/bank/exceptions/{line.pk}/resolve", {"action": "allocate"})
    assert done.status_code == 200 and done.json()["resolution"] == "allocated" and done.json()["resolved_by"]
    assert bill_of(p["E35"]).paid == a35

    day = api("admin").call("GET", f"/api/bank/reconciliation/{DAY.isoformat()}").json()
    total = a33 + 12_345 + a35 + 1_000
    assert day["statement"] == {"count": 3, "amount": total}
    assert day["allocated"]["amount"] == a33 and day["open"]["amount"] == 12_345
    assert day["resolved_allocated"]["amount"] == a35 + 1_000 and day["difference"] == 0 and day["balanced"]
    assert api("branch").call("GET", f"/api/bank/reconciliation/{DAY.isoformat()}").status_code == 403


def test_a_manual_payment_through_the_api_needs_a_second_officer(world: World, api: Any) -> None:
    p = payers(world)
    bill = bill_of(p["E33"])
    evidence = {"file_name": "slip.png", "content_base64": base64.b64encode(b"\x89PNG\r\n\x1a\nrest").decode()}
    body = {"amount": bill.amount, "paid_on": "2025-04-10", "reference": "KAS-1", "evidence": evidence}
    assert api("hr").call("POST", f"/api/payers/{p['E33'].pk}/manual-payments", body).status_code == 403
    entered = api("branch").call("POST", f"/api/payers/{p['E33'].pk}/manual-payments", body)
    assert entered.status_code == 201, entered.content
    entry = entered.json()["id"]
    assert entered.json()["status"] == "pending" and not Payment.objects.exists()
    assert api("branch").call("POST", f"/api/bank/manual-payments/{entry}/confirm").status_code == 403
    assert bill_of(p["E33"]).paid == 0
    assert api("hr").call("POST", f"/api/bank/manual-payments/{entry}/confirm").status_code == 403
    confirmed = api("admin").call("POST", f"/api/bank/manual-payments/{entry}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert bill_of(p["E33"]).paid == bill.amount
    assert ManualPayment.objects.get().decided_by == world.users["admin"]
    bad = {**body, "reference": "KAS-2", "paid_on": "0001-01-01"}
    refused = api("branch").call("POST", f"/api/payers/{p['E33'].pk}/manual-payments", bad)
    assert refused.status_code == 422 and "paid_on" in refused.content.decode()


def test_a_preview_through_the_api_stores_nothing(world: World) -> None:
    p = payers(world)
    content = csv_statement([("P-1", DAY, bill_of(p["E33"]).amount, code(p["E33"].pk), "IURAN")]).getvalue()
    client = Client(headers={"Authorization": f"Bearer {world.tokens['admin']}"})
    file = SimpleUploadedFile("stmt.csv", content, content_type="text/csv")
    answer = client.post("/api/bank/statements", {"file": file, "preview": "true"})
    assert answer.status_code == 200 and answer.json()["matched"] == 1 and answer.json()["statement"] is None
    assert not Payment.objects.exists() and not StatementLine.objects.exists()

"""One presenter of a bill (``documents.bill_document``): the API, the bill page and the bill PDF show the same
bill, its summary per programme and its lines. The summary is checked against sums written here."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from paritrana.contributions import documents
from paritrana.contributions.models import Bill, Payer
from paritrana.contributions.services.billing import run_billing
from tests.contributions.test_contrib_documents import pdf_text
from tests.platform.world import World

MARCH = dt.date(2025, 3, 1)


@pytest.fixture
def bill(world: World) -> Bill:
    run_billing(MARCH)
    return Bill.objects.get(payer=Payer.objects.get(employer=world.employers["E33"]), period=MARCH)


def by_hand(bill: Bill) -> list[tuple[str, int, int, int]]:
    sums: dict[str, list[int]] = {}
    for line in bill.lines.all():
        s = sums.setdefault(line.programme, [0, 0, 0])
        s[0], s[1], s[2] = s[0] + 1, s[1] + line.amount, s[2] + line.worker_share
    return sorted((code, *s) for code, s in sums.items())  # type: ignore[misc]


def page_rows(text: str) -> list[tuple[str, int, int, int]]:
    table = text[text.index('id="bill-programmes"') : text.index("</table>", text.index('id="bill-programmes"'))]
    rows = re.findall(r'<tr id="programme-[^"]+">(.*?)</tr>', table, re.S)
    out = []
    for row in rows:
        cells = [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        name, count, amount, share = cells
        code = name.split(" ")[0]  # "JHT (hari tua)": the programme's code, then its name in words
        out.append((code, int(count), int(re.sub(r"\D", "", amount)), int(re.sub(r"\D", "", share))))
    return sorted(out)


def test_api_page_and_pdf_show_the_same_bill(world: World, bill: Bill, api: Any, tmp_path: Path) -> None:
    expected = by_hand(bill)
    assert len(expected) >= 3 and sum(row[2] for row in expected) == bill.amount  # JKK, JKM, JHT at least

    body = api("hr").call("GET", f"/api/bills/{bill.pk}").json()
    from_api = sorted((p["programme"], p["lines"], p["amount"], p["worker_share"]) for p in body["programmes"])
    assert from_api == expected
    assert sorted(line["id"] for line in body["lines"]) == sorted(bill.lines.values_list("pk", flat=True))

    client = Client()
    client.force_login(world.users["hr"])
    page = client.get(f"/bills/{bill.pk}/").content.decode()
    assert page_rows(page) == expected
    for line in bill.lines.all():
        assert f'id="line-{line.pk}"' in page

    text = pdf_text(documents.bill_pdf(world.users["hr"], bill.pk, "id").content, tmp_path)
    start = text.index("Per program")
    # the summary ends where the lines begin: the second "Rincian" after it (the first is its own column header)
    end = text.index("Rincian", text.index("Rincian", start) + 1)
    section = text[start:end]
    for code, count, amount, share in expected:
        assert code in section and str(count) in section
        assert documents.rupiah(amount, "id") in section, (code, amount)
        assert documents.rupiah(share, "id") in section, (code, share)
    assert documents.rupiah(bill.amount, "id") in text


def test_the_summary_puts_lines_without_a_programme_last() -> None:
    totals = documents.in_programme_order(
        [
            documents.ProgrammeTotal("", 1, 500, 0),
            documents.ProgrammeTotal("JHT", 2, 270, 90),
            documents.ProgrammeTotal("JKK", 1, 50, 0),
        ]
    )
    assert [(t.programme, t.lines, t.amount, t.worker_share) for t in totals] == [
        ("JKK", 1, 50, 0),
        ("JHT", 2, 270, 90),
        ("", 1, 500, 0),
    ]

"""The largest bill of the demo in a phone's browser: the summary and how to pay come first, the lines a page
of 50 at a time (the page stays short and never scrolls sideways), and typing a worker's NIK in the search
narrows the lines in place (HTMX), the address keeping the search."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count

from paritrana.cli.demo import load_demo_world
from paritrana.contributions.models import Bill
from paritrana.registry.demo_data import demo_password
from tests.browser.tour import log_in


@pytest.fixture
def largest_bill(transactional_db: None) -> Bill:
    load_demo_world(seed=7, workers=300, villages=False, migrate=False, say=lambda *args, **kwargs: None)
    bill = Bill.objects.annotate(n=Count("lines")).order_by("-n", "pk").first()
    assert bill is not None
    return bill


def test_a_large_bill_on_a_phone(page: Any, live_server: Any, largest_bill: Bill) -> None:
    lines = largest_bill.lines.select_related("worker").order_by("pk")
    assert lines.count() > 50, lines.count()
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, "admin", demo_password("admin"))
    page.goto(f"{live_server.url}/bills/{largest_bill.pk}/")
    assert page.locator("#bill-lines tbody tr").count() == 50
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert width <= 360, width
    assert height < 20_000, height  # 50 lines, not all of them
    summary = page.locator("#bill-programmes").bounding_box()
    first_line = page.locator("#bill-lines").bounding_box()
    assert summary is not None and first_line is not None and summary["y"] < first_line["y"]
    target = next(line for line in lines if line.worker is not None)
    page.fill("#q", target.worker.nik)
    page.wait_for_function(
        "n => document.querySelectorAll('#bill-lines tbody tr').length === n",
        arg=largest_bill.lines.filter(worker=target.worker).count(),
    )
    assert target.worker.nik in page.locator("#bill-lines").inner_text()
    page.wait_for_url(f"**/bills/{largest_bill.pk}/?q={target.worker.nik}*")
    assert page.locator("#bill-title").count() == 1  # the same page, only the lines replaced

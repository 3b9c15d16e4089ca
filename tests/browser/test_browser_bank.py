"""The bank's pages in a real browser on a 360 px wide phone (decision 0009): the administrator imports a
statement file, sees the result, resolves an exception from the queue and reads the day's reconciliation,
balanced; no page scrolls sideways."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from paritrana.contributions.models import StatementLine
from paritrana.contributions.paycode import payment_code
from paritrana.contributions.payers import payer_of
from tests.web_world import log_in

DAY = dt.date(2025, 3, 10)


WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 361)
  .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, (page.url, page.evaluate(WIDE)[:8])


def test_import_resolve_and_reconcile_on_a_phone(
    browser: Any, live_server: Any, world: dict[str, Any], tmp_path: Path
) -> None:
    code = payment_code(payer_of(world["employers"]["tekstil"]).pk)  # no bill yet: the line is an over-payment
    statement = tmp_path / "rekening-koran.csv"
    statement.write_text(
        "referensi,tanggal,jumlah,kode_bayar,keterangan\n"
        f"BNK-1,{DAY.isoformat()},250000,{code},IURAN TANPA TAGIHAN\n"
        f"BNK-2,{DAY.isoformat()},125000,,SETORAN TANPA KODE\n"
    )
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        log_in(page, live_server.url, "admin")
        page.goto(f"{live_server.url}/bank/statements/")
        no_sideways_scroll(page)
        page.set_input_files("#id_file", str(statement))
        page.click("#statement-submit")
        page.wait_for_selector("#import-result")
        assert page.inner_text("#result-lines") == "2" and page.inner_text("#result-exceptions") == "2"
        no_sideways_scroll(page)

        page.click("#tab-exceptions")
        page.wait_for_selector("#exception-filter")
        no_sideways_scroll(page)
        line = StatementLine.objects.get(bank_reference="BNK-2")
        page.select_option(f"#resolve-{line.pk} select[name=action]", "return")
        page.fill(f"#note-{line.pk}", "dikembalikan dengan transfer RTN-1")
        page.click(f"#resolve-{line.pk} button")
        page.wait_for_selector(f"#resolution-{line.pk}")  # HTMX swaps the line's card in place
        assert "RTN-1" in page.inner_text(f"#line-{line.pk}")
        line.refresh_from_db()
        assert line.resolution == "returned" and line.resolved_by is not None

        page.goto(f"{live_server.url}/bank/reconciliation/?date={DAY.isoformat()}")
        page.wait_for_selector("#reconciliation")
        assert "375.000" in page.inner_text("#rec-statement")  # 250,000 + 125,000, Indonesian grouping
        assert page.inner_text("#rec-balanced").startswith("Seimbang")
        no_sideways_scroll(page)
        page.goto(f"{live_server.url}/bank/manual/")
        no_sideways_scroll(page)
    finally:
        context.close()

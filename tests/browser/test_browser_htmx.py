"""HTMX in the browser: the worker search answers as one types, the calculator answers in place."""

from __future__ import annotations

from typing import Any

from tests.web_world import log_in


def test_worker_search_as_you_type(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/workers/")
    page.wait_for_selector("#worker-table")
    page.evaluate("window.__same_page = true")  # gone if the page reloads
    page.fill("#q", "Joko")
    page.wait_for_selector("#result-count:text('1 pekerja')")
    assert "Joko Widodo Susanto" in page.inner_text("#worker-table")
    assert "Asih" not in page.inner_text("#worker-table")
    page.fill("#q", "3273")  # by NIK
    page.wait_for_selector("#worker-table:has-text('Asih Lestari')")
    assert "Joko" not in page.inner_text("#worker-table")
    assert page.evaluate("window.__same_page") is True
    assert "q=3273" in page.url  # the search is in the address, to share or reload


def test_the_calculator_answers_in_place(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    log_in(page, live_server.url, "penilai")
    page.goto(f"{live_server.url}/calculator/")
    page.click("#rule-pu_contributions")
    page.wait_for_selector("#calculator-form")
    page.evaluate("window.__same_page = true")
    page.fill("#id_date", "2024-05-01")
    page.fill("#id_wage", "5000000")
    page.select_option("#id_risk_group", "1")
    page.click("#compute")
    page.wait_for_selector("#explanation")
    assert "462.000" in page.inner_text("#outputs")  # the whole monthly bill, Indonesian digit grouping
    assert "PP 44/2015" in page.inner_text("#explanation")
    assert page.evaluate("window.__same_page") is True
    # a value out of range is named next to its field, in place too
    page.fill("#id_wage", "-1")
    page.click("#compute")
    page.wait_for_selector("#error-wage")
    assert page.evaluate("window.__same_page") is True

"""Registering a worker in the browser: a wrong NIK is refused with a message naming the problem."""

from __future__ import annotations

from typing import Any

from tests.web_world import log_in


def fill_worker(page: Any, nik: str) -> None:
    page.fill("#id_nik", nik)
    page.fill("#id_name", "Dedi Kurniawan")
    page.fill("#id_birth_date", "1990-05-15")
    page.check("input[name=sex][value=M]")
    page.select_option("#id_occupation", "factory_worker")
    page.select_option("#id_region", label="32.73 Kota Bandung")
    page.fill("#id_wage", "4500000")


def test_employer_hr_registers_a_worker_after_fixing_the_nik(
    page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    log_in(page, live_server.url, "hrd.tekstil")
    page.click("#nav-register-worker")
    page.wait_for_selector("#register-worker-form")
    # employer HR registers wage earners of its own company: PU and the company are chosen already
    assert page.is_checked("input[name=scheme][value=PU]")
    assert "PT Tekstil Priangan" in page.inner_text("#id_employer")

    fill_worker(page, "327301150590001")  # 15 digits
    page.click("#register")
    error = page.wait_for_selector("#error-nik")
    assert error is not None
    text = error.inner_text()
    assert "15 digit" in text and "16" in text, text
    assert page.input_value("#id_name") == "Dedi Kurniawan"  # what was typed is kept

    page.fill("#id_nik", "3273011505900001")
    page.click("#register")
    page.wait_for_selector("#worker-name")
    assert page.inner_text("#worker-name") == "Dedi Kurniawan"
    assert page.inner_text("#worker-nik") == "3273011505900001"
    assert "Tekstil Priangan" in page.inner_text("#worker-facts")
    assert "JKK" in page.inner_text("#memberships")


def test_a_nik_that_disagrees_with_the_sex_names_the_digits(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    log_in(page, live_server.url, "cabang.bandung")
    page.goto(f"{live_server.url}/workers/new/?employer={world['employers']['tekstil'].pk}")
    fill_worker(page, "3273015505900001")  # day 55: a woman's NIK, recorded as a man
    page.click("#register")
    text = page.wait_for_selector("#error-nik").inner_text()
    assert "digit 7–8" in text and "perempuan" in text, text

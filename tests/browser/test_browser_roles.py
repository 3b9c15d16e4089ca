"""Each role logs in through the browser and lands on its own home page (in Bahasa Indonesia)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web_world import PASSWORD, log_in

# role -> (its name on the home page, a selector only that role's home shows)
HOMES = {
    "admin": ("administrator BPJS", "#card-employers"),
    "branch_officer": ("petugas kantor cabang", "#card-workers"),
    "regional_officer": ("petugas pemerintah daerah", "#card-vulnerable"),
    "employer_hr": ("HRD pemberi kerja", "#own-employer"),
    "worker": ("pekerja", "#own-worker"),
    "heir": ("ahli waris", "#own-worker"),
    "assessor": ("penilai Paritrana Award", "#assessor-note"),
}


@pytest.mark.parametrize("role", sorted(HOMES))
def test_each_role_logs_in_and_sees_its_home(page: Any, live_server: Any, world: dict[str, Any], role: str) -> None:
    label, marker = HOMES[role]
    log_in(page, live_server.url, world["users"][role].username)
    assert page.inner_text("#home-role") == label
    page.wait_for_selector(marker)
    assert page.inner_text("html").count("Beranda") >= 1
    page.click("#logout")
    page.wait_for_selector("#login-form")


def test_counts_stay_within_the_role_scope(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    log_in(page, live_server.url, "cabang.bandung")
    # the Bandung branch sees its one employer and its one worker, not Semarang's
    assert page.inner_text("#card-employers .count") == "1"
    assert page.inner_text("#card-workers .count") == "1"


def test_a_wrong_password_is_refused(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD + "x")
    page.click("#login")
    page.wait_for_selector("#form-errors")
    assert "sandi" in page.inner_text("#form-errors").lower()


def test_a_worker_sees_itself_and_an_heir_the_worker(page: Any, live_server: Any, world: dict[str, Any]) -> None:
    log_in(page, live_server.url, "budi")
    page.click("#own-worker a")
    page.wait_for_selector("#worker-name")
    assert page.inner_text("#worker-name") == "Asih Lestari"
    assert "Budi Santoso" in page.inner_text("#heirs")
    # another worker's page by id: not found
    response = page.goto(f"{live_server.url}/workers/{world['workers']['joko'].pk}/")
    assert response is not None and response.status == 404

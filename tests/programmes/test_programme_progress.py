"""A beneficiary list's upload reports its rows read, then its check against the registry, to the progress record
of the token its form sent (decision 0037); the regional officer who sent it reads it, another officer gets 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from paritrana.programmes.models import BeneficiaryList, Programme
from tests.platform.world import World
from tests.programmes.progkit import csv_file, person
from tests.web.test_progress_pages import TOKEN, watch_records


def test_a_list_upload_reports_its_rows_then_the_registry_check(
    world: World, semarang: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = Client()
    officer.force_login(world.users["city"])
    path = csv_file(tmp_path / "daftar.csv", [person(n) for n in range(1, 201)])
    seen = watch_records(monkeypatch)
    with path.open("rb") as f:
        answer = officer.post(f"/programmes/{semarang.pk}/lists/", {"file": f, "progress_token": TOKEN})
    assert answer.status_code == 302 and BeneficiaryList.objects.get().row_count == 200
    stages = [(s.stage.key, s.done, s.total) for s in seen]
    assert stages[1] == ("rows", 0, 201)  # the header and 200 rows, counted before the first is read
    assert ("rows", 201, 201) in stages
    assert [key for key, _, _ in stages[-2:]] == ["registry", "done"]
    assert officer.get(f"/progress/{TOKEN}/").json()["finished"] is True
    other = Client()
    other.force_login(world.users["province"])
    assert other.get(f"/progress/{TOKEN}/").status_code == 404


def test_confirming_a_list_reports_its_check_then_the_enrolment(
    world: World, semarang: Programme, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The confirmation reads and checks the list again, then enrols: a step of seconds for a long list, shown on
    the page (its form sends a token, ``data-step-progress``) as the server reports it."""
    officer = Client()
    officer.force_login(world.users["city"])
    path = csv_file(tmp_path / "daftar.csv", [person(n) for n in range(1, 51)])
    with path.open("rb") as f:
        officer.post(f"/programmes/{semarang.pk}/lists/", {"file": f})
    lst = BeneficiaryList.objects.get()
    page = officer.get(f"/beneficiary-lists/{lst.pk}/").content.decode()
    assert 'id="confirm-form"' in page and "data-step-progress" in page
    assert "Mendaftarkan orang-orang dalam daftar…" in page  # said until the server's first report
    seen = watch_records(monkeypatch)
    answer = officer.post(f"/beneficiary-lists/{lst.pk}/confirm/", {"progress_token": TOKEN})
    assert answer.status_code == 302 and BeneficiaryList.objects.get().status == BeneficiaryList.Status.CONFIRMED
    keys = [s.stage.key for s in seen]
    assert ("rows", 51, 51) in [(s.stage.key, s.done, s.total) for s in seen]  # the list read again
    assert keys.index("registry") < keys.index("enrolling") < keys.index("done")
    assert officer.get(f"/progress/{TOKEN}/").json()["finished"] is True
    other = Client()
    other.force_login(world.users["province"])
    assert other.get(f"/progress/{TOKEN}/").status_code == 404

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

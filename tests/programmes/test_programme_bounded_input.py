"""Bounded input of beneficiary lists: a formula written by a list comes back as text in the rows CSV; names lose
their bidirectional controls when enrolled; a bad NIK's reason is answered in Bahasa Indonesia (the API's default);
an XLSX that inflates or a list of more rows than the limit is refused naming the file, nothing kept."""

from __future__ import annotations

import csv
import io
import re
import sys
import time
from pathlib import Path
from typing import Any

from django.test import Client, override_settings
from progkit import csv_file, person
from world import World

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "core"))

from xlsxkit import write_xlsx

from paritrana.programmes.models import Beneficiary, BeneficiaryList, Programme
from paritrana.registry.models import Worker

ATTACK = "=cmd|' /C calc'!A0"


def officer(world: World, language: str = "en") -> Client:
    c = Client()
    c.force_login(world.users["city"])
    c.cookies["django_language"] = language
    return c


def upload(c: Client, programme: Programme, path: Path) -> Any:
    with path.open("rb") as f:
        return c.post(f"/programmes/{programme.pk}/lists/", {"file": f})


def test_the_rows_csv_writes_a_formula_as_text(world: World, semarang: Programme, tmp_path: Path) -> None:
    c = officer(world)
    bad = person(2).cells()
    bad[4] = ATTACK  # the occupation: "=cmd|… is not an occupation of the registry"
    upload(c, semarang, csv_file(tmp_path / "daftar.csv", [person(1), bad]))
    lst = BeneficiaryList.objects.get()
    rows = list(csv.reader(io.StringIO(c.get(f"/beneficiary-lists/{lst.pk}/rows.csv").content.decode("utf-8-sig"))))
    assert rows[1][:2] == ["3", "occupation"] and rows[1][2].startswith("'" + ATTACK + " is not an occupation")
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_names_lose_their_bidi_controls_when_enrolled(world: World, semarang: Programme, tmp_path: Path) -> None:
    c = officer(world)
    row = person(3).cells()
    row[1] = "\u202eWarga\u2067 Tiga\u200e"
    row[6] = "Jl. \u202dMawar 3"
    upload(c, semarang, csv_file(tmp_path / "daftar.csv", [row]))
    lst = BeneficiaryList.objects.get()
    assert c.post(f"/beneficiary-lists/{lst.pk}/confirm/").status_code == 302
    beneficiary = Beneficiary.objects.get()
    assert Worker.objects.get(pk=beneficiary.worker_id).name == "Warga Tiga"
    assert beneficiary.address == "Jl. Mawar 3"


def test_a_bad_nik_is_answered_in_indonesian(world: World, semarang: Programme, api: Any, tmp_path: Path) -> None:
    wrong_birth = person(4).cells()
    wrong_birth[2] = "1981-07-17"  # the NIK says 17-07-80
    path = csv_file(tmp_path / "daftar.csv", [wrong_birth])
    with path.open("rb") as f:
        answer = api("city").call("post", f"/api/programmes/{semarang.pk}/beneficiary-lists", data={"file": f})
    assert answer.status_code == 201, answer.content
    [error] = answer.json()["errors"]
    assert error["field"] == "nik" and "tanggal lahir" in error["message"]
    assert not re.search(r"\b(digits|encode|but|the|recorded|birth|date)\b", error["message"]), error["message"]


def test_an_inflating_xlsx_list_is_refused_and_nothing_kept(world: World, semarang: Programme, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", (b"<row><c><v>1</v></c></row>" * 40_000 for _ in range(100)))
    c = officer(world, "id")
    response = upload(c, semarang, path)
    lst = BeneficiaryList.objects.get()
    assert (lst.valid_count, lst.error_count, Beneficiary.objects.count()) == (0, 1, 0)
    [error] = lst.errors
    assert error["field"] == "file" and error["row"] is None
    page = c.get(response["Location"]).content.decode()
    assert "berkas XLSX berisi lebih dari 64 MB setelah dibuka" in page


@override_settings(UPLOAD_LIMITS={"max_rows": 50, "errors_shown": 5})
def test_rows_beyond_the_limit_are_refused_and_errors_bounded(
    world: World, semarang: Programme, api: Any, tmp_path: Path
) -> None:
    many = csv_file(tmp_path / "many.csv", [person(i) for i in range(1, 60)])
    with many.open("rb") as f:
        answer = api("city").call("post", f"/api/programmes/{semarang.pk}/beneficiary-lists", data={"file": f})
    assert answer.status_code == 201 and answer.json()["valid_count"] == 0
    assert [(e["row"], e["field"]) for e in answer.json()["errors"]] == [(None, "file")]
    assert "50" in answer.json()["errors"][0]["message"]
    bad = [[p.nik, p.name, "not a date", p.sex, p.occupation, p.village] for p in (person(i) for i in range(1, 30))]
    with csv_file(tmp_path / "bad.csv", bad).open("rb") as f:
        answer = api("city").call("post", f"/api/programmes/{semarang.pk}/beneficiary-lists", data={"file": f})
    body = answer.json()
    assert body["error_count"] == 29 and len(body["errors"]) == 5  # every bad row counted, the first five shown
    assert Beneficiary.objects.count() == 0


def test_a_50_mb_list_is_refused_quickly_and_nothing_kept(world: World, semarang: Programme, api: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    row = ",".join(person(5).cells()).encode() + b"\n"
    data = b"nik,name,birth_date,sex,occupation,village,address\n" + row * (50 * 1024 * 1024 // len(row) + 1)
    started = time.perf_counter()
    answer = api("city").call(
        "post", f"/api/programmes/{semarang.pk}/beneficiary-lists", data={"file": SimpleUploadedFile("p3ke.csv", data)}
    )
    assert answer.status_code == 422, answer.content[:300]
    [detail] = answer.json()["detail"]
    assert detail["loc"][-1] == "file" and detail["msg"].startswith("berkas lebih besar dari 20 MB")
    assert len(answer.content) < 1_000 and time.perf_counter() - started < 20
    assert BeneficiaryList.objects.count() == 0 and Beneficiary.objects.count() == 0

"""The progress record (decision 0037): ``GET /progress/<token>/`` answers the person who started the step only
(anyone else, anonymous, a token unknown or malformed: 404); the stage's text in the reader's language and
number format; written by an upload's view under the token its form sent (wage file, bank statement); the
cache's newer snapshot shown while the step is inside its transaction; pruned a day after its last update."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from paritrana.core import progress_store
from paritrana.core.models import Progress
from paritrana.core.progress import ROWS, STORING, Snapshot
from tests.contributions.test_bank_pages import statement
from tests.platform.world import World, build_world, enrol_for_contributions

TOKEN = "a" * 20 + "b" * 20


@pytest.fixture
def world(db: None) -> World:
    return enrol_for_contributions(build_world())


def client(world: World, role: str | None, language: str = "id") -> Client:
    c = Client()
    if role is not None:
        c.force_login(world.users[role])
    c.cookies["django_language"] = language
    return c


def test_only_the_person_who_started_a_step_reads_its_progress(world: World) -> None:
    assert progress_store.start(world.users["hr"], TOKEN) is not None
    progress_store.RecordSink(TOKEN)(Snapshot(ROWS, 12_000, 50_000))
    mine = client(world, "hr").get(f"/progress/{TOKEN}/")
    assert mine.status_code == 200 and mine["Cache-Control"] == "no-store"
    assert mine.json() == {
        "stage": "rows", "done": 12_000, "total": 50_000, "percent": 24,
        "text": "Memeriksa baris 12.000 dari 50.000", "finished": False, "failed": False,
    }  # fmt: skip
    english = client(world, "hr", "en").get(f"/progress/{TOKEN}/").json()
    assert english["text"] == "Checking row 12,000 of 50,000"
    for role in ("admin", "branch", "worker", None):  # not even the administrator: it is another's upload
        assert client(world, role).get(f"/progress/{TOKEN}/").status_code == 404, role
    assert client(world, "hr").get(f"/progress/{'c' * 40}/").status_code == 404  # no such step
    assert client(world, "hr").get("/progress/short/").status_code == 404  # not a token
    assert client(world, "hr").post(f"/progress/{TOKEN}/").status_code == 405


def test_a_token_taken_by_another_person_is_not_reset_nor_written(world: World) -> None:
    progress_store.start(world.users["hr"], TOKEN)
    progress_store.RecordSink(TOKEN)(Snapshot(ROWS, 7, 9))
    assert progress_store.start(world.users["branch"], TOKEN) is None
    assert progress_store.start(world.users["branch"], "not a token!") is None
    with progress_store.reported(world.users["branch"], TOKEN) as tracker:
        tracker.begin(STORING, 1)  # writes nowhere
    assert Progress.objects.get(token=TOKEN).user == world.users["hr"]
    shown = progress_store.shown(world.users["hr"], TOKEN)
    assert shown is not None and (shown["stage"], shown["done"], shown["total"]) == ("rows", 7, 9)


def test_inside_a_transaction_the_cache_carries_the_newer_snapshot(world: World) -> None:
    progress_store.start(world.users["hr"], TOKEN)
    with transaction.atomic():  # as a bank statement's lines are stored: the row is not written until the end
        progress_store.RecordSink(TOKEN)(Snapshot(STORING, 300, 1_000))
        assert Progress.objects.get(token=TOKEN).done == 0
        shown = progress_store.shown(world.users["hr"], TOKEN)
    assert shown is not None and shown["text"] == "Menyimpan baris 300 dari 1.000" and shown["percent"] == 30


def test_records_a_day_old_are_pruned_when_a_step_starts(world: World) -> None:
    progress_store.start(world.users["hr"], "old" + "x" * 30)
    progress_store.start(world.users["hr"], "recent" + "x" * 30)
    Progress.objects.filter(token__startswith="old").update(updated=timezone.now() - dt.timedelta(hours=25))
    Progress.objects.filter(token__startswith="recent").update(updated=timezone.now() - dt.timedelta(hours=23))
    progress_store.start(world.users["hr"], TOKEN)
    assert sorted(Progress.objects.values_list("token", flat=True)) == sorted([TOKEN, "recent" + "x" * 30])


def test_a_wage_upload_reports_its_rows_to_the_token_its_form_sent(world: World) -> None:
    e33, nik = world.employers["E33"].pk, world.workers["W33PU"].nik
    rows = "".join(f"{nik},2025-0{m},3.500.000\n" for m in range(1, 4))
    file = SimpleUploadedFile("upah.csv", f"nik,bulan,upah\n{rows}".encode(), content_type="text/csv")
    hr = client(world, "hr")
    answer = hr.post(f"/employers/{e33}/wages/upload/", {"file": file, "progress_token": TOKEN})
    assert answer.status_code == 302
    shown = hr.get(f"/progress/{TOKEN}/").json()
    assert shown["finished"] and not shown["failed"] and shown["stage"] == "done" and shown["text"] == "Selesai"
    assert Progress.objects.get(token=TOKEN).user == world.users["hr"]
    assert client(world, "branch").get(f"/progress/{TOKEN}/").status_code == 404


def watch_records(monkeypatch: pytest.MonkeyPatch) -> list[Snapshot]:
    """Every snapshot written to a progress record from now on, in order (still written)."""
    seen: list[Snapshot] = []
    sink = progress_store.RecordSink.__call__

    def watched(self: progress_store.RecordSink, snapshot: Snapshot, durable: bool = False) -> None:
        seen.append(snapshot)
        sink(self, snapshot, durable)

    monkeypatch.setattr(progress_store.RecordSink, "__call__", watched)
    return seen


def test_a_bank_statement_reports_its_lines_read_then_stored(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    content = statement(world)
    file = SimpleUploadedFile("rekening.csv", content, content_type="text/csv")
    seen = watch_records(monkeypatch)
    answer = client(world, "admin").post("/bank/statements/", {"file": file, "progress_token": TOKEN})
    assert answer.status_code == 200
    stages = [(s.stage.key, s.done, s.total) for s in seen]
    lines = content.count(b"\n") + (not content.endswith(b"\n"))  # the header and three lines
    assert stages[1] == ("rows", 0, lines) and ("rows", lines, lines) in stages
    assert ("storing", 0, 3) in stages and ("storing", 3, 3) in stages
    assert stages[-1][0] == "done"
    assert client(world, "admin").get(f"/progress/{TOKEN}/").json()["finished"]


@pytest.mark.django_db(transaction=True)
def test_a_busy_database_never_stops_the_step_it_reports_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.contrib.auth import get_user_model
    from django.db import OperationalError
    from django.db.models import QuerySet

    user = get_user_model().objects.create(username="hr-busy")
    progress_store.start(user, TOKEN)

    def busy(self: QuerySet[Progress], **values: object) -> int:
        raise OperationalError("database is locked")

    monkeypatch.setattr(QuerySet, "update", busy)
    progress_store.RecordSink(TOKEN)(Snapshot(ROWS, 40, 80))  # outside a transaction: skipped, not raised
    shown = progress_store.shown(user, TOKEN)
    assert shown is not None and (shown["done"], shown["total"]) == (40, 80)  # the cache has it
    with pytest.raises(OperationalError), transaction.atomic():  # inside one, the error is the transaction's
        progress_store.RecordSink(TOKEN)(Snapshot(ROWS, 50, 80), durable=True)

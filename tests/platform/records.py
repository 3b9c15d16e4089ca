"""Real records for the access matrices (tests/platform/matrix.py, web_matrix.py): claims, programmes, lists
and bills of the small world, made through the use cases; and every stored row, to compare before and after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from tests.platform.matrix import Access
from tests.platform.world import World


def claim_ids(world: World) -> dict[str, int]:
    """The claims of the matrix's claim rows, filed through the use cases (see matrix.py)."""
    from paritrana.claims.services import claims as svc
    from paritrana.claims.types import TYPES

    def docs(claim_type: str) -> list[Any]:
        pdf = b"%PDF-1.4\n%%EOF\n"
        return [svc.Upload(d.code, f"{d.code}.pdf", pdf) for d in TYPES[claim_type].documents if d.required]

    medical = {"event_date": "2025-06-02", "kind": "land", "claimed": 500_000}
    users, w35 = world.users, world.workers["W35"].pk
    k_worker = svc.submit(users["worker"], "jkk_medical", medical, docs("jkk_medical"), bank_account="BRI 1")
    k_heir = svc.submit(users["heir"], "jkm", {"event_date": "2025-06-02"}, docs("jkm"), bank_account="BRI 2")
    k_w35 = svc.submit(users["admin"], "jkk_medical", medical, docs("jkk_medical"), worker_id=w35, bank_account="3")
    k_done = svc.submit(users["heir"], "jkm", {"event_date": "2025-06-02"}, docs("jkm"), bank_account="BRI 4")
    svc.reject(users["branch"], k_done.pk, "the death certificate is not legible")
    return {
        "K_WORKER": k_worker.pk,
        "K_HEIR": k_heir.pk,
        "K_W35": k_w35.pk,
        "K_DONE": k_done.pk,
        "D_WORKER": k_worker.documents.order_by("pk").first().pk,  # type: ignore[union-attr]
        "D_W35": k_w35.documents.order_by("pk").first().pk,  # type: ignore[union-attr]
    }


def programme_ids(world: World, tmp_path: Path) -> dict[str, int]:
    """The programmes and lists of the matrix's programme rows, made through the use cases (see matrix.py)."""
    from paritrana.programmes.services.lists import preview_list
    from paritrana.programmes.services.programmes import create_programme
    from tests.programmes.progkit import PROGRAMME, csv_file, person

    users = world.users
    city = create_programme(users["city"], name="Program Kota Semarang", **PROGRAMME)
    province = create_programme(users["province"], name="Program Jawa Tengah", **PROGRAMME)
    p35 = create_programme(users["admin"], name="Program Kota Surabaya", region="35.78", **PROGRAMME)
    listed = csv_file(tmp_path / "list.csv", [person(1)])
    surabaya = csv_file(tmp_path / "list35.csv", [person(2, district="35.78.01", village="35.78.01.1001")])
    l_city = preview_list(users["city"], city.pk, listed, "list.csv")
    l35 = preview_list(users["admin"], p35.pk, surabaya, "list35.csv")
    return {"P_CITY": city.pk, "P_PROVINCE": province.pk, "P35": p35.pk, "L_CITY": l_city.pk, "L35": l35.pk}


WATCHED_APPS = ("registry", "contributions", "claims", "programmes")


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the watched apps (history tables included), in id order."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f.attname for f in model._meta.concrete_fields]
            tables[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return tables


def changed(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> set[str]:
    return {label for label in before if before[label] != after[label]}


def bill_ids(world: World) -> dict[str, int]:
    """March 2025 billed (JKK, the one programme of every worker here): E33's and E35's bills and payers."""
    from paritrana.contributions.models import Bill
    from paritrana.contributions.services.billing import run_billing

    run_billing(dt.date(2025, 3, 1))
    out: dict[str, int] = {}
    for key in ("E33", "E35"):
        bill = Bill.objects.get(payer__employer=world.employers[key], period=dt.date(2025, 3, 1))
        out[f"BILL_{key}"], out[f"PAYER_{key}"] = bill.pk, bill.payer_id
    return out


def needs(url: str) -> str:
    """Which records a URL names: the key of its shared world ("claims", "programmes+bills", "" for none)."""
    kinds = []
    if "{K_" in url or "{D_" in url:
        kinds.append("claims")
    if "{P" in url.replace("{PAYER", "") or "{L" in url:
        kinds.append("programmes")
    if "{BILL" in url or "{PAYER" in url:
        kinds.append("bills")
    return "+".join(kinds)


def record_ids(world: World, kinds: str, folder: Path) -> dict[str, Any]:
    """The world's ids, and those of the records ``kinds`` (from :func:`needs`) names, made here."""
    ids: dict[str, Any] = world.ids()
    if "claims" in kinds:
        ids.update(claim_ids(world))
    if "programmes" in kinds:
        ids.update(programme_ids(world, folder))
    if "bills" in kinds:
        ids.update(bill_ids(world))
    return ids


@dataclass
class Shared:
    """A module's one world (conftest.shared_world) and the ids of its records."""

    world: World
    ids: dict[str, Any]


@pytest.fixture(name="world")
def shared_world_per_test(shared_world: Shared, db: None) -> World:
    """The module's one world, each test's writes undone after it (import it into a module as its ``world``)."""
    return shared_world.world


def by_records(rows: list[Access]) -> pytest.MarkDecorator:
    """Parametrize ``row`` over ``rows`` and ``shared_world`` over the records each row names, the rows ordered by
    those records: each set is made once per module, not once per test."""
    ordered = sorted(rows, key=lambda r: needs(r.url))
    return pytest.mark.parametrize(
        ("shared_world", "row"),
        [(needs(r.url), r) for r in ordered],
        ids=[r.id for r in ordered],
        indirect=["shared_world"],
        scope="module",
    )

"""A seeded, realistic demo data set: branches, employers, sponsors, workers, memberships, heirs.

``build_plan(seed, workers)`` is pure (the same seed gives the same plan);
``load_demo(plan)`` writes it in bulk, once: run again, it finds the data and adds nothing.

Wages are drawn around each province's minimum wage (``registry.demo_names``: approximate figures, used only
to make demo wages look realistic).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from paritrana.registry.demo_names import (
    BPU_OCCUPATIONS,
    COMPANY_WORDS,
    DEMO_MINIMUM_WAGE,
    FAMILY_NAMES,
    FEMALE_NAMES,
    MALE_NAMES,
    PROVINCE_WEIGHT,
    PU_OCCUPATIONS,
    SECTORS,
)
from paritrana.registry.models import (
    Branch,
    Employer,
    Heir,
    Membership,
    Region,
    Scheme,
    SizeClass,
    Sponsor,
    Worker,
)
from paritrana.registry.nik import make_nik
from paritrana.registry.regiondata import read_level

DEMO_SEED = 2026
DEMO_WORKERS = 5000
BRANCH_PREFIX = "KC-"


@dataclass
class Plan:
    seed: int
    branches: list[dict[str, Any]] = field(default_factory=list)
    employers: list[dict[str, Any]] = field(default_factory=list)
    sponsors: list[dict[str, Any]] = field(default_factory=list)
    workers: list[dict[str, Any]] = field(default_factory=list)


def _regions() -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    provinces = {r.code: r.name for r in read_level("province")}
    regencies: dict[str, list[str]] = defaultdict(list)
    for r in read_level("regency"):
        regencies[r.parent or ""].append(r.code)
    districts: dict[str, list[str]] = defaultdict(list)
    for r in read_level("district"):
        districts[r.parent or ""].append(r.code)
    return provinces, regencies, districts


def _round(amount: float, step: int) -> int:
    return round(amount / step) * step


def _birth_date(rng: random.Random, today: dt.date, min_age: int, max_age: int) -> dt.date:
    age_days = rng.randint(min_age * 365 + 30, max_age * 365)
    return today - dt.timedelta(days=age_days)


def build_plan(seed: int = DEMO_SEED, workers: int = DEMO_WORKERS, today: dt.date = dt.date(2026, 1, 1)) -> Plan:
    """The demo records as plain values; the same arguments always give the same plan."""
    rng = random.Random(seed)
    provinces, regencies, districts = _regions()
    plan = Plan(seed=seed)
    codes = sorted(DEMO_MINIMUM_WAGE)
    for code in codes:
        plan.branches.append(
            {"code": f"{BRANCH_PREFIX}{code}", "name": f"Kantor Cabang {provinces[code]}", "regions": regencies[code]}
        )
        plan.sponsors.append(
            {
                "key": f"apbd-{code}",
                "kind": "regional_programme",
                "name": f"Program Pekerja Rentan {provinces[code]}",
                "region": code,
            }
        )
    plan.sponsors.append({"key": "csr-1", "kind": "csr", "name": "CSR PT Bank Sejahtera Nusantara", "region": None})
    plan.sponsors.append({"key": "csr-2", "kind": "csr", "name": "CSR PT Energi Samudra Abadi", "region": None})
    plan.sponsors.append({"key": "self", "kind": "self", "name": "Mandiri (dibayar sendiri)", "region": None})

    # four employers per province
    number = 10_000_000
    for code in codes:
        for _ in range(4):
            number += rng.randint(1, 9_000)
            sector, risk = rng.choice(SECTORS)
            size = rng.choices([SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE], [2, 3, 3, 2])[0]
            name = f"PT {rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_WORDS)} {rng.choice(FAMILY_NAMES)}"
            plan.employers.append(
                {
                    "registration_number": f"{number:08d}",
                    "name": name,
                    "sector": sector,
                    "size_class": str(size),
                    "risk_group": risk,
                    "region": rng.choice(regencies[code]),
                    "branch": f"{BRANCH_PREFIX}{code}",
                    "status": "active" if rng.random() > 0.05 else "inactive",
                }
            )
    employers_by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in plan.employers:
        if e["status"] == "active":
            employers_by_province[e["region"][:2]].append(e)

    used: set[str] = set()
    weights = [PROVINCE_WEIGHT[c] for c in codes]
    for _ in range(workers):
        province = rng.choices(codes, weights)[0]
        pu = rng.random() < 0.6
        sex = "M" if rng.random() < (0.62 if pu else 0.5) else "F"
        birth = _birth_date(rng, today, 18, 60)
        regency = rng.choice(regencies[province])
        district = rng.choice(districts[regency])
        serial = rng.randint(1, 9000)
        nik = make_nik(district, birth, sex, serial)
        while nik in used:
            serial = serial % 9999 + 1
            nik = make_nik(district, birth, sex, serial)
        used.add(nik)
        first = rng.choice(MALE_NAMES if sex == "M" else FEMALE_NAMES)
        name = f"{first} {rng.choice(FAMILY_NAMES)}"
        minimum = DEMO_MINIMUM_WAGE[province]
        start = today - dt.timedelta(days=rng.randint(30, 10 * 365))
        if pu:
            employer = rng.choice(employers_by_province[province])
            wage = max(minimum, _round(minimum * rng.lognormvariate(0.15, 0.35), 1000))
            programmes = (
                ["JKK", "JKM", "JHT", "JP", "JKP"] if employer["size_class"] != "micro" else ["JKK", "JKM", "JHT"]
            )
            record: dict[str, Any] = {
                "scheme": "PU",
                "employer": employer["registration_number"],
                "occupation": str(rng.choice(PU_OCCUPATIONS)),
                "sponsor": None,
                "region": employer["region"] if rng.random() < 0.7 else regency,
            }
        else:
            wage = _round(rng.uniform(1_000_000, max(1_100_000, minimum * 1.2)), 100_000)
            sponsor = rng.choices([f"apbd-{province}", "self", "csr-1", "csr-2"], [5, 4, 1, 1])[0]
            programmes = ["JKK", "JKM"] + (["JHT"] if rng.random() < 0.2 else [])
            record = {
                "scheme": "BPU",
                "employer": None,
                "occupation": str(rng.choice(BPU_OCCUPATIONS)),
                "sponsor": sponsor,
                "region": regency,
            }
        ended = rng.random() < 0.06
        end: dt.date | None = min(start + dt.timedelta(days=rng.randint(30, 900)), today) if ended else None
        memberships = [{"programme": p, "start": start, "end": end} for p in programmes]
        heirs = []
        if rng.random() < 0.35:
            heirs.append(
                {
                    "name": f"{rng.choice(FEMALE_NAMES if sex == 'M' else MALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
                    "relation": "spouse",
                    "rank": 1,
                }
            )
            for _ in range(rng.randint(0, 3)):
                heirs.append(
                    {
                        "name": f"{rng.choice(MALE_NAMES + FEMALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
                        "relation": "child",
                        "rank": 1,
                    }
                )
        elif rng.random() < 0.2:
            heirs.append(
                {
                    "name": f"{rng.choice(MALE_NAMES + FEMALE_NAMES)} {rng.choice(FAMILY_NAMES)}",
                    "relation": "parent",
                    "rank": 2,
                }
            )
        record.update(
            {
                "nik": nik,
                "name": name,
                "birth_date": birth,
                "sex": sex,
                "wage": wage,
                "memberships": memberships,
                "heirs": heirs,
            }
        )
        plan.workers.append(record)
    return plan


def demo_present() -> bool:
    return Branch.objects.filter(code__startswith=BRANCH_PREFIX).exists()


def _bulk(model: Any, objs: Iterable[Any], history: bool = True) -> list[Any]:
    objs = list(objs)
    if history:
        return list(bulk_create_with_history(objs, model, batch_size=2000, default_change_reason="demo data"))
    return model.objects.bulk_create(objs, batch_size=2000)


@transaction.atomic
def load_demo(plan: Plan) -> dict[str, int]:
    """Write the plan (regions must be loaded); does nothing when the demo data is already there."""
    if demo_present():
        return {}
    region_ids = dict(Region.objects.filter(level__in=["province", "regency"]).values_list("code", "id"))
    branches = _bulk(Branch, [Branch(code=b["code"], name=b["name"]) for b in plan.branches])
    branch_ids = {b.code: b.pk for b in Branch.objects.filter(code__startswith=BRANCH_PREFIX)}
    through = Branch.regions.through
    through.objects.bulk_create(
        [through(branch_id=branch_ids[b["code"]], region_id=region_ids[r]) for b in plan.branches for r in b["regions"]]
    )
    _bulk(
        Employer,
        [
            Employer(
                **{
                    **e,
                    "region_id": region_ids[e["region"]],
                    "branch_id": branch_ids[e["branch"]],
                    "region": None,
                    "branch": None,
                }
            )
            for e in plan.employers
        ],
    )
    employer_ids = dict(Employer.objects.values_list("registration_number", "id"))
    sponsor_objs = [
        Sponsor(kind=s["kind"], name=s["name"], region_id=region_ids[s["region"]] if s["region"] else None)
        for s in plan.sponsors
    ]
    _bulk(Sponsor, sponsor_objs)
    sponsor_by_name = dict(Sponsor.objects.values_list("name", "id"))
    sponsor_ids = {s["key"]: sponsor_by_name[s["name"]] for s in plan.sponsors}
    workers = [
        Worker(
            nik=w["nik"],
            name=w["name"],
            birth_date=w["birth_date"],
            sex=w["sex"],
            occupation=w["occupation"],
            region_id=region_ids[w["region"]],
            scheme=w["scheme"],
            employer_id=employer_ids[w["employer"]] if w["employer"] else None,
            sponsor_id=sponsor_ids[w["sponsor"]] if w["sponsor"] else None,
            wage=w["wage"],
        )
        for w in plan.workers
    ]
    _bulk(Worker, workers)
    worker_ids = dict(Worker.objects.values_list("nik", "id"))
    memberships = [Membership(worker_id=worker_ids[w["nik"]], **m) for w in plan.workers for m in w["memberships"]]
    _bulk(Membership, memberships)
    heirs = [Heir(worker_id=worker_ids[w["nik"]], **h) for w in plan.workers for h in w["heirs"]]
    _bulk(Heir, heirs)
    return {
        "branches": len(branches),
        "employers": len(plan.employers),
        "sponsors": len(sponsor_objs),
        "workers": len(workers),
        "memberships": len(memberships),
        "heirs": len(heirs),
    }


def demo_users() -> list[tuple[str, str, dict[str, Any], str]]:
    """(username, role, scope objects, description) of the demo's users, one per role (two regional officers; two
    administrators and two branch officers, as a claim's verifier never approves it)."""
    branch = Branch.objects.get(code=f"{BRANCH_PREFIX}33")
    province = Region.objects.get(code="33")
    city = Region.objects.get(code="33.74")
    employer = (
        Employer.objects.filter(branch=branch, status="active", workers__isnull=False)
        .order_by("registration_number")
        .first()
    )
    worker = Worker.objects.filter(region__code__startswith="33.", scheme=Scheme.BPU).order_by("nik").first()
    deceased = (
        Worker.objects.filter(region__code__startswith="33.", heirs__isnull=False)
        .exclude(pk=worker.pk if worker else 0)
        .order_by("nik")
        .first()
    )
    if employer is None or worker is None or deceased is None:
        raise RuntimeError("the demo data set is incomplete: load it first")
    return [
        ("admin", "admin", {}, "agency administrator: everything"),
        ("admin2", "admin", {}, "agency administrator: approves what another verified"),
        ("cabang", "branch_officer", {"branch": branch}, f"branch officer, {branch.name}"),
        (
            "cabang2",
            "branch_officer",
            {"branch": branch},
            f"branch officer, {branch.name}: approves what cabang verified",
        ),
        ("pemprov", "regional_officer", {"region": province}, f"regional officer, {province.code} {province.name}"),
        ("pemkot", "regional_officer", {"region": city}, f"regional officer, {city.code} {city.name}"),
        ("hrd", "employer_hr", {"employer": employer}, f"employer HR, {employer.name}"),
        ("pekerja", "worker", {"worker": worker}, f"worker, {worker.name}"),
        ("ahliwaris", "heir", {"worker": deceased}, f"heir of {deceased.name}"),
        ("penilai", "assessor", {}, "award assessor"),
        ("analis", "policy_analyst", {}, "policy analyst: nation-wide aggregated figures, projections"),
    ]


def demo_password(username: str) -> str:
    return f"paritrana-{username}"

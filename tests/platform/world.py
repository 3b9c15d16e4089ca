"""A small registry for the platform tests: two provinces, two branches, three employers,
four workers, and one user (with an API token) per role.

    33 Jawa Tengah ── 33.74 Kota Semarang (33.74.01) ── employer E33 (branch KC-33), workers W33PU (PU at E33), W33CITY (BPU)
                  └── 33.01 Kab. Cilacap (33.01.01)  ── employer E33B (branch KC-33), worker W33BPU (BPU)
    35 Jawa Timur ── 35.78 Kota Surabaya (35.78.01)  ── employer E35 (branch KC-35), worker W35 (PU at E35)

Users: admin, branch (KC-33), province (33), city (33.74), hr (E33), worker (W33BPU), heir (of W33PU), assessor,
analyst (policy analyst: nation-wide aggregated figures only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from paritrana.accounts.models import ApiToken, Profile, Role
from paritrana.registry.models import Branch, Employer, Heir, Membership, Region, Sponsor, Worker
from paritrana.registry.nik import make_nik

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor", "analyst")
PASSWORD = "correct horse battery staple"

REGIONS = [
    ("33", "Jawa Tengah", "province", None),
    ("33.74", "Kota Semarang", "regency", "33"),
    ("33.74.01", "Semarang Tengah", "district", "33.74"),
    ("33.01", "Kabupaten Cilacap", "regency", "33"),
    ("33.01.01", "Dayeuhluhur", "district", "33.01"),
    ("35", "Jawa Timur", "province", None),
    ("35.78", "Kota Surabaya", "regency", "35"),
    ("35.78.01", "Karang Pilang", "district", "35.78"),
]


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    branches: dict[str, Branch] = field(default_factory=dict)
    employers: dict[str, Employer] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def ids(self) -> dict[str, Any]:
        """Placeholders for URL templates: {E33}, {W35}, …"""
        return {**{k: v.pk for k, v in self.employers.items()}, **{k: v.pk for k, v in self.workers.items()}}


def worker(key: str, district: str, sex: str, birth: dt.date, serial: int, **kw: Any) -> Worker:
    return Worker(nik=make_nik(district, birth, sex, serial), name=f"Worker {key}", birth_date=birth, sex=sex, **kw)


def build_world(password: str | None = None) -> World:
    """Create the world; users get ``password`` (slow: Argon2) or an unusable one (log in with force_login/tokens)."""
    w = World()
    for code, name, level, parent in REGIONS:
        w.regions[code] = Region.objects.create(
            code=code, name=name, level=level, parent=w.regions[parent] if parent else None
        )
    r = w.regions
    w.branches["KC-33"] = Branch.objects.create(code="KC-33", name="Kantor Cabang Jawa Tengah")
    w.branches["KC-33"].regions.set([r["33.74"], r["33.01"]])
    w.branches["KC-35"] = Branch.objects.create(code="KC-35", name="Kantor Cabang Jawa Timur")
    w.branches["KC-35"].regions.set([r["35.78"]])
    common = {"sector": "manufacturing", "size_class": "medium", "risk_group": 2}
    w.employers["E33"] = Employer.objects.create(
        registration_number="33000001", name="PT Semarang", region=r["33.74"], branch=w.branches["KC-33"], **common
    )
    w.employers["E33B"] = Employer.objects.create(
        registration_number="33000002", name="PT Cilacap", region=r["33.01"], branch=w.branches["KC-33"], **common
    )
    w.employers["E35"] = Employer.objects.create(
        registration_number="35000001", name="PT Surabaya", region=r["35.78"], branch=w.branches["KC-35"], **common
    )
    b = dt.date(1990, 5, 17)
    specs = {
        "W33PU": worker("W33PU", "33.74.01", "M", b, 1, occupation="employee", region=r["33.74"], scheme="PU", employer=w.employers["E33"], wage=3_000_000),
        "W33CITY": worker("W33CITY", "33.74.01", "F", b, 2, occupation="trader", region=r["33.74"], scheme="BPU", wage=1_500_000),
        "W33BPU": worker("W33BPU", "33.01.01", "F", b, 3, occupation="farmer", region=r["33.01"], scheme="BPU", wage=1_000_000),
        "W35": worker("W35", "35.78.01", "M", b, 4, occupation="employee", region=r["35.78"], scheme="PU", employer=w.employers["E35"], wage=4_800_000),
    }  # fmt: skip
    for key, obj in specs.items():
        obj.save()
        w.workers[key] = obj
        Membership.objects.create(worker=obj, programme="JKK", start=dt.date(2024, 1, 1))
    Heir.objects.create(worker=w.workers["W33PU"], name="Heir of W33PU", relation="spouse", rank=1)
    scopes: dict[str, tuple[str, dict[str, Any]]] = {
        "admin": (Role.ADMIN, {}),
        "branch": (Role.BRANCH_OFFICER, {"branch": w.branches["KC-33"]}),
        # a second officer of the same branch: a claim's verifier never approves or pays it (decision 0010)
        "branch2": (Role.BRANCH_OFFICER, {"branch": w.branches["KC-33"]}),
        "province": (Role.REGIONAL_OFFICER, {"region": r["33"]}),
        "city": (Role.REGIONAL_OFFICER, {"region": r["33.74"]}),
        "hr": (Role.EMPLOYER_HR, {"employer": w.employers["E33"]}),
        "worker": (Role.WORKER, {"worker": w.workers["W33BPU"]}),
        "heir": (Role.HEIR, {"worker": w.workers["W33PU"]}),
        "assessor": (Role.ASSESSOR, {}),
        "analyst": (Role.POLICY_ANALYST, {}),
    }
    user_model = get_user_model()
    for name, (role, scope) in scopes.items():
        user = user_model(username=f"t_{name}", is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        Profile.objects.create(user=user, role=role, **scope)
        w.users[name] = user
        w.tokens[name] = ApiToken.issue(user, name="test")[1]
    return w


JOINED = dt.date(2024, 1, 1)


def enrol_for_contributions(w: World) -> World:
    """Make the world billable: wage earners in JKK, JKM, JHT, JP and JKP; self-paid W33BPU in JKK, JKM, JHT;
    W33CITY sponsored (JKK, JKM) by Kota Semarang's programme. Every worker already has JKK from 2024-01-01."""
    for key in ("W33PU", "W35"):
        for programme in ("JKM", "JHT", "JP", "JKP"):
            Membership.objects.create(worker=w.workers[key], programme=programme, start=JOINED)
    for programme in ("JKM", "JHT"):
        Membership.objects.create(worker=w.workers["W33BPU"], programme=programme, start=JOINED)
    Membership.objects.create(worker=w.workers["W33CITY"], programme="JKM", start=JOINED)
    sponsor = Sponsor.objects.create(
        kind=Sponsor.Kind.REGIONAL_PROGRAMME, name="Program Kota Semarang", region=w.regions["33.74"]
    )
    w.workers["W33CITY"].sponsor = sponsor
    w.workers["W33CITY"].save()
    return w


def keys_of(rows: Any, named: dict[str, Any]) -> set[str]:
    """The keys under which ``named`` holds the records of ``rows``: what a scope shows, in the tests' names."""
    by_pk = {obj.pk: key for key, obj in named.items()}
    return {by_pk[obj.pk] for obj in rows}

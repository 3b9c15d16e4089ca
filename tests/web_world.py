"""A small registry and one user per role, for the browser tests and the web page tests (tests/web)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

PASSWORD = "uji-Paritrana-2026"
REGIONS = [
    ("32", "Jawa Barat", "province", None),
    ("32.73", "Kota Bandung", "regency", "32"),
    ("32.73.01", "Sukasari", "district", "32.73"),
    ("33", "Jawa Tengah", "province", None),
    ("33.74", "Kota Semarang", "regency", "33"),
    ("33.74.01", "Semarang Tengah", "district", "33.74"),
]


@lru_cache(maxsize=1)
def password_hash() -> str:
    """The hash of PASSWORD, made once: Argon2 is slow on purpose, and every test builds seven users."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def build_world() -> dict[str, Any]:
    """Two provinces, a branch and an employer in each, a worker with an heir, and one user per role."""
    from django.contrib.auth import get_user_model

    from paritrana.accounts.models import Profile, Role
    from paritrana.registry.models import Branch, Employer, Heir, Membership, Region, Worker

    regions: dict[str, Any] = {}
    for code, name, level, parent in REGIONS:
        regions[code] = Region.objects.create(
            code=code, name=name, level=level, parent=regions[parent] if parent else None
        )
    bandung = Branch.objects.create(code="BDG", name="Kantor Cabang Bandung")
    bandung.regions.add(regions["32.73"])
    semarang = Branch.objects.create(code="SMG", name="Kantor Cabang Semarang")
    semarang.regions.add(regions["33.74"])
    tekstil = Employer.objects.create(
        registration_number="PK-32-0001",
        name="PT Tekstil Priangan",
        sector="manufacturing",
        size_class="medium",
        risk_group=3,
        region=regions["32.73"],
        branch=bandung,
    )
    batik = Employer.objects.create(
        registration_number="PK-33-0001",
        name="CV Batik Semarang",
        sector="manufacturing",
        size_class="small",
        risk_group=2,
        region=regions["33.74"],
        branch=semarang,
    )
    asih = Worker.objects.create(
        nik="3273015508900002",
        name="Asih Lestari",
        birth_date=dt.date(1990, 8, 15),
        sex="F",
        occupation="factory_worker",
        region=regions["32.73"],
        scheme="PU",
        employer=tekstil,
        wage=4_200_000,
    )
    Membership.objects.create(worker=asih, programme="JKK", start=dt.date(2020, 1, 1))
    Heir.objects.create(worker=asih, name="Budi Santoso", relation="spouse", rank=1)
    joko = Worker.objects.create(
        nik="3374010101850003",
        name="Joko Widodo Susanto",
        birth_date=dt.date(1985, 1, 1),
        sex="M",
        occupation="fisher",
        region=regions["33.74"],
        scheme="BPU",
        wage=2_000_000,
    )

    users: dict[str, Any] = {}
    user_model = get_user_model()

    def user(name: str, role: str, **scope: Any) -> None:
        u = user_model.objects.create(username=name, password=password_hash(), is_staff=role == Role.ADMIN)
        Profile.objects.create(user=u, role=role, **scope)
        users[role] = u

    user("admin", Role.ADMIN)
    user("cabang.bandung", Role.BRANCH_OFFICER, branch=bandung)
    user("pemda.jabar", Role.REGIONAL_OFFICER, region=regions["32"])
    user("hrd.tekstil", Role.EMPLOYER_HR, employer=tekstil)
    user("asih", Role.WORKER, worker=asih)
    user("budi", Role.HEIR, worker=asih)
    user("penilai", Role.ASSESSOR)
    user("analis", Role.POLICY_ANALYST)
    return {
        "regions": regions,
        "employers": {"tekstil": tekstil, "batik": batik},
        "workers": {"asih": asih, "joko": joko},
        "users": users,
    }


def log_in(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login")
    page.wait_for_selector("#home-title")

"""The role-by-endpoint matrix: who may call what, including other regions', companies' and
workers' records fetched by id. Data, not code: add rows (web pages too) and the tests run them.

A row is ``Access(role, method, url, expected, body)``; ``url`` and ``body`` may use the
placeholders of :meth:`world.World.ids` ({E33}, {W35}, …) and ``{n}`` (a number
unique to the row). ``role`` is one of :data:`world.ROLES` or ``"anonymous"``.
``expected`` is the status code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ALL = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")


@dataclass(frozen=True)
class Access:
    role: str
    method: str
    url: str
    expected: int
    body: dict[str, Any] | None = field(default=None, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.role}-{self.method}-{self.url}-{self.expected}"


def row_per_role(
    method: str, url: str, allowed: dict[str, int], refused: int, body: dict[str, Any] | None = None
) -> list[Access]:
    """One row per role: the code in ``allowed`` for those roles, ``refused`` for the others; anonymous gets 401."""
    rows = [Access(role, method, url, allowed.get(role, refused), body) for role in ALL]
    rows.append(Access("anonymous", method, url, 401, body))
    return rows


def ok(*roles: str, code: int = 200) -> dict[str, int]:
    return dict.fromkeys(roles, code)


EMPLOYER_BODY = {
    "registration_number": "90{n:06d}",
    "name": "PT Baru",
    "sector": "trade",
    "size_class": "small",
    "risk_group": 1,
    "region": "33.01",
}
# a BPU worker domiciled in Kab. Cilacap (33.01): inside the branch's territory
BPU_WORKER_BODY = {
    "nik": "3301014101950{n:03d}",
    "name": "Ibu Tani",
    "birth_date": "1995-01-01",
    "sex": "F",
    "occupation": "farmer",
    "region": "33.01",
    "scheme": "BPU",
    "wage": 1000000,
}
PU_WORKER_BODY = {
    "nik": "3374010101900{n:03d}",
    "name": "Pak Pabrik",
    "birth_date": "1990-01-01",
    "sex": "M",
    "occupation": "employee",
    "region": "33.74",
    "scheme": "PU",
    "employer": "{E33}",
    "wage": 3000000,
}

API: list[Access] = [
    # who am I, reference data, the calculator: every signed-in role
    *row_per_role("GET", "/api/me", ok(*ALL), 200),
    *row_per_role("GET", "/api/regions", ok(*ALL), 200),
    *row_per_role("GET", "/api/regions/33.74", ok(*ALL), 200),
    *row_per_role("GET", "/api/rules", ok(*ALL), 200),
    *row_per_role(
        "POST",
        "/api/rules/pu_contributions",
        ok(*ALL),
        200,
        {"date": "2024-05-01", "inputs": {"wage": 5000000, "risk_group": 1}},
    ),
    # lists answer everyone signed in, filtered to their scope (see test_scoped_lists)
    *row_per_role("GET", "/api/employers", ok(*ALL), 200),
    *row_per_role("GET", "/api/workers", ok(*ALL), 200),
    # employers by id
    *row_per_role("GET", "/api/employers/{E33}", ok("admin", "branch", "province", "city", "hr"), 404),
    *row_per_role("GET", "/api/employers/{E33B}", ok("admin", "branch", "province"), 404),
    *row_per_role("GET", "/api/employers/{E35}", ok("admin"), 404),
    # workers by id
    *row_per_role("GET", "/api/workers/{W33PU}", ok("admin", "branch", "province", "city", "hr", "heir"), 404),
    *row_per_role("GET", "/api/workers/{W33CITY}", ok("admin", "branch", "province", "city"), 404),
    *row_per_role("GET", "/api/workers/{W33BPU}", ok("admin", "branch", "province", "worker"), 404),
    *row_per_role("GET", "/api/workers/{W35}", ok("admin"), 404),
    # writes: employers (administrators anywhere, branch officers in their branch's regions)
    *row_per_role("POST", "/api/employers", ok("admin", "branch", code=201), 403, EMPLOYER_BODY),
    *row_per_role("PATCH", "/api/employers/{E33}", ok("admin", "branch", "hr"), 404, {"name": "PT Semarang Baru"}),
    *row_per_role("PATCH", "/api/employers/{E35}", ok("admin"), 404, {"name": "PT Surabaya Baru"}),
    # writes: workers (administrators; branch officers in scope; employer HR its own wage earners)
    *row_per_role("POST", "/api/workers", ok("admin", "branch", code=201), 403, BPU_WORKER_BODY),
    *row_per_role("POST", "/api/workers", ok("admin", "branch", "hr", code=201), 403, PU_WORKER_BODY),
    *row_per_role("PATCH", "/api/workers/{W33PU}", ok("admin", "branch", "hr"), 404, {"name": "Budi Baru"}),
    *row_per_role("PATCH", "/api/workers/{W35}", ok("admin"), 404, {"name": "Budi Baru"}),
]


def fix_refusals(rows: list[Access]) -> list[Access]:
    """A role that can see a record but not change it gets 403 (not 404) on a write."""
    visible = {
        "{E33}": {"admin", "branch", "province", "city", "hr"},
        "{W33PU}": {"admin", "branch", "province", "city", "hr", "heir"},
    }
    out = []
    for row in rows:
        for key, roles in visible.items():
            if row.method == "PATCH" and key in row.url and row.expected == 404 and row.role in roles:
                row = Access(row.role, row.method, row.url, 403, row.body)
        out.append(row)
    return out


API = fix_refusals(API)

# regional programmes: regional officers their own region's, branch officers read their territory's,
# administrators all. This world has no programme: by id, every role gets 404 here; the rows on real
# programmes of two regencies are in tests/programmes/test_programme_pages.py.
PROGRAMME_BODY = {
    "name": "Program {n}",
    "legal_basis_type": "perbup",
    "legal_basis_number": "{n}/2026",
    "legal_basis_date": "2026-01-02",
    "budget_year": 2026,
    "budget_amount": 100000000,
}
PROGRAMME_VIEWERS = ("admin", "branch", "province", "city")
API += [
    *row_per_role("GET", "/api/programmes", ok(*PROGRAMME_VIEWERS), 403),
    # a regional officer creates for its own region; the administrator must name one (422 on "region")
    *row_per_role("POST", "/api/programmes", {**ok("province", "city", code=201), "admin": 422}, 403, PROGRAMME_BODY),
    *row_per_role("GET", "/api/programmes/999999", {}, 404),
    *row_per_role("GET", "/api/programmes/999999/beneficiaries", {}, 404),
    *row_per_role("GET", "/api/programmes/999999/planner?start=2026-01", {}, 404),
    *row_per_role("GET", "/api/beneficiary-lists/999999", {}, 404),
    *row_per_role("POST", "/api/beneficiary-lists/999999/confirm", {}, 404),
    *row_per_role("GET", "/api/follow-up?period=2025-03", ok(*PROGRAMME_VIEWERS), 403),
]

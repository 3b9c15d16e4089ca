"""The role-by-endpoint matrix: who may call what, including other regions', companies' and
workers' records fetched by id. Data, not code: add rows (web pages too) and the tests run them.

A row is ``Access(role, method, url, expected, body)``; ``url`` and ``body`` may use the
placeholders of :meth:`world.World.ids` ({E33}, {W35}, …) and ``{n}`` (a number
unique to the row). ``role`` is one of :data:`world.ROLES` or ``"anonymous"``.
``expected`` is the status code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

ALL = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor", "analyst")


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
    method: str,
    url: str,
    allowed: dict[str, int],
    refused: int,
    body: dict[str, Any] | None = None,
    anonymous: int = 401,
) -> list[Access]:
    """One row per role: the code in ``allowed`` for those roles, ``refused`` for the others; anonymous gets 401
    (``anonymous``: what a public operation gives it)."""
    rows = [Access(role, method, url, allowed.get(role, refused), body) for role in ALL]
    rows.append(Access("anonymous", method, url, anonymous, body))
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

# a JKK reimbursement for the worker W33BPU (KC-33), with the four documents its checklist requires
_PDF = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()
CLAIM_BODY = {
    "claim_type": "jkk_medical",
    "worker_id": "{W33BPU}",
    "inputs": {"event_date": "2025-06-02", "kind": "land", "claimed": 500000},
    "bank_account": "BRI 0001",
    "documents": [
        {"kind": kind, "file_name": f"{kind}.pdf", "content_base64": _PDF}
        for kind in ("id_card", "accident_report", "receipts", "bank_book")
    ],
}
DOCUMENT_BODY = {"kind": "bank_book", "file_name": "tabungan.pdf", "content_base64": _PDF}

API: list[Access] = [
    # who am I, reference data: every signed-in role; the calculator: anyone (public, limited per address)
    *row_per_role("GET", "/api/me", ok(*ALL), 200),
    *row_per_role("GET", "/api/regions", ok(*ALL), 200),
    *row_per_role("GET", "/api/regions/33.74", ok(*ALL), 200),
    *row_per_role("GET", "/api/rules", ok(*ALL), 200, anonymous=200),
    *row_per_role(
        "POST",
        "/api/rules/pu_contributions",
        ok(*ALL),
        200,
        {"date": "2024-05-01", "inputs": {"wage": 5000000, "risk_group": 1}},
        anonymous=200,
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
    # claims (test_api_matrix.claim_ids files them): {K_WORKER} the worker's own (W33BPU, KC-33), {K_HEIR} the
    # heir's JKM claim (W33PU, KC-33), {K_W35} the administrator's for W35 (KC-35), {K_DONE} the heir's, rejected.
    # Out of sight is 404; seen but not the role's to process is 403.
    *row_per_role("GET", "/api/claims", ok(*ALL), 200),
    *row_per_role("GET", "/api/claims/types", ok(*ALL), 200),
    *row_per_role("GET", "/api/claims/report", ok("admin", "branch"), 403),
    *row_per_role("GET", "/api/claims/{K_WORKER}", ok("admin", "branch", "worker"), 404),
    *row_per_role("GET", "/api/claims/{K_HEIR}", ok("admin", "branch", "heir"), 404),
    *row_per_role("GET", "/api/claims/{K_W35}", ok("admin"), 404),
    *row_per_role("GET", "/api/claims/{K_DONE}/letter.pdf", ok("admin", "branch", "heir"), 404),
    *row_per_role("GET", "/api/claims/{K_HEIR}/letter.pdf", ok("admin", "branch", "heir", code=422), 404),
    *row_per_role("POST", "/api/claims", {**ok("admin", "branch", "worker", code=201), "heir": 404}, 403, CLAIM_BODY),
    *row_per_role(
        "POST", "/api/claims/{K_HEIR}/documents", ok("admin", "branch", "heir", code=201), 404, DOCUMENT_BODY
    ),
    *row_per_role(
        "POST",
        "/api/claims/{K_WORKER}/documents",
        ok("admin", "branch", "worker", code=201),
        404,
        {**DOCUMENT_BODY, "kind": "receipts"},
    ),
    *row_per_role(
        "POST", "/api/claims/{K_WORKER}/verify", {**ok("admin", "branch"), "worker": 403}, 404, {"note": "seen"}
    ),
    *row_per_role("POST", "/api/claims/{K_W35}/verify", ok("admin"), 404, {"corrections": {}}),
    *row_per_role("POST", "/api/claims/{K_HEIR}/approve", {**ok("admin", "branch", code=422), "heir": 403}, 404),
    *row_per_role("POST", "/api/claims/{K_HEIR}/pay", {**ok("admin", "branch", code=422), "heir": 403}, 404),
    *row_per_role(
        "POST", "/api/claims/{K_HEIR}/approve-and-pay", {**ok("admin", "branch", code=422), "heir": 403}, 404
    ),
    *row_per_role("POST", "/api/claims/{K_HEIR}/reject", {**ok("admin", "branch"), "heir": 403}, 404, {"reason": "no"}),
    *row_per_role("POST", "/api/claims/{K_HEIR}/stop", {**ok("admin", "branch"), "heir": 403}, 404, {"reason": "no"}),
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

# regional programmes (test_api_matrix.programme_ids makes them): {P_CITY} Kota Semarang's (33.74, by the city
# officer), {P_PROVINCE} Jawa Tengah's (33, by the province officer), {P35} Kota Surabaya's (35.78, by the
# administrator); {L_CITY} and {L35} a beneficiary list in preview of {P_CITY} and {P35}. A regional officer
# sees and manages its own region's programmes exactly (the province's officer not the regency's); a branch
# officer reads those of the regions its branch serves (33.74, 33.01: not the province's own) and manages none;
# administrators all. Out of sight is 404; seen but not the role's to change is 403.
PROGRAMME_BODY = {
    "name": "Program {n}",
    "legal_basis_type": "perbup",
    "legal_basis_number": "{n}/2026",
    "legal_basis_date": "2026-01-02",
    "budget_year": 2026,
    "budget_amount": 100000000,
}
RENEWAL_BODY = {"legal_basis_number": "{n}/2027", "legal_basis_date": "2027-01-04", "budget_amount": 120000000}
LIST_FILE = {"file": "beneficiaries.csv"}  # sent as a multipart upload (see test_api_matrix.send)
PROGRAMME_VIEWERS = ("admin", "branch", "province", "city")
SEES_CITY = ok("admin", "branch", "city")
API += [
    *row_per_role("GET", "/api/programmes", ok(*PROGRAMME_VIEWERS), 403),
    # a regional officer creates for its own region; the administrator must name one (422 on "region")
    *row_per_role("POST", "/api/programmes", {**ok("province", "city", code=201), "admin": 422}, 403, PROGRAMME_BODY),
    *row_per_role("GET", "/api/programmes/{P_CITY}", SEES_CITY, 404),
    *row_per_role("GET", "/api/programmes/{P_PROVINCE}", ok("admin", "province"), 404),
    *row_per_role("GET", "/api/programmes/{P35}", ok("admin"), 404),
    *row_per_role("GET", "/api/programmes/{P_CITY}/beneficiaries", SEES_CITY, 404),
    *row_per_role("GET", "/api/programmes/{P35}/beneficiaries", ok("admin"), 404),
    *row_per_role("GET", "/api/programmes/{P_CITY}/planner?start=2026-01", SEES_CITY, 404),
    *row_per_role("GET", "/api/programmes/{P_PROVINCE}/planner?start=2026-01", ok("admin", "province"), 404),
    *row_per_role("GET", "/api/programmes/{P35}/planner?start=2026-01", ok("admin"), 404),
    *row_per_role(
        "POST", "/api/programmes/{P_CITY}/renewal", {**ok("admin", "city", code=201), "branch": 403}, 404, RENEWAL_BODY
    ),
    *row_per_role("POST", "/api/programmes/{P35}/renewal", ok("admin", code=201), 404, RENEWAL_BODY),
    *row_per_role(
        "POST",
        "/api/programmes/{P_CITY}/beneficiary-lists",
        {**ok("admin", "city", code=201), "branch": 403},
        404,
        LIST_FILE,
    ),
    *row_per_role("POST", "/api/programmes/{P35}/beneficiary-lists", ok("admin", code=201), 404, LIST_FILE),
    *row_per_role("GET", "/api/beneficiary-lists/{L_CITY}", SEES_CITY, 404),
    *row_per_role("GET", "/api/beneficiary-lists/{L35}", ok("admin"), 404),
    *row_per_role("POST", "/api/beneficiary-lists/{L_CITY}/confirm", {**ok("admin", "city"), "branch": 403}, 404),
    *row_per_role("POST", "/api/beneficiary-lists/{L35}/confirm", ok("admin"), 404),
    *row_per_role("GET", "/api/follow-up?period=2025-03", ok(*PROGRAMME_VIEWERS), 403),
]

# The not-found checks: an id that exists nowhere is 404 for every role (and 401 without a token). Only these
# rows may name a literal id (test_api_matrix.test_only_the_not_found_rows_name_a_missing_id).
NOT_FOUND_ID = 999999
NOT_FOUND = [
    *row_per_role("GET", f"/api/employers/{NOT_FOUND_ID}", {}, 404),
    *row_per_role("GET", f"/api/workers/{NOT_FOUND_ID}", {}, 404),
    *row_per_role("GET", f"/api/claims/{NOT_FOUND_ID}", {}, 404),
    *row_per_role("GET", f"/api/programmes/{NOT_FOUND_ID}", {}, 404),
    *row_per_role("GET", f"/api/programmes/{NOT_FOUND_ID}/beneficiaries", {}, 404),
    *row_per_role("GET", f"/api/programmes/{NOT_FOUND_ID}/planner?start=2026-01", {}, 404),
    *row_per_role("GET", f"/api/beneficiary-lists/{NOT_FOUND_ID}", {}, 404),
    *row_per_role("POST", f"/api/beneficiary-lists/{NOT_FOUND_ID}/confirm", {}, 404),
]
API += NOT_FOUND

# coverage: the agency (administrators, branch officers), assessors and policy analysts see Indonesia and every region; a
# regional officer its own region and below (another region: 404); HR, workers and heirs no coverage (403).
COVERAGE_ALL = ("admin", "branch", "assessor", "analyst")
API += [
    *row_per_role("GET", "/api/coverage", ok(*COVERAGE_ALL, "province", "city"), 403),
    *row_per_role("GET", "/api/coverage?region=33&view=employer", {**ok(*COVERAGE_ALL, "province"), "city": 404}, 403),
    *row_per_role("GET", "/api/coverage?region=33.74", ok(*COVERAGE_ALL, "province", "city"), 403),
    *row_per_role("GET", "/api/coverage?region=35.78", {**ok(*COVERAGE_ALL), **ok("province", "city", code=404)}, 403),
    *row_per_role("GET", "/api/coverage/segments?region=33.01", {**ok(*COVERAGE_ALL, "province"), "city": 404}, 403),
    *row_per_role(
        "GET", "/api/coverage/segments?region=35", {**ok(*COVERAGE_ALL), **ok("province", "city", code=404)}, 403
    ),
    *row_per_role("GET", "/api/coverage/workforce?year=2023", ok(*COVERAGE_ALL, "province", "city"), 403),
]

# the bank's money (decision 0009): officers (administrator, branch officer) handle the exceptions queue and
# manual payments, the administrator reconciles; a payer's own payment is refused (rows with real bills:
# tests/contributions/test_bank_api.py). This world has no statement line or manual payment: by id, 404.
OFFICERS = ("admin", "branch")
API += [
    *row_per_role("GET", "/api/bank/exceptions", ok(*OFFICERS), 403),
    *row_per_role("GET", "/api/bank/exceptions?state=all&problem=unknown&q=8862", ok(*OFFICERS), 403),
    *row_per_role("GET", "/api/bank/manual-payments", ok(*OFFICERS), 403),
    *row_per_role("GET", "/api/bank/reconciliation/2025-03-10", ok("admin"), 403),
]
# The bank's by-id actions, labelled as not-found checks: an officer asking for a line or a manual payment that
# exists nowhere gets 404; every other role is refused by its role (403) before any record is looked up, so
# that refusal holds for real records too (the officers' rows on real lines and payments, with their effects:
# tests/contributions/test_bank_api.py, test_bank_manual.py, test_bank_pages.py).
REFUSED_BEFORE_LOOKUP = [
    *row_per_role(
        "POST", f"/api/bank/exceptions/{NOT_FOUND_ID}/resolve", ok(*OFFICERS, code=404), 403, {"action": "duplicate"}
    ),
    *row_per_role("POST", f"/api/bank/manual-payments/{NOT_FOUND_ID}/confirm", ok(*OFFICERS, code=404), 403),
    *row_per_role(
        "POST", f"/api/bank/manual-payments/{NOT_FOUND_ID}/reject", ok(*OFFICERS, code=404), 403, {"note": "no"}
    ),
]
API += REFUSED_BEFORE_LOOKUP

# the long-term projection (decision 0024): policy analysts and administrators, aggregated figures only; every
# other role 403 (a POST is a calculation: it stores nothing)
ANALYSTS = ("admin", "analyst")
API += [
    *row_per_role("GET", "/api/projection?years=2", ok(*ANALYSTS), 403),
    *row_per_role("POST", "/api/projection", ok(*ANALYSTS), 403, {"years": 2, "scenario": ""}),
    # reform scenarios (decision 0033): the same roles; saving and running, with their effects and the refusals'
    # absence of effect, are checked in tests/scenarios
    *row_per_role("GET", "/api/scenarios", ok(*ANALYSTS), 403),
]
# a scenario run's status and results (decision 0044): an analyst asking for a run that exists nowhere gets 404;
# every other role is refused by its role before any run is looked up (real runs: tests/scenarios/test_scenario_api.py)
SCENARIO_RUNS = [
    *row_per_role("GET", f"/api/scenario-runs/{NOT_FOUND_ID}/status", ok(*ANALYSTS, code=404), 403),
    *row_per_role("GET", f"/api/scenario-runs/{NOT_FOUND_ID}", ok(*ANALYSTS, code=404), 403),
    *row_per_role("POST", f"/api/scenarios/{NOT_FOUND_ID}/runs", ok(*ANALYSTS, code=404), 403, {"month": "2025-01"}),
]
REFUSED_BEFORE_LOOKUP += SCENARIO_RUNS
API += SCENARIO_RUNS

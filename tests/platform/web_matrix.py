"""The role-by-page matrix of the web application: who may open or submit which page.

Data, like :mod:`matrix` (the API's): ``Access(role, method, url, expected, body)``.
Placeholders: the ids of :meth:`world.World.ids` ({E33}, {W35}, …), ``{R:<code>}`` for a
region's primary key, ``{B:<code>}`` for a branch's, and ``{n}`` (a number unique to the row).
Anonymous visitors are sent to the log-in page (302); a role without the page gets 403;
a record outside the role's scope, fetched by id, is 404 — the same as one that does not exist.
A submitted form that the use case refuses for a reason of the data (an employer outside
the role's scope offered in a form) is shown again with the error next to the field (200).
"""

from __future__ import annotations

from typing import Any

from matrix import ALL, Access

ANONYMOUS = "anonymous"


def page(
    method: str, url: str, allowed: dict[str, int], refused: int, body: dict[str, Any] | None = None
) -> list[Access]:
    """One row per role, and the anonymous visitor (sent to log in)."""
    rows = [Access(role, method, url, allowed.get(role, refused), body) for role in ALL]
    rows.append(Access(ANONYMOUS, method, url, 302, body))
    return rows


def ok(*roles: str, code: int = 200) -> dict[str, int]:
    return dict.fromkeys(roles, code)


def also(first: dict[str, int], *more: dict[str, int]) -> dict[str, int]:
    out = dict(first)
    for m in more:
        out.update(m)
    return out


LIST_ROLES = ("admin", "branch", "province", "city", "hr", "assessor")
SEARCH_ROLES = ("admin", "branch", "province", "city", "hr")
CLAIM_ROLES = ("admin", "branch", "worker", "heir")

EMPLOYER_FORM = {
    "registration_number": "91{n:06d}",
    "name": "PT Halaman Baru",
    "sector": "trade",
    "size_class": "small",
    "risk_group": "1",
    "region": "{R:33.01}",
    "branch": "{B:KC-33}",
}
BPU_WORKER_FORM = {
    "scheme": "BPU",
    "nik": "3301014101950{n:03d}",
    "name": "Ibu Tani",
    "birth_date": "1995-01-01",
    "sex": "F",
    "occupation": "farmer",
    "region": "{R:33.01}",
    "wage": "1000000",
}
PU_WORKER_FORM = {
    "scheme": "PU",
    "employer": "{E33}",
    "nik": "3374010101900{n:03d}",
    "name": "Pak Pabrik",
    "birth_date": "1990-01-01",
    "sex": "M",
    "occupation": "employee",
    "region": "{R:33.74}",
    "wage": "3000000",
}
PU_ELSEWHERE_FORM = {**PU_WORKER_FORM, "employer": "{E35}", "nik": "3578010101900{n:03d}", "region": "{R:35.78}"}

WEB: list[Access] = [
    # every signed-in role has a home and the calculator
    *page("GET", "/", ok(*ALL), 200),
    *page("GET", "/calculator/", ok(*ALL), 200),
    *page("GET", "/calculator/pu_contributions/", ok(*ALL), 200),
    *page("GET", "/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1", ok(*ALL), 200),
    *page("GET", "/calculator/no_such_rule/", {}, 404),
    # the log-in page: a signed-in user is sent home
    *[Access(role, "GET", "/login/", 302) for role in ALL],
    Access(ANONYMOUS, "GET", "/login/", 200),
    # employers: lists for the roles that look at many, filtered to their scope
    *page("GET", "/employers/", ok(*LIST_ROLES), 403),
    *page("GET", "/employers/?q=PT", ok(*LIST_ROLES), 403),
    *page("GET", "/employers/{E33}/", ok("admin", "branch", "province", "city", "hr"), 404),
    *page("GET", "/employers/{E33B}/", ok("admin", "branch", "province"), 404),
    *page("GET", "/employers/{E35}/", ok("admin"), 404),
    *page("GET", "/employers/999999/", {}, 404),
    *page("GET", "/employers/new/", ok("admin", "branch"), 403),
    *page("POST", "/employers/new/", ok("admin", "branch", code=302), 403, EMPLOYER_FORM),
    # workers: search for the roles that look at many; a record by id only within scope
    *page("GET", "/workers/", ok(*SEARCH_ROLES), 403),
    *page("GET", "/workers/?q=3374", ok(*SEARCH_ROLES), 403),
    *page("GET", "/workers/{W33PU}/", ok("admin", "branch", "province", "city", "hr", "heir"), 404),
    *page("GET", "/workers/{W33CITY}/", ok("admin", "branch", "province", "city"), 404),
    *page("GET", "/workers/{W33BPU}/", ok("admin", "branch", "province", "worker"), 404),
    *page("GET", "/workers/{W35}/", ok("admin"), 404),
    *page("GET", "/workers/999999/", {}, 404),
    *page("GET", "/workers/new/", ok("admin", "branch", "hr"), 403),
    *page("GET", "/workers/new/?employer={E33}", ok("admin", "branch", "hr"), 403),
    *page("GET", "/workers/new/?employer={E35}", also(ok("admin"), ok("branch", "hr", code=404)), 403),
    *page("POST", "/workers/new/", also(ok("admin", "branch", code=302), ok("hr")), 403, BPU_WORKER_FORM),
    *page("POST", "/workers/new/", ok("admin", "branch", "hr", code=302), 403, PU_WORKER_FORM),
    *page("POST", "/workers/new/", also(ok("admin", code=302), ok("branch", "hr")), 403, PU_ELSEWHERE_FORM),
    # contributions: lists for the roles with payers in scope; records by id are checked with real bills
    # in tests/web/test_bill_pages.py and tests/web/test_statement_pages.py (this world has none)
    *page("GET", "/bills/", ok("admin", "branch", "province", "city", "hr", "worker"), 403),
    *page("GET", "/bills/?month=2025-13", ok("admin", "branch", "province", "city", "hr", "worker"), 403),
    *page("GET", "/bills/999999/", {}, 404),
    *page("GET", "/bills/999999/pdf", {}, 404),
    *page("GET", "/payers/999999/", {}, 404),
    *page("POST", "/payers/999999/payments/", {}, 404, {"amount": "1000", "paid_on": "2025-01-01", "reference": "X"}),
    *page("GET", "/arrears/", ok("admin", "branch", "province", "city", "hr"), 403),
    # the bank's money (decision 0009): officers handle exceptions and manual payments; the administrator
    # imports statements and reconciles; payers never (their refusals with real bills: test_bill_pages.py)
    *page("GET", "/bank/", ok("admin", "branch"), 403),
    *page("GET", "/bank/?q=8862&problem=unknown&state=all&page=2", ok("admin", "branch"), 403),
    *page(
        "POST",
        "/bank/exceptions/999999/resolve/",
        ok("admin", "branch", code=404),
        403,
        {"action": "return", "note": "x"},
    ),
    *page("GET", "/bank/statements/", ok("admin"), 403),
    *page("GET", "/bank/manual/", ok("admin", "branch"), 403),
    *page("POST", "/bank/manual/999999/confirm/", ok("admin", "branch", code=404), 403, {}),
    *page("POST", "/bank/manual/999999/reject/", ok("admin", "branch", code=404), 403, {"note": "x"}),
    *page("GET", "/bank/manual/999999/evidence", ok("admin", "branch", code=404), 403),
    *page("GET", "/bank/reconciliation/", ok("admin"), 403),
    *page("GET", "/bank/reconciliation/?date=2025-13-01", ok("admin"), 403),
    # a worker's months: whoever sees the worker; an employer's compliance: whoever sees the employer
    *page("GET", "/workers/{W33PU}/contributions/", ok("admin", "branch", "province", "city", "hr", "heir"), 404),
    *page("GET", "/workers/{W33BPU}/contributions/?months=24", ok("admin", "branch", "province", "worker"), 404),
    *page("GET", "/workers/{W35}/contributions/", ok("admin"), 404),
    *page("GET", "/employers/{E33}/compliance/", ok("admin", "branch", "province", "city", "hr"), 404),
    *page("GET", "/employers/{E33}/compliance/?period=2025-13", ok("admin", "branch", "province", "city", "hr"), 404),
    *page("GET", "/employers/{E35}/compliance/?period=2025-03", ok("admin"), 404),
    # a JHT statement: the worker itself, its heir, branch officers in scope and administrators; never HR
    *page("GET", "/workers/{W33PU}/statement/", ok("admin", "branch", "heir"), 404),
    *page("GET", "/workers/{W33BPU}/statement/?start=2025-01-01&end=2025-12-31", ok("admin", "branch", "worker"), 404),
    *page("GET", "/workers/{W35}/statement/", ok("admin"), 404),
    *page("GET", "/workers/{W33PU}/statement/pdf", ok("admin", "branch", "heir"), 404),
    *page(
        "GET",
        "/workers/{W33BPU}/statement/pdf?start=2025-12-31&end=2025-01-01",
        ok("admin", "branch", "worker", code=400),
        404,
    ),
    # wage reports: HR of its company, branch officers in territory, administrators; regional officers see the
    # employer but not its wages (403); the others do not see the employer (404). An empty form is shown again (200).
    *page("GET", "/employers/{E33}/wages/", also(ok("admin", "branch", "hr"), ok("province", "city", code=403)), 404),
    *page("GET", "/employers/{E35}/wages/", ok("admin"), 404),
    *page(
        "POST",
        "/employers/{E33}/wages/report/",
        also(ok("admin", "branch", "hr"), ok("province", "city", code=403)),
        404,
        {},
    ),
    *page(
        "POST",
        "/employers/{E33}/wages/upload/",
        also(ok("admin", "branch", "hr"), ok("province", "city", code=403)),
        404,
        {},
    ),
    *page(
        "GET",
        "/employers/{E33}/wages/template/",
        also(ok("admin", "branch", "hr"), ok("province", "city", code=403)),
        404,
    ),
    *page("GET", "/employers/{E35}/wages/template/", ok("admin"), 404),
    *page("GET", "/wage-uploads/999999/", {}, 404),
    *page("POST", "/wage-uploads/999999/store-valid/", {}, 404, {}),
    *page("GET", "/wage-uploads/999999/errors.csv", {}, 404),
    # claims: the list and filing for the roles with claims (administrators and branch officers in scope, a worker
    # its own, an heir what it filed); the others 403. A type is filed only by the roles its filers name; an empty
    # form is shown again with its errors (200). A claim by id is checked with real claims in
    # tests/web/test_claim_pages.py (this world has none): absent is 404 for everyone.
    *page("GET", "/claims/", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/?status=paid&type=jkm", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/new/", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/new/?type=jht_partial", ok("admin", "branch", "worker"), 403),
    *page("GET", "/claims/new/?type=jkm", ok("admin", "branch", "heir"), 403),
    *page("GET", "/claims/new/?type=scholarship", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/new/?type=no_such_type", ok(*CLAIM_ROLES, code=404), 403),
    *page("POST", "/claims/new/?type=jkm", ok("admin", "branch", "heir"), 403, {}),
    *page("POST", "/claims/new/?type=jht_partial", ok("admin", "branch", "worker"), 403, {"event": "partial_other"}),
    *page("GET", "/claims/999999/", {}, 404),
    *page("GET", "/claims/999999/documents/1", {}, 404),
    *page("POST", "/claims/999999/documents/", {}, 404, {}),
    *page("GET", "/claims/999999/letter.pdf", {}, 404),
    *page("GET", "/claims/999999/letter.pdf?lang=en", {}, 404),
    *page("POST", "/claims/999999/verify/", {}, 404, {"corrections": "balance=1"}),
    *page("POST", "/claims/999999/approve/", {}, 404, {}),
    *page("POST", "/claims/999999/pay/", {}, 404, {}),
    *page("POST", "/claims/999999/approve-and-pay/", {}, 404, {}),
    *page("POST", "/claims/999999/reject/", {}, 404, {"reason": "x"}),
    *page("POST", "/claims/999999/stop/", {}, 404, {"reason": "x"}),
    *page("GET", "/claims/report/", ok("admin", "branch"), 403),
    *page("GET", "/claims/report/?start=2025-01-01&end=2025-12-31", ok("admin", "branch"), 403),
    # regional programmes (rows on real programmes of two regencies: tests/programmes/test_programme_pages.py)
    *page("GET", "/programmes/", ok("admin", "branch", "province", "city"), 403),
    *page("GET", "/programmes/new/", ok("admin", "province", "city"), 403),
    *page("GET", "/programmes/999999/", {}, 404),
    *page("POST", "/programmes/999999/lists/", {}, 404, {}),
    *page("GET", "/programmes/999999/beneficiaries/", {}, 404),
    *page("GET", "/programmes/999999/planner/", {}, 404),
    *page("POST", "/programmes/999999/renew/", {}, 404, {}),
    *page("GET", "/beneficiary-lists/999999/", {}, 404),
    *page("POST", "/beneficiary-lists/999999/confirm/", {}, 404, {}),
    *page("GET", "/beneficiary-lists/999999/rows.csv", {}, 404),
    *page("GET", "/follow-up/", ok("admin", "branch", "province", "city"), 403),
    *page("GET", "/follow-up/?period=2025-13", ok("admin", "branch", "province", "city"), 403),
    # log-out (a POST, with the CSRF token of the page) ends the session of whoever asks
    *[Access(role, "POST", "/logout/", 302, {}) for role in (*ALL, ANONYMOUS)],
    # the language switch answers everyone, signed in or not
    *[Access(role, "POST", "/i18n/setlang/", 302, {"language": "en", "next": "/"}) for role in (*ALL, ANONYMOUS)],
]

# coverage pages: as the API (tests/platform/matrix.py); the workforce import is the administrator's (an
# empty form is shown again with its errors, 200)
COVERAGE_ALL = ("admin", "branch", "assessor")
WEB += [
    *page("GET", "/coverage/", ok(*COVERAGE_ALL, "province", "city"), 403),
    *page("GET", "/coverage/33/", also(ok(*COVERAGE_ALL, "province"), ok("city", code=404)), 403),
    *page("GET", "/coverage/33.74/?view=employer", ok(*COVERAGE_ALL, "province", "city"), 403),
    *page("GET", "/coverage/35.78/", also(ok(*COVERAGE_ALL), ok("province", "city", code=404)), 403),
    *page("GET", "/coverage/33.01/segments/", also(ok(*COVERAGE_ALL, "province"), ok("city", code=404)), 403),
    *page("GET", "/coverage/35/segments/", also(ok(*COVERAGE_ALL), ok("province", "city", code=404)), 403),
    *page("GET", "/coverage/export.xlsx?region=35.78", also(ok(*COVERAGE_ALL), ok("province", "city", code=404)), 403),
    *page("GET", "/coverage/workforce/", ok(*COVERAGE_ALL, "province", "city"), 403),
    *page("POST", "/coverage/workforce/", ok("admin"), 403, {}),
]

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

from functools import partial

from tests.platform.matrix import ALL, Access, row_per_role

ANONYMOUS = "anonymous"


# One row per role, and the anonymous visitor (sent to log in, unless the page is public: ``anonymous=200``).
page = partial(row_per_role, anonymous=302)


def ok(*roles: str, code: int = 200) -> dict[str, int]:
    return dict.fromkeys(roles, code)


def also(first: dict[str, int], *more: dict[str, int]) -> dict[str, int]:
    out = dict(first)
    for m in more:
        out.update(m)
    return out


RENEW_FORM = {"legal_basis_number": "{n}/2027", "legal_basis_date": "2027-01-04", "budget_amount": "120000000"}
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
    # every signed-in role has a home; the calculator is public (no log-in), as the footer promises
    *page("GET", "/", ok(*ALL), 200),
    *page("GET", "/calculator/", ok(*ALL), 200, anonymous=200),
    *page("GET", "/calculator/pu_contributions/", ok(*ALL), 200, anonymous=200),
    *page(
        "GET", "/calculator/pu_contributions/?date=2024-05-01&wage=5000000&risk_group=1", ok(*ALL), 200, anonymous=200
    ),
    *page("GET", "/calculator/no_such_rule/", {}, 404, anonymous=404),
    # the log-in page: a signed-in user is sent home
    *[Access(role, "GET", "/login/", 302) for role in ALL],
    Access(ANONYMOUS, "GET", "/login/", 200),
    # employers: lists for the roles that look at many, filtered to their scope
    *page("GET", "/employers/", ok(*LIST_ROLES), 403),
    *page("GET", "/employers/?q=PT", ok(*LIST_ROLES), 403),
    *page("GET", "/employers/{E33}/", ok("admin", "branch", "province", "city", "hr"), 404),
    *page("GET", "/employers/{E33B}/", ok("admin", "branch", "province"), 404),
    *page("GET", "/employers/{E35}/", ok("admin"), 404),
    *page("GET", "/employers/new/", ok("admin", "branch"), 403),
    *page("POST", "/employers/new/", ok("admin", "branch", code=302), 403, EMPLOYER_FORM),
    # workers: search for the roles that look at many; a record by id only within scope
    *page("GET", "/workers/", ok(*SEARCH_ROLES), 403),
    *page("GET", "/workers/?q=3374", ok(*SEARCH_ROLES), 403),
    *page("GET", "/workers/{W33PU}/", ok("admin", "branch", "province", "city", "hr", "heir"), 404),
    *page("GET", "/workers/{W33CITY}/", ok("admin", "branch", "province", "city"), 404),
    *page("GET", "/workers/{W33BPU}/", ok("admin", "branch", "province", "worker"), 404),
    *page("GET", "/workers/{W35}/", ok("admin"), 404),
    *page("GET", "/workers/new/", ok("admin", "branch", "hr"), 403),
    *page("GET", "/workers/new/?employer={E33}", ok("admin", "branch", "hr"), 403),
    *page("GET", "/workers/new/?employer={E35}", also(ok("admin"), ok("branch", "hr", code=404)), 403),
    *page("POST", "/workers/new/", also(ok("admin", "branch", code=302), ok("hr")), 403, BPU_WORKER_FORM),
    *page("POST", "/workers/new/", ok("admin", "branch", "hr", code=302), 403, PU_WORKER_FORM),
    *page("POST", "/workers/new/", also(ok("admin", code=302), ok("branch", "hr")), 403, PU_ELSEWHERE_FORM),
    # contributions: lists for the roles with payers in scope; bills and payers by id on March 2025's real bills
    # ({BILL_E33}, {PAYER_E33}: Kota Semarang's employer; {BILL_E35}, {PAYER_E35}: Surabaya's; records.bill_ids)
    *page("GET", "/bills/", ok("admin", "branch", "province", "city", "hr", "worker"), 403),
    *page("GET", "/bills/?month=2025-13", ok("admin", "branch", "province", "city", "hr", "worker"), 403),
    # (a regional officer sees the bills of its own region's programmes only, not of the employers located there)
    *page("GET", "/bills/{BILL_E33}/", ok("admin", "branch", "hr"), 404),
    *page("GET", "/bills/{BILL_E33}/pdf", ok("admin", "branch", "hr"), 404),
    *page("GET", "/bills/{BILL_E35}/", ok("admin"), 404),
    *page("GET", "/bills/{BILL_E35}/pdf", ok("admin"), 404),
    *page("GET", "/payers/{PAYER_E33}/", ok("admin", "branch", "hr"), 404),
    *page("GET", "/payers/{PAYER_E35}/", ok("admin"), 404),
    *page("GET", "/arrears/", ok("admin", "branch", "province", "city", "hr"), 403),
    # the bank's money (decision 0009): officers handle exceptions and manual payments; the administrator
    # imports statements and reconciles; payers never (their refusals with real bills: test_bill_pages.py)
    *page("GET", "/bank/", ok("admin", "branch"), 403),
    *page("GET", "/bank/?q=8862&problem=unknown&state=all&page=2", ok("admin", "branch"), 403),
    *page("GET", "/bank/statements/", ok("admin"), 403),
    *page("GET", "/bank/manual/", ok("admin", "branch"), 403),
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
    # claims: the list and filing for the roles with claims (administrators and branch officers in scope, a worker
    # its own, an heir what it filed); the others 403. A type is filed only by the roles its filers name; an empty
    # form is shown again with its errors (200). Claims by id (records.claim_ids): {K_WORKER} the worker's own
    # (W33BPU, KC-33), {K_HEIR} the heir's JKM claim (W33PU, KC-33), {K_W35} the administrator's for W35 (KC-35),
    # {K_DONE} the heir's, rejected; {D_WORKER}, {D_W35} a document of K_WORKER, K_W35. An action done
    # redirects to the claim (302); seen but not the role's to process is 403; out of sight 404.
    *page("GET", "/claims/", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/?status=paid&type=jkm", ok(*CLAIM_ROLES), 403),
    *page("GET", "/claims/new/", ok(*CLAIM_ROLES), 403),
    # a worker or an heir is offered a type only for a programme of its (deceased) worker's memberships: in this
    # world W33BPU and W33PU are in JKK only, so JHT, JKM and the scholarship are the officers' alone here
    # (tests/web/test_claim_pages.py shows them offered once the memberships are there)
    *page("GET", "/claims/new/?type=jht_partial", ok("admin", "branch"), 403),
    *page("GET", "/claims/new/?type=jkk_medical", ok("admin", "branch", "worker"), 403),
    *page("GET", "/claims/new/?type=jkm", ok("admin", "branch"), 403),
    *page("GET", "/claims/new/?type=scholarship", ok("admin", "branch"), 403),
    *page("GET", "/claims/new/?type=no_such_type", ok(*CLAIM_ROLES, code=404), 403),
    *page("POST", "/claims/new/?type=jkm", ok("admin", "branch"), 403, {}),
    *page("POST", "/claims/new/?type=jht_partial", ok("admin", "branch"), 403, {"event": "partial_other"}),
    *page("GET", "/claims/{K_WORKER}/", ok("admin", "branch", "worker"), 404),
    *page("GET", "/claims/{K_HEIR}/", ok("admin", "branch", "heir"), 404),
    *page("GET", "/claims/{K_W35}/", ok("admin"), 404),
    *page("GET", "/claims/{K_WORKER}/documents/{D_WORKER}", ok("admin", "branch", "worker"), 404),
    *page("GET", "/claims/{K_W35}/documents/{D_W35}", ok("admin"), 404),
    *page("GET", "/claims/{K_WORKER}/documents/{D_W35}", {}, 404),  # a document of another claim
    *page("GET", "/claims/{K_DONE}/letter.pdf", ok("admin", "branch", "heir"), 404),
    *page("GET", "/claims/{K_DONE}/letter.pdf?lang=en", ok("admin", "branch", "heir"), 404),
    # an empty form or an action the claim's status does not allow is sent back to the claim with the reason (302)
    *page("POST", "/claims/{K_W35}/documents/", ok("admin", code=302), 404, {}),
    *page("POST", "/claims/{K_WORKER}/verify/", also(ok("admin", "branch", code=302), ok("worker", code=403)), 404, {}),
    *page("POST", "/claims/{K_W35}/verify/", ok("admin", code=302), 404, {}),
    *page("POST", "/claims/{K_W35}/approve/", ok("admin", code=302), 404, {}),
    *page("POST", "/claims/{K_W35}/pay/", ok("admin", code=302), 404, {}),
    *page("POST", "/claims/{K_W35}/approve-and-pay/", ok("admin", code=302), 404, {}),
    *page(
        "POST",
        "/claims/{K_HEIR}/reject/",
        also(ok("admin", "branch", code=302), ok("heir", code=403)),
        404,
        {"reason": "x"},
    ),
    *page("POST", "/claims/{K_W35}/stop/", ok("admin", code=302), 404, {"reason": "x"}),
    *page("GET", "/claims/report/", ok("admin", "branch"), 403),
    *page("GET", "/claims/report/?start=2025-01-01&end=2025-12-31", ok("admin", "branch"), 403),
    # regional programmes, as the API (records.programme_ids: {P_CITY}, {P_PROVINCE}, {P35}, lists {L_CITY}, {L35});
    # an empty form is shown again with its errors (200); a list confirmed redirects (302)
    *page("GET", "/programmes/", ok("admin", "branch", "province", "city"), 403),
    *page("GET", "/programmes/new/", ok("admin", "province", "city"), 403),
    *page("GET", "/programmes/{P_CITY}/", ok("admin", "branch", "city"), 404),
    *page("GET", "/programmes/{P_PROVINCE}/", ok("admin", "province"), 404),
    *page("GET", "/programmes/{P35}/", ok("admin"), 404),
    *page("GET", "/programmes/{P_CITY}/beneficiaries/", ok("admin", "branch", "city"), 404),
    *page("GET", "/programmes/{P35}/beneficiaries/", ok("admin"), 404),
    *page("GET", "/programmes/{P_CITY}/planner/", ok("admin", "branch", "city"), 404),
    *page("GET", "/programmes/{P35}/planner/", ok("admin"), 404),
    *page("POST", "/programmes/{P_CITY}/lists/", also(ok("admin", "city"), ok("branch", code=403)), 404, {}),
    *page("POST", "/programmes/{P35}/lists/", ok("admin"), 404, {}),
    *page(
        "POST",
        "/programmes/{P_CITY}/renew/",
        also(ok("admin", "city", code=302), ok("branch", code=403)),
        404,
        RENEW_FORM,
    ),
    *page("POST", "/programmes/{P35}/renew/", ok("admin", code=302), 404, RENEW_FORM),
    *page("POST", "/programmes/{P35}/renew/", ok("admin", code=302), 404, {}),  # an empty form: sent back
    *page("GET", "/beneficiary-lists/{L_CITY}/", ok("admin", "branch", "city"), 404),
    *page("GET", "/beneficiary-lists/{L35}/", ok("admin"), 404),
    *page("GET", "/beneficiary-lists/{L_CITY}/rows.csv", ok("admin", "branch", "city"), 404),
    *page("GET", "/beneficiary-lists/{L35}/rows.csv", ok("admin"), 404),
    *page(
        "POST",
        "/beneficiary-lists/{L_CITY}/confirm/",
        also(ok("admin", "city", code=302), ok("branch", code=403)),
        404,
        {},
    ),
    *page("POST", "/beneficiary-lists/{L35}/confirm/", ok("admin", code=302), 404, {}),
    *page("GET", "/follow-up/", ok("admin", "branch", "province", "city"), 403),
    *page("GET", "/follow-up/?period=2025-13", ok("admin", "branch", "province", "city"), 403),
    # log-out (a POST, with the CSRF token of the page) ends the session of whoever asks
    *[Access(role, "POST", "/logout/", 302, {}) for role in (*ALL, ANONYMOUS)],
    # the language switch answers everyone, signed in or not
    *[Access(role, "POST", "/i18n/setlang/", 302, {"language": "en", "next": "/"}) for role in (*ALL, ANONYMOUS)],
]

# coverage pages: as the API (tests/platform/matrix.py); the workforce import is the administrator's (an
# empty form is shown again with its errors, 200)
COVERAGE_ALL = ("admin", "branch", "assessor", "analyst")
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

# the long-term projection (decision 0024): policy analysts and administrators; every other role 403; running
# it (a POST) stores nothing
WEB += [
    *page("GET", "/projection/", ok("admin", "analyst"), 403),
    *page("POST", "/projection/", ok("admin", "analyst"), 403, {"years": "2"}),
    *page("GET", "/scenarios/", ok("admin", "analyst"), 403),
]

# The not-found checks: an id that exists nowhere is 404 for every role (the anonymous visitor is sent to log
# in). Only these rows may name a literal id (test_web_pages_matrix.test_only_the_not_found_rows_name_a_missing_id);
# the wage uploads have no other rows here: their pages by id are checked per role on real uploads in
# tests/web/test_wage_pages.py.
NOT_FOUND_ID = 999999
WEB_NOT_FOUND = [
    *page("GET", "/employers/999999/", {}, 404),
    *page("GET", "/workers/999999/", {}, 404),
    *page("GET", "/bills/999999/", {}, 404),
    *page("GET", "/bills/999999/pdf", {}, 404),
    *page("GET", "/payers/999999/", {}, 404),
    *page("POST", "/payers/999999/payments/", {}, 404, {"amount": "1000", "paid_on": "2025-01-01", "reference": "X"}),
    *page("GET", "/wage-uploads/999999/", {}, 404),
    *page("POST", "/wage-uploads/999999/store-valid/", {}, 404, {}),
    *page("GET", "/wage-uploads/999999/errors.csv", {}, 404),
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
    *page("GET", "/programmes/999999/", {}, 404),
    *page("POST", "/programmes/999999/lists/", {}, 404, {}),
    *page("GET", "/programmes/999999/beneficiaries/", {}, 404),
    *page("GET", "/programmes/999999/planner/", {}, 404),
    *page("POST", "/programmes/999999/renew/", {}, 404, {}),
    *page("GET", "/beneficiary-lists/999999/", {}, 404),
    *page("POST", "/beneficiary-lists/999999/confirm/", {}, 404, {}),
    *page("GET", "/beneficiary-lists/999999/rows.csv", {}, 404),
    # a long step's progress is its starter's alone: a token nobody started is 404 for everyone, the visitor too
    # (the starter's 200 and everyone else's 404 on a real token: tests/web/test_progress_pages.py)
    *page("GET", "/progress/999999/", {}, 404, anonymous=404),
]
WEB += WEB_NOT_FOUND

# The bank's by-id pages, labelled as not-found checks: an officer asking for a line or a manual payment that
# exists nowhere gets 404; every other role is refused by its role (403) before any record is looked up, so
# that refusal holds for real records too (the officers' rows on real lines and payments, with their effects:
# tests/contributions/test_bank_pages.py, test_bank_manual.py).
WEB_REFUSED_BEFORE_LOOKUP = [
    *page(
        "POST",
        f"/bank/exceptions/{NOT_FOUND_ID}/resolve/",
        ok("admin", "branch", code=404),
        403,
        {"action": "return", "note": "x"},
    ),
    *page("POST", f"/bank/manual/{NOT_FOUND_ID}/confirm/", ok("admin", "branch", code=404), 403, {}),
    # a reform scenario and a run's brief (decision 0033): the analysts' pages on real scenarios, with the
    # refusals' absence of effect, are in tests/scenarios/test_scenario_pages.py
    *page("GET", f"/scenarios/{NOT_FOUND_ID}/", ok("admin", "analyst", code=404), 403),
    *page("GET", f"/scenario-runs/{NOT_FOUND_ID}/brief.pdf", ok("admin", "analyst", code=404), 403),
    *page("POST", f"/bank/manual/{NOT_FOUND_ID}/reject/", ok("admin", "branch", code=404), 403, {"note": "x"}),
    *page("GET", f"/bank/manual/{NOT_FOUND_ID}/evidence", ok("admin", "branch", code=404), 403),
]
WEB += WEB_REFUSED_BEFORE_LOOKUP

# The forms that change stored rows when a signed-in role's submission is accepted (a redirect): the test checks
# the change. Every other form, and every refusal, must leave the stored rows as they were.
CHANGES = {
    ("/employers/new/", None),
    ("/workers/new/", None),
    ("/claims/{K_WORKER}/verify/", None),
    ("/claims/{K_W35}/verify/", None),
    ("/claims/{K_HEIR}/reject/", None),
    ("/programmes/{P_CITY}/renew/", "legal_basis_number"),
    ("/programmes/{P35}/renew/", "legal_basis_number"),
    ("/beneficiary-lists/{L_CITY}/confirm/", None),
    ("/beneficiary-lists/{L35}/confirm/", None),
}


def changes(row: Access) -> bool:
    """The row submits a form that, accepted, must change stored rows (a field named: only when sent)."""
    return any(url == row.url and (field is None or field in (row.body or {})) for url, field in CHANGES)

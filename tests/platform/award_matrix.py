"""The award's rows of the access matrix, on real objects: an edition of the platform world (rounds of Jawa
Tengah (33), Jawa Timur (35) and the national round; candidates Kota Semarang, Kab. Cilacap, Kota Surabaya),
Kota Semarang's regulation, the generic assessor on Jawa Tengah's panel, and three award administrators:
the central committee and the committees of 33 and 35. Placeholders: {R33} {R35} {RN} {C_SMG} {C_CLP}
{C_SBY} {S_SMG}. Every other role of the matrix is listed too (``ALL``)."""

from __future__ import annotations

from tests.platform.matrix import ALL, Access, ok

COMMITTEES = ("central", "committee33", "committee35")
ROLES = (*ALL, *COMMITTEES)
SCORE = {"item": "interview", "value": 50}


def rows(method: str, url: str, allowed: dict[str, int], refused: int, body: dict | None = None) -> list[Access]:  # type: ignore[type-arg]
    out = [Access(role, method, url, allowed.get(role, refused), body) for role in ROLES]
    out.append(Access("anonymous", method, url, 401, body))
    return out


# the public results: everybody, the anonymous visitor included
PUBLIC = [Access(role, "GET", "/award/results/", 200) for role in (*ROLES, "anonymous")]
# the not-found check: rankings that do not exist (nothing is ranked in this world)
NOT_FOUND_ID = 999999
NOT_FOUND_PAGES = [
    *rows("POST", f"/award/rankings/{NOT_FOUND_ID}/publish/", {}, 404),
    *rows("GET", f"/award/rankings/{NOT_FOUND_ID}/report.pdf", {}, 404),
]
NOT_FOUND_API = [
    *rows("GET", f"/api/award/rankings/{NOT_FOUND_ID}", {}, 404),
    *rows("POST", f"/api/award/rankings/{NOT_FOUND_ID}/publish", {}, 404),
]

JATENG = ("admin", "central", "committee33", "assessor")  # the round of 33 and its candidates' files
MANAGE33 = ("admin", "central", "committee33")  # the committees over the round of 33
SEAT = {"username": "t_assessor2"}  # an award assessor on no panel yet
UNSEAT = {"username": "t_assessor"}  # the world's assessor, seated on the panel of 33, no score given
NOMINATE33 = {"registration_number": "33000002"}  # PT Cilacap, a company of Jawa Tengah
NOMINATE35 = {"registration_number": "35000001"}  # PT Surabaya, a company of Jawa Timur

# the panel and the nominations (decision 0021): each of these rows changes the panel or the candidates when
# allowed, and nothing when refused (test_award_matrix checks both)
PANEL_API: list[Access] = [
    *rows("POST", "/api/award/rounds/{R33}/panel", {**ok(*MANAGE33), "assessor": 403}, 404, SEAT),
    *rows("POST", "/api/award/rounds/{R33}/panel/remove", {**ok(*MANAGE33), "assessor": 403}, 404, UNSEAT),
    *rows("POST", "/api/award/rounds/{R33}/nominations", {**ok(*MANAGE33, code=201), "assessor": 403}, 404, NOMINATE33),
    *rows(
        "POST", "/api/award/rounds/{R35}/nominations", ok("admin", "central", "committee35", code=201), 404, NOMINATE35
    ),
    # a company's HR enters its own company (PT Semarang, in the open round of 33); nobody else may
    *rows("POST", "/api/award/nominations/self", ok("hr", code=201), 403),
]
PANEL_PAGES: list[Access] = [
    *rows("POST", "/award/rounds/{R33}/panel/seat/", {**ok(*MANAGE33, code=302), "assessor": 403}, 404, SEAT),
    *rows("POST", "/award/rounds/{R33}/panel/unseat/", {**ok(*MANAGE33, code=302), "assessor": 403}, 404, UNSEAT),
    *rows("POST", "/award/rounds/{R33}/nominate/", {**ok(*MANAGE33, code=302), "assessor": 403}, 404, NOMINATE33),
    *rows("POST", "/award/self-nominate/", ok("hr", code=302), 403),
]
API: list[Access] = [
    *rows("GET", "/api/award/results", ok(*ROLES), 403),
    *rows("GET", "/api/award/rounds", ok(*ROLES), 403),
    *rows("GET", "/api/award/rounds/{R33}", ok(*JATENG), 404),
    *rows("GET", "/api/award/rounds/{R35}", ok("admin", "central", "committee35"), 404),
    *rows("GET", "/api/award/rounds/{RN}", ok("admin", "central"), 404),
    *rows("GET", "/api/award/rounds/{R33}/candidates", ok(*JATENG), 404),
    # the panel: its round's committee; the assessor on it sees the round but not the panel's list (403)
    *rows("GET", "/api/award/rounds/{R33}/panel", {**ok(*MANAGE33), "assessor": 403}, 404),
    *PANEL_API,
    # a candidate's file: its own officer (Kota Semarang: "city"), its round's committee and panel
    *rows("GET", "/api/award/candidates/{C_SMG}", ok(*JATENG, "city"), 404),
    *rows("GET", "/api/award/candidates/{C_SMG}/submissions", ok(*JATENG, "city"), 404),
    *rows("GET", "/api/award/candidates/{C_CLP}/submissions", ok(*JATENG), 404),
    # scores: nobody sees another's while the panel is open (the list is the caller's own: empty here)
    *rows("GET", "/api/award/candidates/{C_SMG}/scores", ok(*JATENG, "city"), 404),
    # scoring: assessors only (403 for every other role); on a panel it does not sit on: 404
    *rows("POST", "/api/award/candidates/{C_SMG}/scores", ok("assessor"), 403, SCORE),
    *rows("POST", "/api/award/candidates/{C_SBY}/scores", {"assessor": 404}, 403, SCORE),
    # closing a panel: the round's committee (the central one over every round); an assessor sees it, 403
    *rows("POST", "/api/award/rounds/{R33}/close", {**ok("admin", "central", "committee33"), "assessor": 403}, 404),
    *rows("POST", "/api/award/rounds/{R35}/close", ok("admin", "central", "committee35"), 404),
    # ranking an open round: the committee is told to close the panel first (422)
    *rows(
        "POST",
        "/api/award/rounds/{R33}/rankings",
        {**ok("admin", "central", "committee33", code=422), "assessor": 403},
        404,
    ),
    # nothing published yet: no scorecard for anybody, not even the candidate
    *rows("GET", "/api/award/candidates/{C_SMG}/scorecard", {}, 404),
    *NOT_FOUND_API,
]

PAGES: list[Access] = [
    *rows("GET", "/award/rounds/{R33}/", ok(*JATENG), 404),
    *rows("GET", "/award/rounds/{R35}/", ok("admin", "central", "committee35"), 404),
    *rows("GET", "/award/candidates/{C_SMG}/", ok(*JATENG, "city"), 404),
    *rows("GET", "/award/candidates/{C_CLP}/", ok(*JATENG), 404),
    *rows("GET", "/award/submissions/{S_SMG}/file", ok(*JATENG, "city"), 404),
    *rows("GET", "/award/candidates/{C_SMG}/scorecard.pdf", {}, 404),
    *rows(
        "POST", "/award/rounds/{R33}/close/", {**ok("admin", "central", "committee33", code=302), "assessor": 403}, 404
    ),
    # every signed-in role has the award's home (its own rounds and candidacies, maybe none)
    *rows("GET", "/award/", ok(*ROLES), 404),
    # ranking from the pages: the round's committee is sent back to the round (the panel is still open);
    # the assessor sees the round but may not rank it; the rest do not see it
    *rows(
        "POST",
        "/award/rounds/{R33}/compute/",
        {**ok("admin", "central", "committee33", code=302), "assessor": 403},
        404,
    ),
    # bringing the provincial winners to the national round: the central committee (none published: none added)
    *rows("POST", "/award/editions/{E}/promote/", ok("admin", "central", code=302), 404),
    *PANEL_PAGES,
    *PUBLIC,
    *NOT_FOUND_PAGES,
]

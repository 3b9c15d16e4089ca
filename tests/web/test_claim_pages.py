"""Claim pages with real claims: the list, filing a claim through the form (files uploaded), a claim with its
assessment and explanation, its documents, the officers' actions, the decision letter and the claims report;
who sees and does what, and what each page refuses.

The world is the platform's (tests/platform/world.py) made billable as the contributions tests make it. The
worker (W33BPU, served by branch KC-33) has 11 years of JHT membership and a JHT balance; the heir is heir of
W33PU (E33, branch KC-33); W35 is served by KC-35. Amounts expected are what the rules compute for the same
inputs. Text is checked in English (the language cookie) where a message is asserted.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from paritrana.claims.models import BenefitPayment, Claim, ClaimDocument, ClaimStep, Instalment, Status
from paritrana.claims.services import claims as svc
from paritrana.claims.types import TYPES
from paritrana.contributions.documents import rupiah
from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services import ledger
from paritrana.registry.models import Membership
from paritrana.rules import compute_one
from tests.claims.claimkit import (
    JKM_CASE,
    PDF,
    PNG,
    documents_for,
    enrol_for_contributions,
    file_case_scholarship,
    file_jkm,
    legal_case,
)
from tests.platform.world import World, build_world

ROLES = ("admin", "branch", "province", "city", "hr", "worker", "heir", "assessor")
NO_CLAIMS = ("province", "city", "hr", "assessor")
BALANCE_PARTS = (12_000_000, 8_345_678)


@pytest.fixture
def world(db: None) -> World:
    """The billable world; W33BPU a JHT member for 11 years with two contributions credited."""
    w = enrol_for_contributions(build_world())
    today = timezone.localdate()
    saver = w.workers["W33BPU"]
    Membership.objects.filter(worker=saver, programme="JHT").update(start=today.replace(year=today.year - 11))
    for i, amount in enumerate(BALANCE_PARTS):
        JhtEntry.objects.create(
            worker=saver, kind="contribution", value_date=today - dt.timedelta(days=400 - 100 * i), amount=amount
        )
    return w


def client(world: World, role: str | None, english: bool = False) -> Client:
    c = Client()
    if role is not None:
        c.force_login(world.users[role])
    if english:
        c.cookies["django_language"] = "en"
    return c


def page_text(response: Any) -> str:
    return html_text.unescape(response.content.decode())


def expected_partial(world: World) -> int:
    """The partial (housing) amount as the rule computes it for W33BPU today."""
    today = timezone.localdate()
    saver = world.workers["W33BPU"]
    membership = Membership.objects.get(worker=saver, programme="JHT")
    out = compute_one(
        "jht_withdrawal",
        today,
        {
            "event": "partial_housing",
            "balance": ledger.balance(saver.pk, today),
            "birth_date": saver.birth_date,
            "event_date": today,
            "membership_start": membership.start,
            "partial_taken_before": False,
        },
    ).outputs
    assert out["eligible"], out["reason"]
    return int(out["amount"])


def jht_form(**extra: Any) -> dict[str, Any]:
    """The JHT partial form of the page, with a file for each document of the checklist."""
    data: dict[str, Any] = {
        "event": "partial_housing",
        "event_date": timezone.localdate().isoformat(),
        "bank_account": "BRI 0011223344",
    }
    for i, doc in enumerate(TYPES["jht_partial"].documents):
        data[f"doc_{doc.code}"] = SimpleUploadedFile(
            f"{doc.code}.{'png' if i == 0 else 'pdf'}", PNG if i == 0 else PDF, "application/octet-stream"
        )
    data.update(extra)
    return data


def file_jht(world: World) -> Claim:
    return svc.submit(
        world.users["worker"],
        "jht_partial",
        {"event": "partial_housing", "event_date": timezone.localdate().isoformat()},
        documents_for("jht_partial"),
        bank_account="BRI 0011223344",
    )


def file_for_w35(world: World) -> Claim:
    """A JKK transport claim the administrator files for W35 (branch KC-35)."""
    return svc.submit(
        world.users["admin"],
        "jkk_medical",
        {"event_date": "2025-02-03", "kind": "land", "claimed": 400_000},
        documents_for("jkk_medical"),
        worker_id=world.workers["W35"].pk,
        bank_account="BCA 987",
    )


def shown_claims(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<tr id="claim-(\d+)"', html)}


def messages_of(html: str) -> list[str]:
    block = re.search(r'<ul class="messages">(.*?)</ul>', html, re.S)
    return [m.strip() for m in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)] if block else []


# --- the list ----------------------------------------------------------------------------------


def test_the_claims_list_shows_each_role_its_own_claims(world: World) -> None:
    jht, jkm, w35 = file_jht(world), file_jkm(world), file_for_w35(world)
    # a claim about the heir's participant that the branch filed: the heir sees only what it filed itself
    by_branch = svc.submit(
        world.users["branch"],
        "jkm",
        {"event_date": JKM_CASE["date"].isoformat()},
        documents_for("jkm"),
        worker_id=world.workers["W33PU"].pk,
        bank_account="BRI 555",
    )
    sees = {
        "admin": {jht.pk, jkm.pk, w35.pk, by_branch.pk},
        "branch": {jht.pk, jkm.pk, by_branch.pk},  # KC-33: W33BPU by its region, W33PU by its employer
        "worker": {jht.pk},
        "heir": {jkm.pk},
    }
    for role in ROLES:
        response = client(world, role).get("/claims/")
        if role in NO_CLAIMS:
            assert response.status_code == 403, role
            continue
        assert response.status_code == 200, role
        assert shown_claims(response.content.decode()) == sees[role], role
    assert client(world, None).get("/claims/")["Location"].startswith("/login/")
    # a row: number, type, participant, status, amount, submitted date
    text = page_text(client(world, "branch").get("/claims/"))
    row = re.search(rf'<tr id="claim-{jht.pk}".*?</tr>', text, re.S)
    assert row is not None
    assert jht.number in row.group(0) and str(TYPES["jht_partial"].title) in row.group(0)
    assert "Worker W33BPU" in row.group(0) and rupiah(expected_partial(world), "id") in row.group(0)


def test_the_list_filters_by_status_and_type(world: World) -> None:
    jht, jkm = file_jht(world), file_jkm(world)
    svc.reject(world.users["branch"], jkm.pk, "the death certificate is not legible")
    c = client(world, "branch")
    assert shown_claims(c.get("/claims/?status=rejected").content.decode()) == {jkm.pk}
    assert shown_claims(c.get("/claims/?status=submitted").content.decode()) == {jht.pk}
    assert shown_claims(c.get("/claims/?type=jht_partial").content.decode()) == {jht.pk}
    assert shown_claims(c.get("/claims/?type=jkm&status=submitted").content.decode()) == set()
    # a value not offered shows the error and no claim
    response = c.get("/claims/?status=lost")
    assert response.status_code == 200 and 'id="error-status"' in response.content.decode()
    assert shown_claims(response.content.decode()) == set()


def test_the_list_is_searched_by_nik_name_and_claim_number(world: World) -> None:
    jht, jkm = file_jht(world), file_jkm(world)
    w35 = file_for_w35(world)
    c = client(world, "branch")
    saver = world.workers["W33BPU"]
    assert shown_claims(c.get(f"/claims/?q={saver.nik}").content.decode()) == {jht.pk}
    assert shown_claims(c.get(f"/claims/?q={saver.nik[:8]}").content.decode()) >= {jht.pk}
    assert shown_claims(c.get(f"/claims/?q={jkm.number}").content.decode()) == {jkm.pk}
    assert shown_claims(c.get(f"/claims/?q={jkm.number.lower()}").content.decode()) == {jkm.pk}
    assert shown_claims(c.get(f"/claims/?q=  {saver.name.upper()} ").content.decode()) == {jht.pk}
    assert shown_claims(c.get("/claims/?q=nobody+of+that+name").content.decode()) == set()
    # the search stays within the user's scope: another branch's claim is not found by its number or NIK
    assert shown_claims(c.get(f"/claims/?q={w35.number}").content.decode()) == set()
    assert shown_claims(c.get(f"/claims/?q={world.workers['W35'].nik}").content.decode()) == set()
    # combined with the filters, and kept in the pager's links
    assert shown_claims(c.get(f"/claims/?q={saver.nik}&status=rejected").content.decode()) == set()
    html = c.get("/claims/").content.decode()
    assert 'name="q"' in html


def test_a_worker_is_offered_only_the_claims_of_its_memberships(world: World) -> None:
    """W33BPU, a self-paying non-wage earner, is a member of JKK, JKM and JHT: no JP or JKP claim is offered
    (nor reachable by its address); without its JHT membership no JHT claim either. An officer is offered all."""
    c = client(world, "worker")
    offered = set(re.findall(r'id="type-(\w+)"', c.get("/claims/new/").content.decode()))
    assert offered == {"jht_full", "jht_partial", "jkk_medical", "jkk_temporary", "jkk_disability", "scholarship"}
    for code in ("jp_old_age", "jkp"):
        assert c.get(f"/claims/new/?type={code}").status_code == 403, code
        assert c.post(f"/claims/new/?type={code}", {}).status_code == 403, code
    Membership.objects.filter(worker=world.workers["W33BPU"], programme="JHT").delete()
    offered = set(re.findall(r'id="type-(\w+)"', c.get("/claims/new/").content.decode()))
    assert offered == {"jkk_medical", "jkk_temporary", "jkk_disability", "scholarship"}
    assert c.get("/claims/new/?type=jht_partial").status_code == 403
    officer = set(re.findall(r'id="type-(\w+)"', client(world, "branch").get("/claims/new/").content.decode()))
    assert officer == set(TYPES)


def test_the_new_claim_link_is_shown_to_those_who_file(world: World) -> None:
    for role in ("admin", "branch", "worker", "heir"):
        assert 'id="new-claim"' in client(world, role).get("/claims/").content.decode(), role
    for role in ("admin", "branch", "worker", "heir"):
        assert 'id="nav-claims"' in client(world, role).get("/").content.decode(), role
    for role in NO_CLAIMS:
        assert 'id="nav-claims"' not in client(world, role).get("/").content.decode(), role
    assert 'id="nav-claims-report"' in client(world, "branch").get("/").content.decode()
    assert 'id="nav-claims-report"' not in client(world, "worker").get("/").content.decode()
    # the home page: the claims and filing one, for the roles that have them
    for role in ROLES:
        home = client(world, role).get("/").content.decode()
        has = set(re.findall(r'id="home-(claims|new-claim)"', home))
        assert has == (set() if role in NO_CLAIMS else {"claims", "new-claim"}), role


# --- filing ------------------------------------------------------------------------------------


def offered_types(html: str) -> set[str]:
    return set(re.findall(r'id="type-(\w+)"', html))


def test_each_role_is_offered_the_types_it_may_file(world: World) -> None:
    worker_types = {c for c, t in TYPES.items() if "worker" in t.filers}
    heir_types = {c for c, t in TYPES.items() if "heir" in t.filers}
    assert "jht_partial" in worker_types and "jkm" not in worker_types
    assert "jkm" in heir_types and "jht_partial" not in heir_types
    # the worker (W33BPU: JKK, JKM, JHT) is offered no JP or JKP claim; the heir's W33PU is in every programme
    worker_types = {c for c in worker_types if TYPES[c].programme in ("JKK", "JKM", "JHT")}
    assert offered_types(client(world, "worker").get("/claims/new/").content.decode()) == worker_types
    assert offered_types(client(world, "heir").get("/claims/new/").content.decode()) == heir_types
    for role in ("admin", "branch"):
        assert offered_types(client(world, role).get("/claims/new/").content.decode()) == set(TYPES), role
    for role in NO_CLAIMS:
        assert client(world, role).get("/claims/new/").status_code == 403, role
    # a type the role does not file: 403; a type that does not exist: 404
    assert client(world, "worker").get("/claims/new/?type=jkm").status_code == 403
    assert client(world, "heir").get("/claims/new/?type=jht_partial").status_code == 403
    assert client(world, "worker").get("/claims/new/?type=no_such_type").status_code == 404
    assert client(world, None).get("/claims/new/")["Location"].startswith("/login/")


def test_the_form_has_the_types_fields_documents_and_only_its_events(world: World) -> None:
    html = client(world, "worker").get("/claims/new/?type=jht_partial").content.decode()
    assert re.findall(r'<option value="(\w+)"', html.split('name="event"')[1].split("</select>")[0]) == [
        "partial_housing",
        "partial_other",
    ]
    assert 'name="event_date"' in html and 'name="bank_account"' in html
    for doc in TYPES["jht_partial"].documents:
        assert f'name="doc_{doc.code}"' in html
    assert 'name="worker"' not in html  # a worker files for itself
    # an officer chooses the participant; a scholarship has the children table
    officer = client(world, "branch").get("/claims/new/?type=scholarship").content.decode()
    assert 'name="worker"' in officer and 'name="child_4_name"' in officer and 'name="child_5_name"' not in officer
    assert world.workers["W33PU"].nik in officer and world.workers["W35"].nik not in officer  # the datalist: its scope


def test_a_worker_files_a_partial_jht_claim_with_its_documents(world: World) -> None:
    c = client(world, "worker", english=True)
    response = c.post("/claims/new/?type=jht_partial", jht_form())
    assert response.status_code == 302, page_text(response)[:3000]
    claim = Claim.objects.get()
    assert response["Location"] == f"/claims/{claim.pk}/"
    assert claim.worker == world.workers["W33BPU"] and claim.filed_by == world.users["worker"]
    assert claim.status == Status.SUBMITTED and claim.eligible
    assert claim.amount == expected_partial(world)
    assert claim.branch is not None and claim.branch.code == "KC-33"
    docs = {d.kind: bytes(d.content) for d in claim.documents.all()}
    assert docs == {d.code: (PNG if i == 0 else PDF) for i, d in enumerate(TYPES["jht_partial"].documents)}
    page = c.get(response["Location"])
    assert f"Claim {claim.number} is submitted." in messages_of(page.content.decode())


def test_a_bad_upload_is_named_next_to_its_field_and_nothing_is_stored(world: World) -> None:
    c = client(world, "worker", english=True)
    bad = SimpleUploadedFile("bpjs.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = c.post("/claims/new/?type=jht_partial", jht_form(doc_bpjs_card=bad))
    assert response.status_code == 200
    html = page_text(response)
    error = re.search(r'id="error-doc_bpjs_card"><li>(.*?)</li>', html)
    assert error is not None and "bpjs.pdf is not a PDF, JPEG or PNG file" in error.group(1)
    assert Claim.objects.count() == 0 and ClaimDocument.objects.count() == 0
    # a required document left out: named next to its own field (a fresh form: no file kept from before)
    c.get("/claims/new/?type=jht_partial")
    form = jht_form()
    del form["doc_purpose"]
    response = c.post("/claims/new/?type=jht_partial", form)
    assert response.status_code == 200 and 'id="error-doc_purpose"' in response.content.decode()
    assert 'id="error-doc_id_card"' not in response.content.decode()
    # a fact the rules refuse (an event after the claim date), and no bank account
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = c.post("/claims/new/?type=jht_partial", jht_form(event_date=tomorrow))
    assert response.status_code == 200
    assert re.search(r'id="error-event_date"><li>the event cannot be after the claim date', page_text(response))
    response = c.post("/claims/new/?type=jht_partial", jht_form(bank_account=""))
    assert response.status_code == 200 and 'id="error-bank_account"' in response.content.decode()
    # an event of the full payment is not offered to a partial claim
    response = c.post("/claims/new/?type=jht_partial", jht_form(event="resignation"))
    assert response.status_code == 200 and 'id="error-event"' in response.content.decode()
    assert Claim.objects.count() == 0 and ClaimDocument.objects.count() == 0


def test_the_files_sent_are_kept_across_a_form_error(world: World, settings: Any, tmp_path: Any) -> None:
    """Stored once, shown as attached, used by the next submission without being chosen again; a file the use
    case refuses is not kept; another session does not get them; the claim submitted releases them."""
    settings.HOME = tmp_path  # the local data folder of this test alone
    c = client(world, "worker", english=True)
    response = c.post("/claims/new/?type=jht_partial", jht_form(bank_account=""))
    html = page_text(response)
    assert response.status_code == 200 and 'id="error-bank_account"' in html
    docs = TYPES["jht_partial"].documents
    for doc in docs:
        assert re.search(rf'id="held-doc_{doc.code}">✓ attached: {doc.code}\.(png|pdf)', html), doc.code
    folder = settings.HOME / "held-uploads"
    assert len(list(folder.iterdir())) == len(docs)
    # another worker's session (the heir's) files with none of them
    assert "held-doc_" not in page_text(client(world, "heir", english=True).get("/claims/new/?type=jkm"))
    # a file refused by the use case is named and dropped; the others stay held
    bad = SimpleUploadedFile("bpjs.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    facts = {k: v for k, v in jht_form().items() if not k.startswith("doc_")}
    response = c.post("/claims/new/?type=jht_partial", {**facts, "doc_bpjs_card": bad})
    html = page_text(response)
    assert 'id="error-doc_bpjs_card"' in html and 'id="held-doc_bpjs_card"' not in html
    assert 'id="held-doc_id_card"' in html
    # the facts corrected, the refused file chosen again, nothing else re-attached: the claim has every document
    good = SimpleUploadedFile("kartu.pdf", PDF, "application/pdf")
    response = c.post("/claims/new/?type=jht_partial", {**facts, "doc_bpjs_card": good})
    assert response.status_code == 302, page_text(response)[:2000]
    claim = Claim.objects.get()
    stored = {d.kind: (d.file_name, bytes(d.content)) for d in claim.documents.all()}
    assert stored["bpjs_card"] == ("kartu.pdf", PDF)
    assert set(stored) == {d.code for d in docs} and ClaimDocument.objects.count() == len(docs)
    assert stored[docs[0].code] == (f"{docs[0].code}.png", PNG)
    assert list(folder.iterdir()) == []  # released


def test_an_officer_files_for_a_participant_in_its_scope_only(world: World) -> None:
    c = client(world, "branch", english=True)
    form = {"event_date": JKM_CASE["date"].isoformat(), "bank_account": "BRI 1"}
    files = {f"doc_{u.kind}": SimpleUploadedFile(u.file_name, u.content) for u in documents_for("jkm")}
    response = c.post("/claims/new/?type=jkm", {**form, **files, "worker": world.workers["W35"].nik})
    assert response.status_code == 200
    assert re.search(r'id="error-worker"><li>no participant with NIK \d{16} in your scope', page_text(response))
    assert Claim.objects.count() == 0
    files = {f"doc_{u.kind}": SimpleUploadedFile(u.file_name, u.content) for u in documents_for("jkm")}
    received = timezone.localdate() - dt.timedelta(days=3)
    response = c.post(
        "/claims/new/?type=jkm",
        {**form, **files, "worker": world.workers["W33PU"].nik, "received_on": received.isoformat()},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert claim.worker == world.workers["W33PU"] and claim.filed_as == "branch_officer"
    assert claim.amount == JKM_CASE["expected"]["total"]
    assert claim.submitted_on == received  # a claim received on paper: its service time runs from that day
    # its header says both days, as its steps do: received that day, entered (the submitted step) today
    html = page_text(c.get(f"/claims/{claim.pk}/"))
    entered = timezone.localtime(claim.submitted_at)
    assert f"{received.day} {received.strftime('%B')} {received.year}" in html.split('id="claim-submitted">')[1]
    assert f"entered {entered.day} {entered.strftime('%B')} {entered.year}" in html.split('id="claim-entered">')[1]
    # the day received is an officer's field: the heir's form has none
    assert 'name="received_on"' not in client(world, "heir").get("/claims/new/?type=jkm").content.decode()


def test_a_scholarship_childs_error_is_shown_in_its_row(world: World) -> None:
    c = client(world, "heir", english=True)
    files = {f"doc_{u.kind}": SimpleUploadedFile(u.file_name, u.content) for u in documents_for("scholarship")}
    form = {
        "event_date": "2020-08-01",
        "trigger": "jkm_death",
        "bank_account": "BRI 1",
        # row 1 left empty; row 2 has no name
        "child_2_birth_date": "2012-05-01",
        "child_2_level": "sd",
        "child_2_year_in_level": "2",
    }
    response = c.post("/claims/new/?type=scholarship", {**form, **files})
    assert response.status_code == 200
    assert re.search(r"id=\"error-child_2_name\"><li>give the child's name", page_text(response))
    assert 'id="error-child_1_name"' not in response.content.decode()
    # no child at all: said at the first row
    files = {f"doc_{u.kind}": SimpleUploadedFile(u.file_name, u.content) for u in documents_for("scholarship")}
    response = c.post("/claims/new/?type=scholarship", {**{k: v for k, v in form.items() if "child" not in k}, **files})
    assert re.search(r'id="error-child_1_name"><li>give at least one child', page_text(response))
    assert Claim.objects.count() == 0 and ClaimDocument.objects.count() == 0


@pytest.mark.parametrize("code", sorted(TYPES))
def test_every_type_has_its_form(world: World, code: str) -> None:
    """The administrator's form of each type: the participant, each claimant fact, the bank account, a file
    input per document (the required ones marked)."""
    ctype = TYPES[code]
    html = client(world, "admin", english=True).get(f"/claims/new/?type={code}").content.decode()
    assert 'name="worker"' in html and 'name="bank_account"' in html
    for name in ctype.claimant_fields:
        assert f'name="{name}"' in html, name
    for doc in ctype.documents:
        field = re.search(rf'<div class="field" id="field-doc_{doc.code}">(.*?)</div>', html, re.S)
        assert field is not None and 'type="file"' in field.group(1), doc.code
        assert ("(required)" in field.group(1)) == doc.required, doc.code
    assert ('name="child_1_name"' in html) == (code == "scholarship")


def test_an_heir_files_a_scholarship_for_two_children_through_the_page(world: World) -> None:
    c = client(world, "heir", english=True)
    files = {f"doc_{u.kind}": SimpleUploadedFile(u.file_name, u.content) for u in documents_for("scholarship")}
    year = timezone.localdate().year
    form = {
        "event_date": "2024-03-16",
        "trigger": "jkm_death",
        "bank_account": "BRI 1",
        "child_1_name": "Ayu",
        "child_1_birth_date": f"{year - 9}-01-15",
        "child_1_level": "sd",
        "child_1_year_in_level": "3",
        # row 2 left empty
        "child_3_name": "Bima",
        "child_3_birth_date": f"{year - 13}-07-01",
        "child_3_level": "smp",
        "child_3_year_in_level": "1",
    }
    response = c.post("/claims/new/?type=scholarship", {**form, **files})
    assert response.status_code == 302, page_text(response)[:2000]
    claim = Claim.objects.get()
    children = claim.inputs["children"]
    assert [(k["name"], k["level"], k["year_in_level"]) for k in children] == [("Ayu", "sd", 3), ("Bima", "smp", 1)]
    assert claim.filed_by == world.users["heir"] and claim.worker == world.workers["W33PU"]
    html = page_text(c.get(f"/claims/{claim.pk}/"))
    assert "name: Ayu" in html and "name: Bima" in html


# --- a claim -----------------------------------------------------------------------------------


def test_a_claim_and_its_documents_are_seen_only_within_scope(world: World) -> None:
    jht, jkm, w35 = file_jht(world), file_jkm(world), file_for_w35(world)
    sees = {jht.pk: {"admin", "branch", "worker"}, jkm.pk: {"admin", "branch", "heir"}, w35.pk: {"admin"}}
    for claim in (jht, jkm, w35):
        doc = claim.documents.first()
        assert doc is not None
        for url in (f"/claims/{claim.pk}/", f"/claims/{claim.pk}/documents/{doc.pk}"):
            for role in ROLES:
                status = client(world, role).get(url).status_code
                assert status == (200 if role in sees[claim.pk] else 404), (role, url)
            assert client(world, None).get(url).status_code == 302
    # a document of another claim, asked through a claim one sees: 404
    other = jkm.documents.first()
    assert other is not None
    assert client(world, "worker").get(f"/claims/{jht.pk}/documents/{other.pk}").status_code == 404


def test_a_document_downloads_as_it_was_uploaded(world: World) -> None:
    claim = file_jht(world)
    doc = claim.documents.get(kind="bpjs_card")
    response = client(world, "worker").get(f"/claims/{claim.pk}/documents/{doc.pk}")
    assert response.status_code == 200
    assert response.content == PDF and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bpjs_card.pdf"'


def test_the_claim_page_explains_the_assessment(world: World) -> None:
    claim = file_jht(world)
    html = page_text(client(world, "worker", english=True).get(f"/claims/{claim.pk}/"))
    assert 'id="claim-status" data-status="submitted">' in html
    assert f'id="claim-amount">{rupiah(expected_partial(world), "en")}<' in html
    assert 'data-eligible="true"' in html
    # each input with its source
    sources = dict(re.findall(r'<tr id="input-(\w+)" data-source="(\w+)">', html))
    assert sources == {
        "event": "claimant",
        "event_date": "claimant",
        "balance": "registry",
        "birth_date": "registry",
        "membership_start": "registry",
        "partial_taken_before": "registry",
    }
    balance = re.search(r'<tr id="input-balance".*?class="input-value">([^<]*)<', html, re.S)
    assert balance is not None and balance.group(1) == f"{sum(BALANCE_PARTS):,}"
    # the outputs, and each parameter with its value and legal reference
    assert re.search(rf'<tr id="output-amount">.*?>{expected_partial(world):,}<', html, re.S)
    share = re.search(r'<tr class="parameter" data-name="jht.partial_share">(.*?)</tr>', html, re.S)
    assert share is not None
    assert "housing: 30 %" in share.group(1) and "PP 46/2015 art 22(4)-(5); PP 60/2015" in share.group(1)
    # the checklist: every document present, with its download link; the submission step
    for doc in TYPES["jht_partial"].documents:
        assert f'<tr id="document-{doc.code}" data-present="true">' in html
    assert html.count('class="document-link"') == len(TYPES["jht_partial"].documents)
    assert 'class="step-submitted"' in html and "t_worker" in html
    # the worker who filed it may add a document; it has no officer's action, and no letter yet
    assert 'id="document-form"' in html
    for form in ("verify-form", "approve-form", "approve-pay-form", "pay-form", "reject-form", "stop-form"):
        assert f'id="{form}"' not in html, form
    assert 'id="claim-letter"' not in html


def test_an_officer_verifies_with_a_correction_approves_and_pays(world: World) -> None:
    claim = file_jht(world)
    c = client(world, "branch", english=True)
    html = c.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="verify-form"' in html and 'id="reject-form"' in html and 'id="approve-form"' not in html
    assert html.index('id="claim-actions"') < html.index('id="claim-inputs"')  # the actions first, then the trace
    # paying before approval: refused, with the message naming the field
    response = c.post(f"/claims/{claim.pk}/pay/", follow=True)
    assert any(m.startswith("status: only an approved claim is paid") for m in messages_of(page_text(response)))
    # a correction of the balance (old records): the claim is assessed again and the source is the officer
    # it raises the amount by more than the branch's share: refused without a reason, the claim unchanged
    corrected = 30_000_000
    before = claim.amount
    form = {"fix_balance": f"{corrected:,}".replace(",", "."), "note": "old records"}  # typed as people write it
    response = c.post(f"/claims/{claim.pk}/verify/", form, follow=True)
    assert any(m.startswith("reason: the corrections raise") for m in messages_of(page_text(response)))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.amount == before
    reason = "balance carried over from the 2014 card"
    response = c.post(f"/claims/{claim.pk}/verify/", {**form, "reason": reason})
    assert response.status_code == 302 and response["Location"] == f"/claims/{claim.pk}/"
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and claim.input_sources["balance"] == "officer"
    inputs = {**claim.inputs, "balance": corrected}
    expected = compute_one("jht_withdrawal", claim.law_date, inputs).outputs["amount"]
    assert claim.amount == expected > before
    html = page_text(c.get(f"/claims/{claim.pk}/"))
    assert 'data-source="officer"' in html and '<span class="correction-note">balance: 30000000</span>' in html
    assert f'<span class="correction-reason">{reason}</span>' in html
    assert "is verified with the corrections" in " ".join(messages_of(html))
    # the verifier is shown why it has no approval to give, and is refused if it posts one
    assert 'id="approve-form"' not in html and 'id="approve-pay-form"' not in html
    assert "you verified this claim: another officer approves it" in html
    for action in ("approve", "approve-and-pay"):
        assert c.post(f"/claims/{claim.pk}/{action}/").status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and claim.approved_by is None
    # another officer of the branch approves; the verifier may not pay it either
    approver = client(world, "branch2", english=True)
    assert 'id="approve-form"' in page_text(approver.get(f"/claims/{claim.pk}/"))
    response = approver.post(f"/claims/{claim.pk}/approve/")
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and claim.approved_by == world.users["branch2"]
    assert 'id="pay-form"' not in page_text(c.get(f"/claims/{claim.pk}/"))
    assert c.post(f"/claims/{claim.pk}/pay/").status_code == 403
    c = approver
    # paying asks first: the amount and the account are shown, nothing is paid until confirmed
    asked = page_text(c.post(f"/claims/{claim.pk}/pay/"))
    assert 'id="confirm-form"' in asked and f'id="confirm-amount">Rp {expected:,}<' in asked
    claim.refresh_from_db()
    assert claim.status == Status.APPROVED and not claim.payments.exists()
    response = c.post(f"/claims/{claim.pk}/pay/", {"confirmed": "yes"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.service_days == 0
    payment = BenefitPayment.objects.get(claim=claim)
    assert payment.amount == expected and payment.jht_entry is not None and payment.jht_entry.amount == -expected
    html = page_text(response)
    assert f"Claim {claim.number} is paid: 1 payment instruction, {rupiah(expected, 'en')}." in messages_of(html)
    assert payment.reference in html and 'id="claim-letter"' in html
    # paying again adds nothing
    c.post(f"/claims/{claim.pk}/pay/")
    assert BenefitPayment.objects.filter(claim=claim).count() == 1


def test_a_bad_correction_is_named_and_changes_nothing(world: World) -> None:
    claim = file_jht(world)
    c = client(world, "branch", english=True)
    html = page_text(c.get(f"/claims/{claim.pk}/"))
    assert 'name="fix_balance"' in html and 'name="corrections"' not in html  # one typed field per input
    response = c.post(f"/claims/{claim.pk}/verify/", {"fix_balance": "30 juta"}, follow=True)
    assert any(m.startswith("balance: write a whole number") for m in messages_of(page_text(response)))
    response = c.post(f"/claims/{claim.pk}/verify/", {"fix_event_date": "31/02/2026"}, follow=True)
    assert any(m.startswith("date of the event: ") for m in messages_of(page_text(response)))
    claim.refresh_from_db()
    assert claim.status == Status.SUBMITTED and claim.input_sources["balance"] == "registry"


def test_a_claim_with_a_document_missing_is_not_verified_until_it_is_added(world: World) -> None:
    optional = [d.code for d in TYPES["jkm"].documents if not d.required]
    assert optional == []  # every JKM document is required: take one away after filing
    claim = file_jkm(world)
    claim.documents.filter(kind="heir_letter").delete()
    c = client(world, "branch", english=True)
    html = page_text(c.get(f"/claims/{claim.pk}/"))
    assert '<tr id="document-heir_letter" data-present="false">' in html and 'id="verify-missing"' in html
    response = c.post(f"/claims/{claim.pk}/verify/", {}, follow=True)
    assert "documents: documents missing: heir_letter" in messages_of(page_text(response))
    # the heir who filed it adds the letter; a file that is not a PDF/JPEG/PNG is refused and not stored
    heir = client(world, "heir", english=True)
    bad = SimpleUploadedFile("letter.txt", b"plain text")
    response = heir.post(f"/claims/{claim.pk}/documents/", {"kind": "heir_letter", "file": bad}, follow=True)
    assert "documents[1]: letter.txt is not a PDF, JPEG or PNG file" in messages_of(page_text(response))
    assert not claim.documents.filter(kind="heir_letter").exists()
    good = SimpleUploadedFile("surat-waris.pdf", PDF)
    response = heir.post(f"/claims/{claim.pk}/documents/", {"kind": "heir_letter", "file": good}, follow=True)
    assert f"surat-waris.pdf is attached to claim {claim.number}." in messages_of(page_text(response))
    assert claim.documents.filter(kind="heir_letter").count() == 1
    c.post(f"/claims/{claim.pk}/verify/")
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED


def test_above_the_threshold_a_second_approver_is_awaited(world: World) -> None:
    """JKM of the legal case is Rp42 million; the threshold 50 million: a JHT partial of a large balance is above."""
    saver = world.workers["W33BPU"]
    JhtEntry.objects.create(worker=saver, kind="contribution", value_date=dt.date(2025, 1, 10), amount=200_000_000)
    claim = file_jht(world)
    assert claim.needs_second_approval
    verifier, admin = client(world, "branch", english=True), client(world, "admin", english=True)
    branch = client(world, "branch2", english=True)
    verifier.post(f"/claims/{claim.pk}/verify/")
    response = branch.post(f"/claims/{claim.pk}/approve-and-pay/", {"confirmed": "yes"}, follow=True)
    html = page_text(response)
    assert 'id="claim-awaiting-second"' in html and "awaits a second approver" in " ".join(messages_of(html))
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and not claim.payments.exists()
    # the same officer again: still waiting; it is offered no second approval of its own
    assert 'id="approve-form"' not in html
    branch.post(f"/claims/{claim.pk}/approve/")
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED
    # nor is the verifier the second approver: a third person is needed
    assert verifier.post(f"/claims/{claim.pk}/approve-and-pay/").status_code == 403
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and claim.second_approved_by is None
    asked = page_text(admin.post(f"/claims/{claim.pk}/approve-and-pay/"))
    assert 'id="confirm-pay"' in asked
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED and claim.second_approved_by is None
    response = admin.post(f"/claims/{claim.pk}/approve-and-pay/", {"confirmed": "yes"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == Status.PAID and claim.second_approved_by == world.users["admin"]
    assert 'id="claim-awaiting-second"' not in response.content.decode()


def test_rejection_with_a_reason(world: World) -> None:
    claim = file_jkm(world)
    c = client(world, "branch", english=True)
    response = c.post(f"/claims/{claim.pk}/reject/", {"reason": "the death certificate is not legible"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == Status.REJECTED and claim.rejection_reason == "the death certificate is not legible"
    html = page_text(response)
    assert 'id="claim-rejection">the death certificate is not legible<' in html and 'id="claim-letter"' in html
    assert 'id="reject-form"' not in html and 'id="verify-form"' not in html
    # a rejected claim is not approved
    response = c.post(f"/claims/{claim.pk}/approve/", follow=True)
    assert any(m.startswith("status: a claim is approved after verification") for m in messages_of(page_text(response)))


def test_those_who_see_a_claim_but_do_not_process_it_get_403(world: World) -> None:
    jht, jkm = file_jht(world), file_jkm(world)
    actions = ("verify", "approve", "pay", "approve-and-pay", "reject", "stop")
    for role, claim in (("worker", jht), ("heir", jkm)):
        for action in actions:
            assert client(world, role).post(f"/claims/{claim.pk}/{action}/", {"reason": "x"}).status_code == 403
    # a claim out of scope: 404 whatever the action
    for role, claim in (("worker", jkm), ("heir", jht), *((r, jht) for r in NO_CLAIMS)):
        for action in (*actions, "documents"):
            assert client(world, role).post(f"/claims/{claim.pk}/{action}/", {}).status_code == 404, (role, action)
    # the worker did not file the JKM claim; the branch officer sees but another branch's claim is 404
    w35 = file_for_w35(world)
    assert client(world, "branch").post(f"/claims/{w35.pk}/verify/").status_code == 404
    for claim in (jht, jkm, w35):
        claim.refresh_from_db()
        assert claim.status == Status.SUBMITTED
        assert list(claim.steps.values_list("step", flat=True)) == [ClaimStep.Step.SUBMITTED]
    # actions are POSTs only
    assert client(world, "branch").get(f"/claims/{jht.pk}/verify/").status_code == 405


def test_scheduled_instalments_are_stopped_with_a_reason(world: World) -> None:
    """A scholarship (legal case 'worked example #10' for the contribution months) for a child in primary
    school: the school years begun are paid, the years to come scheduled; the officer stops them."""
    case = legal_case("scholarship.yaml", "worked example #10: university year 1, Rp12 jt (death Aug 2020)")
    today = timezone.localdate()
    child = {"name": "Anak Sekolah", "birth_date": f"{today.year - 8}-03-01", "level": "sd", "year_in_level": 2}
    claim = file_case_scholarship(world.users["heir"], [child])
    branch = client(world, "branch", english=True)
    branch.post(
        f"/claims/{claim.pk}/verify/",
        {"fix_contribution_months": case["inputs"]["contribution_months"], "reason": "old records"},
    )
    client(world, "branch2").post(f"/claims/{claim.pk}/approve-and-pay/", {"confirmed": "yes"})
    claim.refresh_from_db()
    assert claim.eligible and claim.needs_second_approval and claim.status == Status.VERIFIED, claim.refusal
    client(world, "admin").post(f"/claims/{claim.pk}/approve-and-pay/", {"confirmed": "yes"})
    claim.refresh_from_db()
    assert claim.status == Status.PAID
    scheduled = claim.instalments.filter(state=Instalment.State.SCHEDULED).count()
    assert scheduled > 0
    html = page_text(branch.get(f"/claims/{claim.pk}/"))
    assert html.count('class="instalment-scheduled"') == scheduled and "Anak Sekolah" in html
    assert 'id="stop-form"' in html
    response = branch.post(f"/claims/{claim.pk}/stop/", {"reason": "", "child": "1"}, follow=True)
    assert any(m.startswith("reason:") for m in messages_of(page_text(response)))
    response = branch.post(f"/claims/{claim.pk}/stop/", {"reason": "the child left school", "child": "1"}, follow=True)
    assert claim.instalments.filter(state=Instalment.State.SCHEDULED).count() == 0
    assert (
        claim.instalments.filter(state=Instalment.State.STOPPED, stop_reason="the child left school").count()
        == scheduled
    )
    html = page_text(response)
    assert html.count('class="instalment-stopped"') == scheduled and 'id="stop-form"' not in html


# --- the letter and the report -----------------------------------------------------------------


def test_the_decision_letter_of_a_decided_claim(world: World) -> None:
    claim = file_jht(world)
    worker = client(world, "worker")
    assert worker.get(f"/claims/{claim.pk}/letter.pdf").status_code == 400  # not decided yet
    svc.verify(world.users["branch"], claim.pk)
    svc.approve_and_pay(world.users["branch2"], claim.pk)
    for lang in ("id", "en"):
        response = worker.get(f"/claims/{claim.pk}/letter.pdf?lang={lang}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf" and response["Content-Language"] == lang
        assert response["Content-Disposition"].startswith("attachment; filename=")
    assert worker.get(f"/claims/{claim.pk}/letter.pdf?lang=xx").status_code == 400
    for role in ("heir", *NO_CLAIMS):
        assert client(world, role).get(f"/claims/{claim.pk}/letter.pdf").status_code == 404, role


def report_rows(html: str) -> dict[tuple[str, str], str]:
    return {
        (m.group(1), m.group(2)): m.group(3)
        for m in re.finditer(r'<tr class="report-row" data-branch="([^"]*)" data-type="(\w+)">(.*?)</tr>', html, re.S)
    }


def cells(row: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_claims_report_for_officers(world: World) -> None:
    file_jht(world)
    paid = file_jkm(world)
    file_for_w35(world)
    svc.verify(world.users["branch"], paid.pk)
    svc.approve_and_pay(world.users["branch2"], paid.pk)
    for role in ROLES:
        response = client(world, role).get("/claims/report/")
        assert response.status_code == (200 if role in ("admin", "branch") else 403), role
    assert client(world, None).get("/claims/report/")["Location"].startswith("/login/")
    # the branch officer: its own branch's rows, one per claim type
    rows = report_rows(page_text(client(world, "branch", english=True).get("/claims/report/")))
    assert set(rows) == {("KC-33", "jht_partial"), ("KC-33", "jkm")}
    # status columns: submitted, verified, approved, paid, rejected; then total, amount paid, median days
    jkm = cells(rows[("KC-33", "jkm")])
    assert jkm[0].startswith("Kantor Cabang Jawa Tengah") and jkm[1] == str(TYPES["jkm"].title)
    assert jkm[2:8] == ["0", "0", "0", "1", "0", "1"]
    assert jkm[8] == rupiah(JKM_CASE["expected"]["total"], "en") and jkm[9].startswith("0 ")
    jht = cells(rows[("KC-33", "jht_partial")])
    assert jht[2:10] == ["1", "0", "0", "0", "0", "1", "Rp 0", "—"]
    # the administrator: every branch
    admin = report_rows(page_text(client(world, "admin", english=True).get("/claims/report/")))
    assert set(admin) == {("KC-33", "jht_partial"), ("KC-33", "jkm"), ("KC-35", "jkk_medical")}
    # dates choose the claims by their claim date; a range backwards is named at its end
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    html = client(world, "branch").get(f"/claims/report/?start={future}").content.decode()
    assert report_rows(html) == {} and 'id="no-report-rows"' in html
    today = timezone.localdate().isoformat()
    assert set(report_rows(client(world, "branch").get(f"/claims/report/?end={today}").content.decode())) == set(rows)
    html = page_text(client(world, "branch", english=True).get("/claims/report/?start=2025-05-01&end=2025-01-01"))
    assert re.search(r'id="error-end">the end is before the start', html)


def test_the_claims_pager_keeps_the_search_and_the_filters(world: World) -> None:
    worker = world.workers["W33PU"]
    at = timezone.now()
    Claim.objects.bulk_create(
        Claim(claim_type="jkm_death", worker=worker, branch=world.branches["KC-33"], filed_as="branch_officer",
              status=Status.SUBMITTED, submitted_at=at, submitted_on=at.date(), law_date=at.date(), rule="jkm_benefits")
        for _ in range(51)
    )  # fmt: skip
    html = client(world, "branch").get(f"/claims/?q={worker.nik}&status=submitted").content.decode()
    assert f'href="?q={worker.nik}&amp;status=submitted&amp;page=2" rel="next"' in html
    second = client(world, "branch").get(f"/claims/?q={worker.nik}&status=submitted&page=2").content.decode()
    assert len(re.findall(r'<tr id="claim-\d+"', second)) == 1
    assert f'href="?q={worker.nik}&amp;status=submitted&amp;page=1" rel="prev"' in second


def _claims_for_sorting(world: World) -> dict[str, Claim]:
    """Four claims of branch KC-33's two workers, each differing in what a column sorts by."""
    pu, bpu = world.workers["W33PU"], world.workers["W33BPU"]
    at = timezone.now()
    made = {}
    for key, worker, ctype, status, days_ago in (
        ("a", pu, "jkm", Status.PAID, 3),
        ("b", bpu, "jht_full", Status.SUBMITTED, 1),
        ("c", pu, "jht_partial", Status.VERIFIED, 10),
        ("d", bpu, "scholarship", Status.REJECTED, 5),
    ):
        when = at - dt.timedelta(days=days_ago)
        made[key] = Claim.objects.create(
            claim_type=ctype, worker=worker, branch=world.branches["KC-33"], filed_as="branch_officer",
            status=status, submitted_at=when, submitted_on=when.date(), law_date=when.date(), rule="jkm_benefits",
            rejection_reason="not legible" if status == Status.REJECTED else "",
        )  # fmt: skip
    return made


def listed_claims(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="claim-(\d+)"', html)]


def test_the_claims_list_sorts_by_each_declared_column(world: World) -> None:
    made = _claims_for_sorting(world)
    pk = {key: c.pk for key, c in made.items()}
    c = client(world, "branch", english=True)

    def order(query: str) -> list[int]:
        response = c.get(f"/claims/?{query}")
        assert response.status_code == 200, query
        return listed_claims(response.content.decode())

    # newest first by default; the submitted column either way
    assert order("") == [pk["b"], pk["a"], pk["d"], pk["c"]]
    assert order("sort=submitted") == [pk["c"], pk["d"], pk["a"], pk["b"]]
    assert order("sort=-submitted") == order("")
    assert order("sort=number") == sorted(pk.values())
    assert order("sort=-number") == sorted(pk.values(), reverse=True)
    # the participant's name in any case, then (a tie) the primary key
    by_name = sorted(made.values(), key=lambda claim: (claim.worker.name.lower(), claim.pk))
    assert order("sort=name") == [claim.pk for claim in by_name]
    assert by_name[0].worker != by_name[-1].worker
    # the type by its title in the reader's language, not by its code: "Beasiswa" (scholarship) comes first
    with translation.override("id"):
        titles = sorted(made, key=lambda k: str(TYPES[made[k].claim_type].title).lower())
    by_type = listed_claims(client(world, "branch").get("/claims/?sort=type").content.decode())
    assert by_type == [pk[k] for k in titles] and by_type[0] == pk["d"]
    # the status by its step in the workflow: submitted, verified, approved, paid, rejected
    assert order("sort=status") == [pk["b"], pk["c"], pk["a"], pk["d"]]
    assert order("sort=-status") == [pk["d"], pk["a"], pk["c"], pk["b"]]
    # a sort keeps the search and the filters, and the search box and pager keep the sort
    assert order(f"sort=number&q={world.workers['W33PU'].nik}") == sorted([pk["a"], pk["c"]])
    assert order("sort=-number&status=submitted") == [pk["b"]]
    html = c.get("/claims/?sort=-number&status=paid").content.decode()
    assert '<input type="hidden" name="sort" value="-number">' in html
    assert 'href="?sort=number&amp;status=paid"' in html  # the number header reverses, keeping the filter
    assert 'aria-sort="descending"' in html


def test_a_sort_key_not_declared_falls_back_to_the_default(world: World) -> None:
    made = _claims_for_sorting(world)
    c = client(world, "branch")
    default = listed_claims(c.get("/claims/").content.decode())
    assert len(default) == len(made)
    for key in ("amount", "worker__nik", "-pk", "id); DROP TABLE claims_claim; --", "status_step", "ü" * 300):
        response = c.get("/claims/", {"sort": key})
        assert response.status_code == 200, key
        assert listed_claims(response.content.decode()) == default, key
    assert Claim.objects.count() == len(made)


def test_htmx_asks_only_for_the_sorted_results(world: World) -> None:
    _claims_for_sorting(world)
    html = client(world, "branch").get("/claims/?sort=type", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="claim-table"' in html and "<h1" not in html and 'id="claim-filter"' not in html

"""The claims REST API: filing with base64 documents, the assessment as the API shows it, the workflow, the
instalments, the letter and the report; and the refusals (scope 404, role 403, bad input 422 naming the field)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone, translation

from paritrana.claims.models import BenefitPayment, Claim, ClaimDocument, Instalment
from paritrana.claims.services.report import claims_report
from paritrana.rules import compute_one, get_rule
from tests.claims.claimkit import PDF, documents_for, legal_case
from tests.claims.test_claims_letters import pdf_text

JKM_CASE = legal_case("jkm_benefit.yaml", "worked example #9: widow Astin, husband died 16 Mar 2024, Rp42,000,000")


def docs(claim_type: str) -> list[dict[str, str]]:
    return [
        {"kind": u.kind, "file_name": u.file_name, "content_base64": base64.b64encode(u.content).decode()}
        for u in documents_for(claim_type)
    ]


def body_of(response: Any, status: int) -> Any:
    assert response.status_code == status, response.content.decode()[:800]
    return json.loads(response.content)


def jkm_body(**extra: Any) -> dict[str, Any]:
    return {
        "claim_type": "jkm",
        "inputs": {"event_date": JKM_CASE["date"].isoformat()},
        "bank_account": "BRI 0123456789",
        "documents": docs("jkm"),
        **extra,
    }


def medical_body(worker_id: int | None = None, claimed: int = 800_000) -> dict[str, Any]:
    day = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    body: dict[str, Any] = {
        "claim_type": "jkk_medical",
        "inputs": {"event_date": day, "kind": "land", "claimed": claimed},
        "bank_account": "BRI 7",
        "documents": docs("jkk_medical"),
    }
    if worker_id is not None:
        body["worker_id"] = worker_id
    return body


def error_locs(response: Any) -> list[list[Any]]:
    return [item["loc"] for item in body_of(response, 422)["detail"]]


def test_the_heirs_jkm_claim_from_filing_to_the_letter(world: Any, api: Any, tmp_path: Path) -> None:
    heir, branch = api("heir"), api("branch")
    claim = body_of(heir.call("POST", "/api/claims", jkm_body()), 201)
    assert claim["status"] == "submitted" and claim["eligible"] and claim["filed_as"] == "heir"
    assert claim["worker"]["id"] == world.workers["W33PU"].pk and claim["branch"] == "KC-33"
    assert claim["amount"] == JKM_CASE["expected"]["total"]
    assert claim["missing_documents"] == []
    stored = ClaimDocument.objects.filter(claim_id=claim["id"])
    assert sorted(d["kind"] for d in claim["documents"]) == sorted(stored.values_list("kind", flat=True))
    assert [d["content_type"] for d in claim["documents"]][:2] == ["image/png", "application/pdf"]
    # the assessment: each input with its source and description, outputs, the parameters with their references
    inputs = {i["name"]: i for i in claim["inputs"]}
    assert inputs["membership_active"]["value"] is True and inputs["membership_active"]["source"] == "registry"
    descriptions = {f.name: f.description for f in get_rule("jkm_benefit").inputs}
    assert all(i["description"] == translation.gettext(descriptions[i["name"]]) for i in claim["inputs"])
    rule_inputs = {i["name"]: i["value"] for i in claim["inputs"]}
    assert claim["outputs"]["total"] == compute_one("jkm_benefit", JKM_CASE["date"], rule_inputs).outputs["total"]
    parameters = {p["name"]: p for p in claim["explanation"]["parameters"]}
    assert parameters["jkm.lump_sum"]["value"] == claim["outputs"]["lump_sum"]
    assert "PP 82/2019" in parameters["jkm.lump_sum"]["reference"]
    assert claim["rule_reference"] == get_rule("jkm_benefit").reference
    assert claim["payments"] == [] and claim["instalments"] == []
    # no letter before the decision
    assert error_locs(heir.call("GET", f"/api/claims/{claim['id']}/letter.pdf")) == [["body", "status"]]

    verified = body_of(branch.call("POST", f"/api/claims/{claim['id']}/verify", {"note": "documents seen"}), 200)
    assert verified["status"] == "verified" and verified["verified_by"] == "t_branch"
    assert "approve" not in verified["actions"] and "reject" in verified["actions"]  # the verifier's own view
    # the verifier neither approves nor pays (decision 0010): a 403, the claim unchanged
    for action in ("approve", "approve-and-pay"):
        refused = branch.call("POST", f"/api/claims/{claim['id']}/{action}")
        assert refused.status_code == 403, refused.content
    approver = api("branch2")
    assert "approve" in body_of(approver.call("GET", f"/api/claims/{claim['id']}"), 200)["actions"]
    assert body_of(heir.call("GET", f"/api/claims/{claim['id']}"), 200)["status"] == "verified"
    paid = body_of(approver.call("POST", f"/api/claims/{claim['id']}/approve-and-pay"), 200)
    assert paid["status"] == "paid" and paid["service_days"] == 0
    [payment] = paid["payments"]
    assert payment["amount"] == JKM_CASE["expected"]["total"] and payment["bank_account"] == "BRI 0123456789"
    assert payment["reference"] == BenefitPayment.objects.get(claim_id=claim["id"]).reference
    again = body_of(approver.call("POST", f"/api/claims/{claim['id']}/pay"), 200)  # clicked twice: nothing new
    assert [p["id"] for p in again["payments"]] == [payment["id"]]
    seen = body_of(heir.call("GET", f"/api/claims/{claim['id']}"), 200)
    assert [(s["step"], s["by"]) for s in seen["steps"]] == [
        ("submitted", "t_heir"),
        ("verified", "t_branch"),
        ("approved", "t_branch2"),
        ("paid", "t_branch2"),
    ]
    assert seen["steps"][1]["note"] == "documents seen"

    letter = heir.call("GET", f"/api/claims/{claim['id']}/letter.pdf?lang=en")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter["Content-Language"] == "en" and letter["Content-Disposition"].startswith("attachment;")
    text = pdf_text(letter.content, tmp_path)
    assert "Claim approved" in text and payment["reference"] in text and "Rp 42,000,000" in text
    assert "Rp 42.000.000" in pdf_text(
        heir.call("GET", f"/api/claims/{claim['id']}/letter.pdf?lang=id").content, tmp_path
    )


def test_a_claim_refused_by_a_rule_reads_in_the_callers_language(world: Any, api: Any) -> None:
    """The rules' refusal reason (stored as the rule gave it) in Bahasa Indonesia by default, in English when the
    caller's Accept-Language asks; the rule's title and its inputs' descriptions too (decision 0040)."""
    branch = api("branch")
    body = {
        "claim_type": "jkp",
        "inputs": {
            "event_date": (timezone.localdate() - dt.timedelta(days=12)).isoformat(),
            "separation": "termination",
        },
        "worker_id": world.workers["W33PU"].pk,
        "bank_account": "BRI 9",
        "documents": docs("jkp"),
    }
    filed = body_of(branch.call("POST", "/api/claims", body), 201)
    stored = Claim.objects.get(pk=filed["id"]).refusal
    assert not filed["eligible"] and stored.startswith("fewer than")  # the rule's own words, kept as it gave them
    english = body_of(branch.call("GET", f"/api/claims/{filed['id']}", HTTP_ACCEPT_LANGUAGE="en"), 200)
    indonesian = body_of(branch.call("GET", f"/api/claims/{filed['id']}"), 200)
    assert english["refusal"] == stored
    with translation.override("id"):
        assert indonesian["refusal"] == translation.gettext(stored) != stored
        assert indonesian["rule_title"] == translation.gettext(english["rule_title"]) != english["rule_title"]
    assert filed["refusal"] == indonesian["refusal"]  # the answer to the filing speaks the same language
    assert [i["name"] for i in english["inputs"]] == [i["name"] for i in indonesian["inputs"]]
    assert english["outputs"]["eligible"] is False and english["outputs"] == {
        k: (stored if v == indonesian["refusal"] else v) for k, v in indonesian["outputs"].items()
    }


def test_a_jkp_claim_with_corrections_instalments_and_a_stop(world: Any, api: Any) -> None:
    """Filed by the branch on a paper form received two days ago; the months paid before the records are the
    verifying officer's corrections; month 1 paid with the claim, months 2-6 scheduled, then stopped (a new job)."""
    branch = api("branch")
    today = timezone.localdate()
    body = {
        "claim_type": "jkp",
        "inputs": {"event_date": (today - dt.timedelta(days=12)).isoformat(), "separation": "termination"},
        "worker_id": world.workers["W33PU"].pk,
        "bank_account": "BRI 9",
        "documents": docs("jkp"),
        "received_on": (today - dt.timedelta(days=2)).isoformat(),
    }
    claim = body_of(branch.call("POST", "/api/claims", body), 201)
    assert not claim["eligible"] and claim["refusal"] and claim["submitted_on"] == body["received_on"]
    corrections = {"contribution_months": 12, "consecutive_months": 6}
    # from a refusal to six months of benefit: a raise that needs the verifier's reason
    no_reason = branch.call("POST", f"/api/claims/{claim['id']}/verify", {"corrections": corrections})
    assert error_locs(no_reason) == [["body", "reason"]]
    assert body_of(branch.call("GET", f"/api/claims/{claim['id']}"), 200)["status"] == "submitted"
    reason = "months from the employer's old records"
    verified = body_of(
        branch.call("POST", f"/api/claims/{claim['id']}/verify", {"corrections": corrections, "reason": reason}), 200
    )
    assert [s["reason"] for s in verified["steps"] if s["step"] == "corrected"] == [reason]
    sources = {i["name"]: i["source"] for i in verified["inputs"]}
    assert sources["contribution_months"] == sources["consecutive_months"] == "officer"
    assert sources["wage"] == "registry" and sources["month"] == "law"
    assert verified["eligible"], verified["refusal"]
    assert branch.call("POST", f"/api/claims/{claim['id']}/approve").status_code == 403  # the verifier
    approver = api("branch2")
    approved = body_of(approver.call("POST", f"/api/claims/{claim['id']}/approve"), 200)
    assert approved["status"] == "approved"
    assert [(i["key"], i["state"]) for i in approved["instalments"]] == [(f"jkp-{n}", "planned") for n in range(1, 7)]
    inputs = {i["name"]: i["value"] for i in verified["inputs"]}
    for item in approved["instalments"]:
        month = int(item["key"].split("-")[1])
        assert (
            item["amount"]
            == compute_one(
                "jkp_benefit", dt.date.fromisoformat(verified["law_date"]), {**inputs, "month": month}
            ).outputs["benefit"]
        )
    assert branch.call("POST", f"/api/claims/{claim['id']}/pay").status_code == 403  # nor pays it
    paid = body_of(approver.call("POST", f"/api/claims/{claim['id']}/pay"), 200)
    assert paid["status"] == "paid" and paid["service_days"] == 2
    assert [i["state"] for i in paid["instalments"]] == ["paid"] + ["scheduled"] * 5
    assert [p["key"] for p in paid["payments"]] == ["jkp-1"]
    stop = body_of(branch.call("POST", f"/api/claims/{claim['id']}/stop", {"reason": "a new job from next month"}), 200)
    assert stop["stopped"] == 5
    assert [i["state"] for i in stop["claim"]["instalments"]] == ["paid"] + ["stopped"] * 5
    assert Instalment.objects.filter(claim_id=claim["id"], stop_reason="a new job from next month").count() == 5
    assert error_locs(branch.call("POST", f"/api/claims/{claim['id']}/stop", {"reason": " "})) == [["body", "reason"]]


def test_a_rejection_through_the_api(world: Any, api: Any) -> None:
    claim = body_of(api("heir").call("POST", "/api/claims", jkm_body()), 201)
    assert error_locs(api("branch").call("POST", f"/api/claims/{claim['id']}/reject", {"reason": ""})) == [
        ["body", "reason"]
    ]
    rejected = body_of(api("branch").call("POST", f"/api/claims/{claim['id']}/reject", {"reason": "not legible"}), 200)
    assert rejected["status"] == "rejected" and rejected["rejection_reason"] == "not legible"
    assert error_locs(api("branch").call("POST", f"/api/claims/{claim['id']}/approve")) == [["body", "status"]]


@pytest.fixture
def three(world: Any, api: Any) -> dict[str, int]:
    """The worker's own JKK claim (W33BPU, KC-33), the heir's JKM claim (W33PU, KC-33), the admin's for W35 (KC-35)."""
    own = body_of(api("worker").call("POST", "/api/claims", medical_body()), 201)
    heirs = body_of(api("heir").call("POST", "/api/claims", jkm_body()), 201)
    other = body_of(api("admin").call("POST", "/api/claims", medical_body(world.workers["W35"].pk)), 201)
    return {"worker": own["id"], "heir": heirs["id"], "admin": other["id"]}


SEES = {
    "admin": {"worker", "heir", "admin"},
    "branch": {"worker", "heir"},
    "worker": {"worker"},
    "heir": {"heir"},
    "hr": set(),
    "city": set(),
    "province": set(),
    "assessor": set(),
}


def test_each_role_sees_its_claims_only(world: Any, api: Any, three: dict[str, int]) -> None:
    for role, keys in SEES.items():
        listed = body_of(api(role).call("GET", "/api/claims"), 200)
        assert {c["id"] for c in listed["items"]} == {three[k] for k in keys}, role
        assert listed["count"] == len(keys)
        for key, claim_id in three.items():
            response = api(role).call("GET", f"/api/claims/{claim_id}")
            assert response.status_code == (200 if key in keys else 404), (role, key)
            letter = api(role).call("GET", f"/api/claims/{claim_id}/letter.pdf")
            assert letter.status_code == (422 if key in keys else 404), (role, key)  # seen, but not decided
    assert api("anonymous").call("GET", "/api/claims").status_code == 401


def test_filters(world: Any, api: Any, three: dict[str, int]) -> None:
    admin = api("admin")
    body_of(api("branch").call("POST", f"/api/claims/{three['heir']}/reject", {"reason": "not legible"}), 200)
    rejected = body_of(admin.call("GET", "/api/claims?status=rejected"), 200)
    assert [c["id"] for c in rejected["items"]] == [three["heir"]]
    medical = body_of(admin.call("GET", "/api/claims?type=jkk_medical"), 200)
    assert {c["id"] for c in medical["items"]} == {three["worker"], three["admin"]}
    mine = body_of(admin.call("GET", f"/api/claims?worker={world.workers['W35'].pk}&status=submitted"), 200)
    assert [c["id"] for c in mine["items"]] == [three["admin"]]
    assert body_of(admin.call("GET", "/api/claims?type=jkm&status=submitted"), 200)["count"] == 0
    assert error_locs(admin.call("GET", "/api/claims?status=lost")) == [["query", "status"]]


def test_who_may_act(world: Any, api: Any, three: dict[str, int]) -> None:
    # the worker sees its claim but does not process it: 403; roles that do not see it: 404
    for action in ("verify", "approve", "pay", "approve-and-pay", "reject", "stop"):
        body = {"reason": "x"} if action in ("reject", "stop") else ({} if action == "verify" else None)
        assert api("worker").call("POST", f"/api/claims/{three['worker']}/{action}", body).status_code == 403, action
        assert api("heir").call("POST", f"/api/claims/{three['heir']}/{action}", body).status_code == 403, action
        for role in ("hr", "city", "province", "assessor", "heir"):
            response = api(role).call("POST", f"/api/claims/{three['worker']}/{action}", body)
            assert response.status_code == 404, (role, action)
        assert api("branch").call("POST", f"/api/claims/{three['admin']}/{action}", body).status_code == 404, action
    assert Claim.objects.filter(status="submitted").count() == 3  # nothing changed
    # unknown ids
    assert api("admin").call("GET", "/api/claims/999999").status_code == 404
    assert api("admin").call("POST", "/api/claims/999999/verify", {}).status_code == 404
    assert api("admin").call("GET", "/api/claims/999999/letter.pdf").status_code == 404
    # filing: HR, regional officers and assessors file nothing; an heir files for its participant only
    for role in ("hr", "city", "province", "assessor"):
        assert api(role).call("POST", "/api/claims", medical_body(world.workers["W33PU"].pk)).status_code == 403
    assert api("heir").call("POST", "/api/claims", medical_body(world.workers["W35"].pk)).status_code == 404
    assert api("worker").call("POST", "/api/claims", jkm_body()).status_code == 403  # an heir's claim type
    assert api("branch").call("POST", "/api/claims", medical_body(world.workers["W35"].pk)).status_code == 404


def test_documents_added_later(world: Any, api: Any, three: dict[str, int]) -> None:
    pdf = {"kind": "bank_book", "file_name": "tabungan.pdf", "content_base64": base64.b64encode(PDF).decode()}
    added = body_of(api("heir").call("POST", f"/api/claims/{three['heir']}/documents", pdf), 201)
    assert added["content_type"] == "application/pdf" and added["size"] == len(PDF)
    assert ClaimDocument.objects.get(pk=added["id"]).content == PDF
    assert (
        body_of(api("branch").call("POST", f"/api/claims/{three['heir']}/documents", pdf), 201)["kind"] == "bank_book"
    )
    assert api("worker").call("POST", f"/api/claims/{three['heir']}/documents", pdf).status_code == 404
    assert api("hr").call("POST", f"/api/claims/{three['heir']}/documents", pdf).status_code == 404
    exe = {**pdf, "content_base64": base64.b64encode(b"MZ\x90\x00binary").decode()}
    assert error_locs(api("heir").call("POST", f"/api/claims/{three['heir']}/documents", exe)) == [
        ["body", "documents[1]"]
    ]
    off_list = {**pdf, "kind": "accident_report"}  # not on a JKM claim's checklist
    assert error_locs(api("heir").call("POST", f"/api/claims/{three['heir']}/documents", off_list)) == [
        ["body", "documents[1]"]
    ]


def test_bad_fields_are_named(world: Any, api: Any) -> None:
    heir = api("heir")
    assert error_locs(heir.call("POST", "/api/claims", jkm_body(bank_account=" "))) == [["body", "bank_account"]]
    assert error_locs(heir.call("POST", "/api/claims", {**jkm_body(), "inputs": {}})) == [["body", "event_date"]]
    assert error_locs(heir.call("POST", "/api/claims", {**jkm_body(), "inputs": {"event_date": "16/03/2024"}})) == [
        ["body", "event_date"]
    ]
    assert error_locs(heir.call("POST", "/api/claims", jkm_body(claim_type="jkx"))) == [["body", "claim_type"]]
    misspelt = error_locs(heir.call("POST", "/api/claims", jkm_body(bank="BRI 1")))
    assert misspelt and all("bank" in loc for loc in misspelt)
    missing = [d for d in jkm_body()["documents"] if d["kind"] != "death_certificate"]
    assert error_locs(heir.call("POST", "/api/claims", jkm_body(documents=missing))) == [
        ["body", "documents", "death_certificate"]
    ]
    bad = jkm_body()
    bad["documents"][2]["content_base64"] = "not base64!"
    assert error_locs(heir.call("POST", "/api/claims", bad)) == [["body", "documents[3]", "content_base64"]]
    exe = jkm_body()
    exe["documents"][1]["content_base64"] = base64.b64encode(b"MZ\x90\x00binary").decode()
    heir.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the English source message is checked
    response = heir.call("POST", "/api/claims", exe)
    assert error_locs(response) == [["body", "documents[2]"]]
    assert "PDF, JPEG or PNG" in body_of(response, 422)["detail"][0]["msg"]
    child = {"name": "Anak", "birth_date": "2012-01-01", "level": "sd"}
    assert error_locs(heir.call("POST", "/api/claims", jkm_body(children=[child]))) == [["body", "children"]]
    nul = jkm_body(bank_account="BRI\x001")
    assert any("bank_account" in loc for loc in error_locs(heir.call("POST", "/api/claims", nul)))
    assert Claim.objects.count() == 0


def test_a_body_above_the_limit_is_a_413(world: Any, api: Any) -> None:
    big = jkm_body()
    big["documents"][1]["content_base64"] = base64.b64encode(PDF + b"0" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE).decode()
    response = api("heir").call("POST", "/api/claims", big)
    # in Bahasa Indonesia, the API's default language
    assert response.status_code == 413 and "bita" in json.loads(response.content)["detail"]
    assert Claim.objects.count() == 0


def test_a_document_of_almost_five_megabytes_is_taken(world: Any, api: Any) -> None:
    """The service takes documents up to 5 MB; base64 in JSON they must still fit the API's body limit."""
    from paritrana.claims.services.claims import MAX_DOCUMENT_BYTES

    body = jkm_body()
    content = PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) - 1024)
    body["documents"][1]["content_base64"] = base64.b64encode(content).decode()
    response = api("heir").call("POST", "/api/claims", body)
    assert response.status_code in (200, 201), response.content[:300]
    claim = Claim.objects.get()
    assert max(claim.documents.values_list("size", flat=True)) == len(content)


def test_the_report(world: Any, api: Any, three: dict[str, int]) -> None:
    branch = api("branch")
    body_of(branch.call("POST", f"/api/claims/{three['worker']}/verify", {}), 200)
    body_of(api("branch2").call("POST", f"/api/claims/{three['worker']}/approve-and-pay"), 200)
    everything = body_of(api("admin").call("GET", "/api/claims/report"), 200)
    rows = {(r["branch"], r["claim_type"]): r for r in everything["rows"]}
    expected = {(r.branch_code, r.claim_type): r for r in claims_report(world.users["admin"])}
    assert set(rows) == set(expected) == {("KC-33", "jkk_medical"), ("KC-33", "jkm"), ("KC-35", "jkk_medical")}
    for key, row in rows.items():
        assert row["counts"] == expected[key].counts and row["amount_paid"] == expected[key].amount_paid
    paid = rows[("KC-33", "jkk_medical")]
    assert paid["counts"]["paid"] == 1 and paid["amount_paid"] == 800_000 and paid["median_service_days"] == 0
    mine = body_of(branch.call("GET", "/api/claims/report"), 200)
    assert {r["branch"] for r in mine["rows"]} == {"KC-33"}
    for role in ("worker", "heir", "hr", "city", "province", "assessor"):
        assert api(role).call("GET", "/api/claims/report").status_code == 403, role
    today = timezone.localdate()
    window = f"/api/claims/report?start={today + dt.timedelta(days=1)}&end={today + dt.timedelta(days=9)}"
    assert body_of(api("admin").call("GET", window), 200)["rows"] == []
    reversed_window = f"/api/claims/report?start={today}&end={today - dt.timedelta(days=1)}"
    assert error_locs(api("admin").call("GET", reversed_window)) == [["body", "end"]]


def test_the_types(world: Any, api: Any) -> None:
    types = body_of(api("worker").call("GET", "/api/claims/types"), 200)
    jkm = next(t for t in types if t["code"] == "jkm")
    assert jkm["filers"] == ["heir"] and jkm["rule"] == "jkm_benefit"
    assert {d["code"] for d in jkm["documents"] if d["required"]} == {u.kind for u in documents_for("jkm")}

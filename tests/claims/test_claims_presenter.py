"""One presenter for a claim with its assessment (``claims.presenters``): the API's claim detail, the claim
page's explanation and the decision letter show the same inputs (with their sources), outputs, parameters and
instalments, each in its own format."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone, translation

from paritrana.claims import letters
from paritrana.claims.models import Claim
from paritrana.claims.presenters import present
from paritrana.claims.services import claims as svc
from paritrana.web.views.claims import explanation
from tests.claims.claimkit import documents_for
from tests.claims.factkit import second_officer
from tests.platform.world import World


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def paid_jkp(world: World) -> Claim:
    """A JKP claim made eligible by the verifier's corrections and paid: month 1 paid, months 2-6 scheduled."""
    officer = world.users["branch"]
    today = timezone.localdate()
    claim = svc.submit(
        officer,
        "jkp",
        {"event_date": (today - dt.timedelta(days=12)).isoformat(), "separation": "termination"},
        documents_for("jkp"),
        worker_id=world.workers["W33PU"].pk,
        bank_account="BRI 9",
    )
    svc.verify(
        officer, claim.pk, {"contribution_months": 12, "consecutive_months": 6}, reason="months from old records"
    )
    svc.approve_and_pay(second_officer(world), claim.pk)
    return Claim.objects.get(pk=claim.pk)


def test_the_api_the_page_and_the_letter_show_the_same_figures(world: World, api: Any) -> None:
    claim = paid_jkp(world)
    shown = present(claim)
    detail = api("branch").call("GET", f"/api/claims/{claim.pk}").json()
    with translation.override("en"):
        page = explanation(claim)
        letter = letters.letter_document(world.users["branch"], claim.pk)

    # the inputs: the same names, values and sources
    api_inputs = {i["name"]: (i["value"], i["source"]) for i in detail["inputs"]}
    assert api_inputs == {r.name: (r.value, r.source or "default") for r in shown.inputs}
    assert api_inputs["contribution_months"] == (12, "officer") and api_inputs["wage"][1] == "registry"
    page_inputs = {i["name"]: i for i in page["inputs"]}
    letter_inputs = {i.name: i for i in letter.inputs}
    assert set(page_inputs) == set(letter_inputs) == set(api_inputs)
    for name, (value, source) in api_inputs.items():
        assert page_inputs[name]["source"] == ("" if source == "default" else source)  # a rule default: no label
        if isinstance(value, int) and not isinstance(value, bool):
            assert digits(page_inputs[name]["value"]) == digits(letter_inputs[name].value) == str(value), name
    assert str(letter_inputs["contribution_months"].note) == "corrected by the verifying officer"

    # the outputs and intermediate values
    assert detail["outputs"] == {r.name: r.value for r in shown.outputs} == claim.outputs
    assert detail["explanation"]["intermediate"] == {r.name: r.value for r in shown.intermediate}
    page_outputs = {o["name"]: o["value"] for o in page["outputs"]}
    assert set(page_outputs) == set(claim.outputs)
    assert digits(page_outputs["benefit"]) == str(claim.outputs["benefit"]) != ""
    assert {o.name for o in letter.outputs} | {o.name for o in letter.intermediate} >= {"benefit", "eligible"}

    # the parameters of the law: the same names, references and dates
    api_params = [(p["name"], p["reference"], p["effective"]) for p in detail["explanation"]["parameters"]]
    assert api_params and api_params == [(p.name, p.reference, p.effective) for p in shown.parameters]
    assert [(p["name"], p["reference"], p["effective"]) for p in page["parameters"]] == api_params
    assert [(p.name, p.reference) for p in letter.parameters] == [(n, r) for n, r, _ in api_params]

    # the instalments: month 1 paid with the claim, months 2-6 scheduled, the same amounts everywhere
    api_instalments = [(i["key"], i["amount"], i["state"]) for i in detail["instalments"]]
    assert [(i.key, i.amount, i.state) for i in shown.instalments()] == api_instalments
    assert [s for _, _, s in api_instalments] == ["paid"] + ["scheduled"] * 5
    assert [r.amount for r in letter.schedule] == [a for _, a, _ in api_instalments]
    assert [r.what for r in letter.schedule] == [f"JKP month {n}" for n in range(1, 7)]
    assert sum(a for _, a, _ in api_instalments) == claim.amount == detail["amount"]
    assert [p["amount"] for p in detail["payments"]] == [p.amount for p in letter.payments] == [api_instalments[0][1]]


def test_before_payment_the_schedule_shown_is_the_planned_one(world: World, api: Any) -> None:
    officer = world.users["branch"]
    today = timezone.localdate()
    claim = svc.submit(
        officer,
        "jkp",
        {"event_date": (today - dt.timedelta(days=12)).isoformat(), "separation": "termination"},
        documents_for("jkp"),
        worker_id=world.workers["W33PU"].pk,
        bank_account="BRI 9",
    )
    svc.verify(officer, claim.pk, {"contribution_months": 12, "consecutive_months": 6}, reason="old records")
    claim.refresh_from_db()
    rows = present(claim).instalments()
    assert [r.planned for r in rows] == [True] * 6 and [r.due_on for r in rows] == [None] * 6
    assert [r.amount for r in rows] == [p["amount"] for p in claim.extra["schedule"]]
    detail = api("branch").call("GET", f"/api/claims/{claim.pk}").json()
    assert [(i["key"], i["amount"], i["state"], i["due_on"]) for i in detail["instalments"]] == [
        (r.key, r.amount, "planned", None) for r in rows
    ]

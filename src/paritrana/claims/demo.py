"""The demo's claims: every type, at every step of the workflow, for the demo branch and a few others.

Filed through the same use cases as a person would (``services.claims``): the demo heir
files a JKM claim and a scholarship for the children, the demo worker a JKK reimbursement
still waiting for verification, and branch officers enter paper claims received over the last
days (so the report has service times). Months paid before the registry's records are the
verifying officer's corrections, as in real branch work (decision 0006). Another officer approves
and pays what one verified, and a third approves a claim above the threshold (decision 0010). Seeded and
idempotent: when claims exist, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Sum

from paritrana.claims.models import Claim
from paritrana.claims.scopes import visible_claims
from paritrana.claims.services import claims as svc
from paritrana.claims.types import TYPES
from paritrana.contributions.models import JhtEntry
from paritrana.core.errors import RegistryError
from paritrana.registry.models import Membership, Worker

# a one-page PDF standing in for every scanned document of the demo
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_claims_present() -> bool:
    return Claim.objects.exists()


def _documents(claim_type: str) -> list[svc.Upload]:
    return [svc.Upload(d.code, f"{d.code}.pdf", DEMO_PDF) for d in TYPES[claim_type].documents if d.required]


def load_demo_claims(today: dt.date, seed: int = 2026, say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """File, verify, approve, pay or reject a seeded mix of claims; the counts by status (when claims
    exist already, nothing is filed and the counts are those of the claims there)."""
    if demo_claims_present():
        return _counts()
    rng = random.Random(seed)
    users = get_user_model().objects
    admin = users.get(username="admin")
    branch = users.get(username="cabang")
    # the officers who may approve, in order of preference: never the verifier, a second approver another again
    approvers = [users.get(username=name) for name in ("cabang2", "admin2", "admin", "cabang")]
    heir = users.get(username="ahliwaris")
    worker = users.get(username="pekerja")
    done: list[Claim] = []

    def attempt(what: str, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except RegistryError as err:  # a demo claim the data does not support: say so, go on
            say(f"demo claim skipped ({what}): {err}")
            return None

    def file_paper(code: str, person: Worker, inputs: dict[str, Any], bank: str, received: dt.date) -> Any:
        """A paper claim the administrator enters for ``person``, received on ``received``."""
        documents = _documents(code)
        return attempt(
            code,
            partial(
                svc.submit, admin, code, inputs, documents, worker_id=person.pk, bank_account=bank, received_on=received
            ),
        )

    def process(
        claim: Claim | None, steps: str, officer: Any = branch, corrections: dict[str, Any] | None = None
    ) -> None:
        if claim is None:
            return
        done.append(claim)
        if "v" in steps:
            reason = "data kepesertaan lama (arsip cabang)" if corrections else ""
            attempt("verify", lambda: svc.verify(officer, claim.pk, corrections or None, reason=reason))
        claim.refresh_from_db()
        if "r" in steps or ("p" in steps and not claim.eligible):
            attempt("reject", lambda: svc.reject(officer, claim.pk, claim.refusal or "dokumen tidak lengkap"))
        elif "p" in steps:
            others = [u for u in approvers if u != officer and visible_claims(u).filter(pk=claim.pk).exists()]
            if not others:
                return
            attempt("pay", lambda: svc.approve_and_pay(others[0], claim.pk))
            claim.refresh_from_db()
            if claim.needs_second_approval and claim.status != "paid" and "2" in steps and len(others) > 1:
                attempt("second approval", lambda: svc.approve_and_pay(others[1], claim.pk))

    # the demo heir: JKM for the participant who died, and the children's scholarship
    deceased = heir.profile.worker
    if deceased is None:
        raise RuntimeError("the demo heir is not linked to a participant")
    death = today - dt.timedelta(days=12)
    jkm = attempt(
        "jkm",
        lambda: svc.submit(
            heir, "jkm", {"event_date": death.isoformat()}, _documents("jkm"), bank_account="BRI 3301 0000 1234"
        ),
    )
    process(jkm, "vp", corrections={"contribution_months": 48})
    scholarship = attempt(
        "scholarship",
        lambda: svc.submit(
            heir,
            "scholarship",
            {"event_date": death.isoformat(), "trigger": "jkm_death"},
            _documents("scholarship"),
            bank_account="BRI 3301 0000 1234",
            children=[
                {
                    "name": f"Anak 1 {deceased.name}",
                    "birth_date": dt.date(today.year - 10, 3, 2),
                    "level": "sd",
                    "year_in_level": 4,
                },
                {
                    "name": f"Anak 2 {deceased.name}",
                    "birth_date": dt.date(today.year - 16, 8, 9),
                    "level": "sma",
                    "year_in_level": 1,
                },
            ],
        ),
    )
    process(scholarship, "vp2", corrections={"contribution_months": 48})

    # the demo worker: a JKK transport reimbursement waiting for the branch
    process(
        attempt(
            "jkk_medical",
            lambda: svc.submit(
                worker,
                "jkk_medical",
                {"event_date": (today - dt.timedelta(days=3)).isoformat(), "kind": "land", "claimed": 850_000},
                _documents("jkk_medical"),
                bank_account="BNI 0099 1234 5678",
            ),
        ),
        "",
    )

    # paper claims at the branches: JHT after resignation, JKK incapacity, JKP refused, JP pensions
    balances = dict(
        JhtEntry.objects.values("worker_id")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .values_list("worker_id", "total")
    )
    with_balance = Worker.objects.filter(pk__in=list(balances)).exclude(pk=deceased.pk).order_by("nik")
    # half at the demo branch's province (the "cabang" officer's claims), half elsewhere
    savers = list(with_balance.filter(region__code__startswith="33.")[:8]) + list(
        with_balance.exclude(region__code__startswith="33.")[:22]
    )
    officers = {"KC-33": branch}
    for i, saver in enumerate(savers[:8] + savers[8:][:8]):
        received = today - dt.timedelta(days=rng.randint(1, 12))
        resigned = received - dt.timedelta(days=rng.randint(35, 90))
        claim = file_paper(
            "jht_full",
            saver,
            {"event": "resignation", "event_date": resigned.isoformat()},
            f"Mandiri 13{saver.pk:08d}",
            received,
        )
        process(
            claim,
            ["vp", "vp", "vp", "v", ""][i % 5],
            officers.get(saver.employer.branch.code if saver.employer else "", admin),
        )
    pu = list(
        Worker.objects.filter(scheme="PU", employer__isnull=False)
        .exclude(pk__in=[s.pk for s in savers])
        .order_by("nik")[:40]
    )
    rng.shuffle(pu)
    for i, person in enumerate(pu[:6]):
        received = today - dt.timedelta(days=rng.randint(2, 10))
        claim = file_paper(
            "jkk_temporary",
            person,
            {"event_date": (received - dt.timedelta(days=40)).isoformat(), "months": 1 + i % 4},
            f"BCA 88{person.pk:08d}",
            received,
        )
        process(claim, "vp" if i % 3 else "v", admin)
    for person in pu[6:10]:
        received = today - dt.timedelta(days=rng.randint(1, 6))
        claim = file_paper(
            "jkp",
            person,
            {"event_date": (received - dt.timedelta(days=20)).isoformat(), "separation": "termination"},
            f"BRI 77{person.pk:08d}",
            received,
        )
        process(
            claim, "vr", admin
        )  # three months of records are too few: refused by the rule, rejected with its reason
    jp_members = Membership.objects.filter(programme="JP", end__isnull=True).values_list("worker_id", flat=True)
    elders = list(
        Worker.objects.filter(pk__in=jp_members, birth_date__lte=dt.date(today.year - 60, 6, 1)).order_by("nik")[:3]
    )
    for person in elders:
        received = today - dt.timedelta(days=rng.randint(3, 9))
        claim = file_paper("jp_old_age", person, {}, f"BTN 55{person.pk:08d}", received)
        process(claim, "vp2", admin, corrections={"contribution_months": 192, "average_wage": person.wage})
    return _counts()


def _counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Claim.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts

"""The catalogue of claim types: the rule each is assessed by, what the claimant gives, what the
registry gives, the document checklist, who may file it, and which output is the amount.

Documents and claimants: PP 44/2015 arts 34-37 and Permenaker 44/2015 art 19 (JKM heirs and
documents), Permenaker 5/2021 (scholarship annual documents), PP 44/2015 as amended by PP 82/2019
(JKK claim process), PP 46/2015 and Permenaker 4/2022 (JHT), PP 45/2015 and Permenaker 29/2015 (JP),
PP 37/2021 as amended by PP 6/2025 (JKP).
"""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext_lazy as _

from paritrana.claims.declaration import HEIR, WORKER, ClaimType, Document, Payout
from paritrana.claims.services.facts import facts, paid_claim_of
from paritrana.claims.services.schedules import assess_scholarship, plan_monthly
from paritrana.rules.formulas.jht_benefits import FULL_EVENTS, PARTIAL_EVENTS

__all__ = ["HEIR", "TYPES", "WORKER", "ClaimType", "Document", "Payout", "claim_type"]

ID_CARD = Document("id_card", _("identity card (KTP) of the claimant"))
FAMILY_CARD = Document("family_card", _("family card (KK)"))
BPJS_CARD = Document("bpjs_card", _("BPJS Ketenagakerjaan membership card"))
BANK_BOOK = Document("bank_book", _("bank account book of the recipient"))
DEATH_CERT = Document("death_certificate", _("death certificate"))
HEIR_LETTER = Document("heir_letter", _("heir statement letter (surat keterangan ahli waris)"))
ACCIDENT_REPORT = Document("accident_report", _("accident report (form KK2) from the employer"))
DOCTOR_LETTER = Document("doctor_letter", _("doctor's statement (form KK3 / KK4)"))
RECEIPTS = Document("receipts", _("receipts of the costs claimed"))
RESIGN_LETTER = Document("separation_letter", _("resignation letter, PHK letter or contract end (paklaring)"), False)
PURPOSE = Document("purpose", _("statement of the purpose (housing: a bank or developer letter)"))
SCHOOL_LETTER = Document("school_letter", _("letter from the school that the child is studying"))
FUNERAL_LETTER = Document(
    "funeral_letter", _("statement from the village or kelurahan that the claimant arranged the funeral")
)
BIRTH_CERT = Document("birth_certificate", _("birth certificate of the child"))

JHT_EVENTS_FULL = tuple(e for e in FULL_EVENTS)
JHT_EVENTS_PARTIAL = PARTIAL_EVENTS

WORKERS, HEIRS = frozenset({WORKER}), frozenset({HEIR})

JHT_FACTS = facts("balance", "birth_date", "membership_start", partial_taken_before=paid_claim_of("jht_partial"))
SCHOLARSHIP_NOTE = _(
    "The rule's outputs are those of the first child's first school year; each year of the schedule is"
    " computed by the same rule."
)

# What the types of a family share; each type states only what differs (keywords given again override these).
# JHT withdrawals: one rule, the same facts, paid from the JHT account under the law of the claim date
jht_withdrawal = partial(
    ClaimType,
    programme="JHT",
    rule="jht_withdrawal",
    claimant_fields=("event", "event_date"),
    registry=JHT_FACTS,
    amount_output="amount",
    eligible_output="eligible",
    reason_output="reason",
    paid_from_jht_account=True,
    law_date="claim_date",
)
# JKM death benefits: the JKM rule, from the date of death, paid once
jkm_benefit = partial(
    ClaimType,
    programme="JKM",
    rule="jkm_benefit",
    claimant_fields=("event_date",),
    eligible_output="eligible",
    reason_output="reason",
    once=True,
)
# JKK cash benefits computed from the wage, filed by the worker
jkk_cash = partial(ClaimType, programme="JKK", registry=facts("wage"), filers=WORKERS, amount_output="total")
# JP pensions: the lump sum is paid when the rule refuses the pension
jp_pension = partial(
    ClaimType,
    programme="JP",
    amount_output="lump_sum_payable",
    eligible_output="eligible",
    reason_output="reason",
    payout=Payout.PENSION,
)

TYPES: dict[str, ClaimType] = {
    t.code: t
    for t in (
        jht_withdrawal(
            code="jht_full",
            title=_("JHT: full payment"),
            documents=(ID_CARD, BPJS_CARD, BANK_BOOK, RESIGN_LETTER),
            filers=frozenset({WORKER, HEIR}),
            net_output="net_amount",
            event_choices=JHT_EVENTS_FULL,
        ),
        jht_withdrawal(
            code="jht_partial",
            title=_("JHT: partial withdrawal (10 % or 30 %)"),
            documents=(ID_CARD, BPJS_CARD, BANK_BOOK, PURPOSE),
            filers=WORKERS,
            event_choices=JHT_EVENTS_PARTIAL,
            once=True,
        ),
        jkm_benefit(
            code="jkm",
            title=_("JKM: death benefit (filed by the heirs)"),
            registry=facts("membership_active", "contribution_months"),
            documents=(ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, BANK_BOOK),
            filers=HEIRS,
            amount_output="total",
        ),
        # no heir: the funeral cost goes to whoever arranged the funeral (PP 44/2015 art 34 as amended by
        # PP 82/2019; the heirs' order, Permenaker 44/2015 art 19); the JKM total already holds it
        jkm_benefit(
            code="jkm_funeral",
            title=_("JKM: funeral cost, to whoever arranged the funeral when there is no heir"),
            registry=facts("membership_active"),
            documents=(ID_CARD, DEATH_CERT, FUNERAL_LETTER, BANK_BOOK),
            amount_output="funeral_cost",
            exclusive_with=frozenset({"jkm"}),
        ),
        ClaimType(
            code="jkk_medical",
            programme="JKK",
            title=_("JKK: reimbursement of transport or home care"),
            rule="jkk_reimbursement",
            claimant_fields=("event_date", "kind", "claimed", "care_months"),
            documents=(ID_CARD, ACCIDENT_REPORT, RECEIPTS, BANK_BOOK),
            filers=WORKERS,
            amount_output="payable",
            reason_output="reason",
        ),
        jkk_cash(
            code="jkk_temporary",
            title=_("JKK: temporary incapacity to work (STMB)"),
            rule="jkk_temporary_incapacity",
            claimant_fields=("event_date", "months"),
            documents=(ID_CARD, ACCIDENT_REPORT, DOCTOR_LETTER, BANK_BOOK),
        ),
        jkk_cash(
            code="jkk_disability",
            title=_("JKK: disability"),
            rule="jkk_disability_benefit",
            claimant_fields=(
                "event_date",
                "disability_type",
                "body_part",
                "function_lost_percent",
                "assessed_percent",
                "hearing_loss_db",
                "left_handed",
            ),
            documents=(ID_CARD, ACCIDENT_REPORT, DOCTOR_LETTER, BANK_BOOK),
        ),
        jkk_cash(
            code="jkk_death",
            title=_("JKK: death from a work accident (filed by the heirs)"),
            rule="jkk_death_benefit",
            claimant_fields=("event_date",),
            documents=(ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, ACCIDENT_REPORT, BANK_BOOK),
            filers=HEIRS,
            once=True,
        ),
        jp_pension(
            code="jp_old_age",
            title=_("JP: old-age pension, or lump sum under 15 years"),
            rule="jp_old_age_benefit",
            registry=facts("contribution_months", "average_wage", "birth_date"),
            documents=(ID_CARD, FAMILY_CARD, BPJS_CARD, BANK_BOOK),
            filers=WORKERS,
            monthly_output="monthly_benefit",
            first_payment_output="first_payment_date",
            law_date="claim_date",
            once=True,
        ),
        jp_pension(
            code="jp_survivor",
            title=_("JP: survivor pension (filed by the heirs)"),
            rule="jp_survivor_benefit",
            claimant_fields=("event_date", "recipient", "children"),
            registry=facts("contribution_months", "membership_months", "average_wage", "participant_birth_date"),
            documents=(ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, BANK_BOOK),
            filers=HEIRS,
            monthly_output="monthly_total",
        ),
        ClaimType(
            code="jkp",
            programme="JKP",
            title=_("JKP: job-loss benefit (six months)"),
            rule="jkp_benefit",
            fixed={"month": 1},  # the rule's month: the first; the planner computes each month
            claimant_fields=("event_date", "separation"),
            registry=facts("wage", "contribution_months", "consecutive_months", "age_at_registration", "claim_date"),
            documents=(ID_CARD, BPJS_CARD, RESIGN_LETTER, BANK_BOOK),
            filers=WORKERS,
            amount_output="benefit",
            eligible_output="eligible",
            reason_output="reason",
            payout=Payout.INSTALMENTS,
            planner=plan_monthly,
            instalment_label=_("JKP month %(n)s"),
        ),
        ClaimType(
            code="scholarship",
            programme="JKM",
            title=_("Scholarship for the participant's children"),
            rule="scholarship_benefit",
            assessor=assess_scholarship,  # the rule for each child's school year of the schedule
            claimant_fields=("event_date", "trigger"),
            registry=facts("contribution_months"),
            documents=(ID_CARD, FAMILY_CARD, BIRTH_CERT, SCHOOL_LETTER, BANK_BOOK),
            filers=frozenset({HEIR, WORKER}),
            amount_output="amount",
            eligible_output="eligible",
            reason_output="reason",
            payout=Payout.INSTALMENTS,
            takes_children=True,
            instalment_payment="scholarship",
            calculation_note=SCHOLARSHIP_NOTE,
            once=True,
        ),
    )
}

# the claim types an heir files: the participant has died (or, for a scholarship, may be disabled)
HEIR_TYPES = frozenset(code for code, t in TYPES.items() if HEIR in t.filers)


def claim_type(code: str) -> ClaimType:
    """The type named ``code``; KeyError when unknown."""
    return TYPES[code]

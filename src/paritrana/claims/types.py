"""The catalogue of claim types: the rule each is assessed by, what the claimant gives, what the
registry gives, the document checklist, who may file it, and which output is the amount.

Documents and claimants: PP 44/2015 arts 34-37 and Permenaker 44/2015 art 19 (JKM heirs and
documents), Permenaker 5/2021 (scholarship annual documents), PP 44/2015 as amended by PP 82/2019
(JKK claim process), PP 46/2015 and Permenaker 4/2022 (JHT), PP 45/2015 and Permenaker 29/2015 (JP),
PP 37/2021 as amended by PP 6/2025 (JKP).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from paritrana.rules.formulas.jht_benefits import FULL_EVENTS, PARTIAL_EVENTS

# who may file a claim of a type (besides administrators and branch officers, who file for anyone in scope)
WORKER = "worker"
HEIR = "heir"


@dataclass(frozen=True)
class Document:
    code: str
    label: Promise
    required: bool = True


@dataclass(frozen=True)
class ClaimType:
    code: str
    programme: str
    title: Promise
    rule: str
    # the rule inputs the claimant gives (an officer may correct them at verification)
    claimant_fields: tuple[str, ...]
    # rule inputs filled from the registry (an officer may correct them at verification)
    registry_fields: tuple[str, ...]
    documents: tuple[Document, ...]
    filers: frozenset[str]
    amount_output: str  # the output paid now (0 when refused)
    eligible_output: str | None = None  # None: eligible when the amount is above zero
    reason_output: str | None = None
    net_output: str | None = None
    monthly_output: str | None = None  # a pension: the monthly benefit
    # the amount output is a lump sum paid instead of the pension the rule refuses (JP under 15 years):
    # the claim is payable when either is above zero
    lump_sum_instead: bool = False
    # a benefit paid once per participant (a death, the old-age pension, the one partial JHT withdrawal, the
    # children's scholarship): a claim is not approved while another of the type is approved or paid
    once: bool = False
    law_date: str = "event_date"  # "event_date" or "claim_date"
    fixed: dict[str, object] = field(default_factory=dict)
    event_choices: tuple[str, ...] = ()  # JHT: the events this type accepts


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
BIRTH_CERT = Document("birth_certificate", _("birth certificate of the child"))

JHT_EVENTS_FULL = tuple(e for e in FULL_EVENTS)
JHT_EVENTS_PARTIAL = PARTIAL_EVENTS

TYPES: dict[str, ClaimType] = {
    t.code: t
    for t in (
        ClaimType(
            "jht_full",
            "JHT",
            _("JHT: full payment"),
            "jht_withdrawal",
            ("event", "event_date"),
            ("balance", "birth_date", "membership_start", "partial_taken_before"),
            (ID_CARD, BPJS_CARD, BANK_BOOK, RESIGN_LETTER),
            frozenset({WORKER, HEIR}),
            "amount",
            "eligible",
            "reason",
            net_output="net_amount",
            law_date="claim_date",
            event_choices=JHT_EVENTS_FULL,
        ),
        ClaimType(
            "jht_partial",
            "JHT",
            _("JHT: partial withdrawal (10 % or 30 %)"),
            "jht_withdrawal",
            ("event", "event_date"),
            ("balance", "birth_date", "membership_start", "partial_taken_before"),
            (ID_CARD, BPJS_CARD, BANK_BOOK, PURPOSE),
            frozenset({WORKER}),
            "amount",
            "eligible",
            "reason",
            law_date="claim_date",
            event_choices=JHT_EVENTS_PARTIAL,
            once=True,
        ),
        ClaimType(
            "jkm",
            "JKM",
            _("JKM: death benefit (filed by the heirs)"),
            "jkm_benefit",
            ("event_date",),
            ("membership_active", "contribution_months"),
            (ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, BANK_BOOK),
            frozenset({HEIR}),
            "total",
            "eligible",
            "reason",
            once=True,
        ),
        ClaimType(
            "jkk_medical",
            "JKK",
            _("JKK: reimbursement of transport or home care"),
            "jkk_reimbursement",
            ("event_date", "kind", "claimed", "care_months"),
            (),
            (ID_CARD, ACCIDENT_REPORT, RECEIPTS, BANK_BOOK),
            frozenset({WORKER}),
            "payable",
            reason_output="reason",
        ),
        ClaimType(
            "jkk_temporary",
            "JKK",
            _("JKK: temporary incapacity to work (STMB)"),
            "jkk_temporary_incapacity",
            ("event_date", "months"),
            ("wage",),
            (ID_CARD, ACCIDENT_REPORT, DOCTOR_LETTER, BANK_BOOK),
            frozenset({WORKER}),
            "total",
        ),
        ClaimType(
            "jkk_disability",
            "JKK",
            _("JKK: disability"),
            "jkk_disability_benefit",
            (
                "event_date",
                "disability_type",
                "body_part",
                "function_lost_percent",
                "assessed_percent",
                "hearing_loss_db",
                "left_handed",
            ),
            ("wage",),
            (ID_CARD, ACCIDENT_REPORT, DOCTOR_LETTER, BANK_BOOK),
            frozenset({WORKER}),
            "total",
        ),
        ClaimType(
            "jkk_death",
            "JKK",
            _("JKK: death from a work accident (filed by the heirs)"),
            "jkk_death_benefit",
            ("event_date",),
            ("wage",),
            (ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, ACCIDENT_REPORT, BANK_BOOK),
            frozenset({HEIR}),
            "total",
            once=True,
        ),
        ClaimType(
            "jp_old_age",
            "JP",
            _("JP: old-age pension, or lump sum under 15 years"),
            "jp_old_age_benefit",
            (),
            ("contribution_months", "average_wage", "birth_date"),
            (ID_CARD, FAMILY_CARD, BPJS_CARD, BANK_BOOK),
            frozenset({WORKER}),
            "lump_sum_payable",
            "eligible",
            "reason",
            monthly_output="monthly_benefit",
            lump_sum_instead=True,
            law_date="claim_date",
            once=True,
        ),
        ClaimType(
            "jp_survivor",
            "JP",
            _("JP: survivor pension (filed by the heirs)"),
            "jp_survivor_benefit",
            ("event_date", "recipient", "children"),
            ("contribution_months", "membership_months", "average_wage", "participant_birth_date"),
            (ID_CARD, FAMILY_CARD, DEATH_CERT, HEIR_LETTER, BANK_BOOK),
            frozenset({HEIR}),
            "lump_sum_payable",
            "eligible",
            "reason",
            monthly_output="monthly_total",
            lump_sum_instead=True,
        ),
        ClaimType(
            "jkp",
            "JKP",
            _("JKP: job-loss benefit (six months)"),
            "jkp_benefit",
            ("event_date", "separation"),
            ("wage", "contribution_months", "consecutive_months", "age_at_registration", "claim_date"),
            (ID_CARD, BPJS_CARD, RESIGN_LETTER, BANK_BOOK),
            frozenset({WORKER}),
            "benefit",
            "eligible",
            "reason",
            fixed={"month": 1},
        ),
        ClaimType(
            "scholarship",
            "JKM",
            _("Scholarship for the participant's children"),
            "scholarship_benefit",
            ("event_date", "trigger"),
            ("contribution_months",),
            (ID_CARD, FAMILY_CARD, BIRTH_CERT, SCHOOL_LETTER, BANK_BOOK),
            frozenset({HEIR, WORKER}),
            "amount",
            "eligible",
            "reason",
            once=True,
        ),
    )
}

# the claim types an heir files: the participant has died (or, for a scholarship, may be disabled)
HEIR_TYPES = frozenset(code for code, t in TYPES.items() if HEIR in t.filers)


def claim_type(code: str) -> ClaimType:
    """The type named ``code``; KeyError when unknown."""
    return TYPES[code]

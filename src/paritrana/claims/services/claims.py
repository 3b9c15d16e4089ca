"""Claims: intake, documents, verification, approval (never by the verifier; a second approver above the
branch's threshold), payment exactly once, rejection with a reason, and the instalments paid later. Who may
take which step is ``claims.workflow``'s answer (decision 0010).

The use cases live by concern (``lookup``, ``intake``, ``decisions``, ``payouts``); this module is the one
place the pages, the API, the command line and the demo call them from.
"""

from __future__ import annotations

from paritrana.claims.services.decisions import approve, approve_and_pay, pay, reject, verify
from paritrana.claims.services.intake import MAX_DOCUMENT_BYTES, SIGNATURES, Upload, add_document, check_upload, submit
from paritrana.claims.services.lookup import (
    awaiting_second_approval,
    claims_for,
    get_claim,
    missing_documents,
    state_of,
)
from paritrana.claims.services.payouts import (
    PAY_DUE_LOCK,
    RunResult,
    first_pension_month,
    instalment_due,
    instalment_number,
    pay_due,
    stop_instalments,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "PAY_DUE_LOCK",
    "SIGNATURES",
    "RunResult",
    "Upload",
    "add_document",
    "approve",
    "approve_and_pay",
    "awaiting_second_approval",
    "check_upload",
    "claims_for",
    "first_pension_month",
    "get_claim",
    "instalment_due",
    "instalment_number",
    "missing_documents",
    "pay",
    "pay_due",
    "reject",
    "state_of",
    "stop_instalments",
    "submit",
    "verify",
]

"""What each role may see and do with contributions (bills, payments, JHT accounts).

- administrator: everything
- branch officer: payers in its territory (the employers and workers it sees; sponsors of the regions it serves)
- regional officer: the bills of its own region's programmes (sponsors of kind regional_programme in its region)
- employer HR: its company's bills, payments and wage reports
- worker: its own bills if it pays itself (BPU), its own JHT account; heir: the JHT account of its worker
- award assessor: nothing here

Payments come from the bank or from an officer's entry confirmed by another (decision 0009): no
payer records its own.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import (
    AnyUser,
    ScopeRule,
    by_profile,
    in_territory,
    role_of,
    scoped,
    visible_employers,
    visible_workers,
)
from paritrana.contributions.models import (
    Bill,
    BillQuerySet,
    JhtEntry,
    ManualPayment,
    Payer,
    Payment,
    StatementLine,
    WageReport,
    WageUpload,
)
from paritrana.registry.models import Sponsor, Worker

# roles that handle the bank's money (decision 0009): resolve exceptions and enter or confirm manual
# payments for the payers they see; payers never record their own payments
PAYMENT_OFFICERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER})
# the collection account's statements and their reconciliation are the agency's, not a branch's
STATEMENT_IMPORTERS = frozenset({Role.ADMIN})
# roles that may report wages (for employers they see)
WAGE_REPORTERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.EMPLOYER_HR})


def visible_payers(user: AnyUser | None) -> QuerySet[Payer]:
    rules: dict[str, ScopeRule] = {
        Role.BRANCH_OFFICER: lambda p: (
            Q(employer__in=visible_employers(user))
            | Q(worker__in=visible_workers(user))
            | (Q(sponsor__isnull=False) & in_territory(p, "sponsor__region__code"))
        ),
        # the bills of its own region's programmes
        Role.REGIONAL_OFFICER: lambda p: (
            None
            if p.region_id is None
            else Q(sponsor__kind=Sponsor.Kind.REGIONAL_PROGRAMME, sponsor__region_id=p.region_id)
        ),
        Role.EMPLOYER_HR: by_profile("employer_id", "employer_id"),
        Role.WORKER: by_profile("worker_id", "worker_id"),
    }
    return scoped(Payer.objects.select_related("employer", "worker", "sponsor"), user, rules)


def visible_bills(user: AnyUser | None) -> BillQuerySet:
    return Bill.objects.select_related("payer").filter(payer__in=visible_payers(user))


def visible_payments(user: AnyUser | None) -> QuerySet[Payment]:
    return Payment.objects.select_related("payer").filter(payer__in=visible_payers(user))


def can_handle_payments(user: AnyUser | None, payer: Payer | None = None) -> bool:
    """An officer who may enter, confirm and resolve payments (for ``payer``, when given: one it sees)."""
    if role_of(user) not in PAYMENT_OFFICERS:
        return False
    return payer is None or visible_payers(user).filter(pk=payer.pk).exists()


def can_import_statements(user: AnyUser | None) -> bool:
    return role_of(user) in STATEMENT_IMPORTERS


def visible_statement_lines(user: AnyUser | None) -> QuerySet[StatementLine]:
    """Statement lines (the exceptions queue): the administrator all; a branch officer those of payers it
    sees (a line with an unknown code has no payer: the administrator's)."""
    role = role_of(user)
    qs = StatementLine.objects.select_related("payer", "statement", "resolved_by", "payment")
    if role == Role.ADMIN:
        return qs.all()
    if role == Role.BRANCH_OFFICER:
        return qs.filter(payer__in=visible_payers(user))
    return qs.none()


def visible_manual_payments(user: AnyUser | None) -> QuerySet[ManualPayment]:
    if role_of(user) not in PAYMENT_OFFICERS:
        return ManualPayment.objects.none()
    return ManualPayment.objects.select_related("payer", "entered_by", "decided_by").filter(
        payer__in=visible_payers(user)
    )


def can_report_wages(user: AnyUser | None) -> bool:
    return role_of(user) in WAGE_REPORTERS


def visible_wage_reports(user: AnyUser | None) -> QuerySet[WageReport]:
    if role_of(user) not in WAGE_REPORTERS:
        return WageReport.objects.none()
    return WageReport.objects.select_related("worker", "employer").filter(employer__in=visible_employers(user))


def visible_wage_uploads(user: AnyUser | None) -> QuerySet[WageUpload]:
    if role_of(user) not in WAGE_REPORTERS:
        return WageUpload.objects.none()
    return WageUpload.objects.filter(employer__in=visible_employers(user))


def visible_jht_accounts(user: AnyUser | None) -> QuerySet[Worker]:
    """Workers whose JHT account (balance, statement) the user may see.

    Not employer HR nor regional officers: a JHT balance is the worker's own savings.
    """
    role = role_of(user)
    if role in (Role.ADMIN, Role.BRANCH_OFFICER, Role.WORKER, Role.HEIR):
        return visible_workers(user)
    return Worker.objects.none()


def visible_jht_entries(user: AnyUser | None) -> QuerySet[JhtEntry]:
    return JhtEntry.objects.filter(worker__in=visible_jht_accounts(user))

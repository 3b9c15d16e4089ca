"""The regional programmes' API schemas and the presenters that fill them (a programme, its budget use,
a beneficiary list with its rows, the planner, the follow-up list); the endpoints are ``api.programmes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from paritrana.api.schemas import Body, Page, RowErrorOut, stored_rows_out
from paritrana.programmes.models import BeneficiaryList, FundingSource, LegalBasis, Programme
from paritrana.programmes.services import budget

MONTH_PATTERN = r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])$"
MAX_BUDGET = 10**15


class ProgrammeIn(Body):
    region: str | None = Field(None, max_length=13, description="region code; a regional officer: its own (default)")
    name: str = Field(max_length=160)
    legal_basis_type: str = Field(description=", ".join(LegalBasis.values))
    legal_basis_number: str = Field(max_length=80)
    legal_basis_date: dt.date
    budget_year: int = Field(ge=2015, le=2100)
    budget_amount: int = Field(ge=1, le=MAX_BUDGET, description="whole rupiah")
    funding_source: str = Field("apbd", description=", ".join(FundingSource.values))
    province_share_bp: int | None = Field(
        None, ge=0, le=10_000, description="the province's share of the cost, basis points (3000 = 30 %)"
    )
    occupations: list[str] = Field(default_factory=list, max_length=30, description="eligible occupations (codes)")
    min_age: int = Field(18, ge=0, le=120)
    max_age: int = Field(65, ge=0, le=120)


class RenewIn(Body):
    legal_basis_number: str = Field(max_length=80)
    legal_basis_date: dt.date
    budget_amount: int = Field(ge=1, le=MAX_BUDGET)


class ProgrammeOut(Schema):
    id: int
    name: str
    region: str = Field(description="region code")
    region_name: str
    legal_basis_type: str
    legal_basis_number: str
    legal_basis_date: dt.date
    budget_year: int
    budget_amount: int
    funding_source: str
    province_share_bp: int
    regency_share_bp: int
    occupations: list[str]
    min_age: int
    max_age: int
    package: str
    sponsor: int = Field(description="the registry sponsor the billing bills")
    renewed_from: int | None


class MonthUseOut(Schema):
    period: str
    people: int
    price: int
    committed: int
    billed: int
    paid: int
    billed_people: int


class BillRef(Schema):
    id: int
    period: str
    kind: str
    amount: int
    paid: int


class BudgetOut(Schema):
    budget: int
    spent: int = Field(description="payments recorded on the programme's payer")
    remaining: int = Field(description="budget − spent")
    billed: int
    outstanding: int
    committed: int = Field(description="the enrolled people to 31 December, each month at its price")
    uncommitted: int
    enrolled: int
    payer: int | None
    months: list[MonthUseOut]
    bills: list[BillRef]


class ProgrammeDetailOut(ProgrammeOut):
    budget_use: BudgetOut


class ProgrammePage(Page):
    items: list[ProgrammeOut]


class ListOut(Schema):
    id: int
    programme: int
    file_name: str
    status: str = Field(description="preview (nobody enrolled yet), confirmed, discarded")
    uploaded_at: dt.datetime
    enrol_on: dt.date
    row_count: int
    valid_count: int = Field(description="rows that the confirmation enrols")
    error_count: int
    reported_count: int = Field(description="valid rows of people already protected: not enrolled")
    enrolled_count: int
    errors: list[RowErrorOut]
    reported: list[RowErrorOut]


class BeneficiaryOut(Schema):
    id: int
    worker: int
    nik: str
    name: str
    occupation: str
    village_code: str
    enrolled_on: dt.date
    ends_on: dt.date


class BeneficiaryPage(Page):
    items: list[BeneficiaryOut]


class PlanRowOut(Schema):
    months: int
    per_person: int
    people: int


class PlanOut(Schema):
    start: str
    months: int
    transport: bool
    per_person_month: int
    per_person: int
    budget: int | None
    people_for_budget: int | None
    leftover: int | None
    target: int | None
    cost_for_target: int | None
    table: list[PlanRowOut]
    rule: str


class FollowUpRow(Schema):
    employer: int
    name: str
    region: str
    workers: int
    paid_up: int
    below_minimum_wage: int
    missing_programme: int
    signs: list[str]


class FollowUpOut(Schema):
    period: str
    employers: int
    truncated: bool
    items: list[FollowUpRow]


def programme_out(p: Programme) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "region": p.region.code,
        "region_name": p.region.name,
        "legal_basis_type": p.legal_basis_type,
        "legal_basis_number": p.legal_basis_number,
        "legal_basis_date": p.legal_basis_date,
        "budget_year": p.budget_year,
        "budget_amount": p.budget_amount,
        "funding_source": p.funding_source,
        "province_share_bp": p.province_share_bp,
        "regency_share_bp": p.regency_share_bp,
        "occupations": list(p.occupations),
        "min_age": p.min_age,
        "max_age": p.max_age,
        "package": p.package,
        "sponsor": p.sponsor_id,
        "renewed_from": p.renewed_from_id,
    }


def detail_out(p: Programme) -> dict[str, Any]:
    use = budget.budget_use(p)
    months = [
        {
            "period": f"{m.period:%Y-%m}",
            "people": m.people,
            "price": m.price,
            "committed": m.committed,
            "billed": m.billed,
            "paid": m.paid,
            "billed_people": m.billed_people,
        }
        for m in use.months
    ]
    bills = [
        {"id": b.pk, "period": f"{b.period:%Y-%m}", "kind": b.kind, "amount": b.amount, "paid": b.paid}
        for b in use.bills
    ]
    return {
        **programme_out(p),
        "budget_use": {
            "budget": use.budget,
            "spent": use.spent,
            "remaining": use.remaining,
            "billed": use.billed,
            "outstanding": use.outstanding,
            "committed": use.committed,
            "uncommitted": use.uncommitted,
            "enrolled": use.enrolled,
            "payer": use.payer.pk if use.payer else None,
            "months": months,
            "bills": bills,
        },
    }


def list_out(lst: BeneficiaryList) -> dict[str, Any]:
    return {
        "id": lst.pk,
        "programme": lst.programme_id,
        "file_name": lst.file_name,
        "status": lst.status,
        "uploaded_at": lst.uploaded_at,
        "enrol_on": lst.enrol_on,
        "row_count": lst.row_count,
        "valid_count": lst.valid_count,
        "error_count": lst.error_count,
        "reported_count": lst.reported_count,
        "enrolled_count": lst.enrolled_count,
        "errors": stored_rows_out(lst.errors),
        "reported": stored_rows_out(lst.reported),
    }

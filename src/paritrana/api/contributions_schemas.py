"""The contributions API's schemas: what a bill, a payer, a payment, a JHT statement, a worker's months and an
employer's compliance look like on the wire (the routes are in ``api/contributions.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from paritrana.api.schemas import MAX_RUPIAH, Body, Page, WorkerRef

REFERENCE = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\x00]*\S[^\x00]*$")]


class PayerRef(Schema):
    id: int
    kind: str
    name: str
    identifier: str = Field(description="an employer's registration number, a worker's NIK, or a sponsor's kind")


class BillOut(Schema):
    id: int
    payer: PayerRef
    period: str = Field(description="the month billed, YYYY-MM")
    kind: str = Field(description="contribution or penalty")
    due_date: dt.date
    amount: int = Field(description="sum of the lines, rupiah")
    paid: int = Field(description="sum of the payments applied, rupiah")
    outstanding: int
    paid_at: dt.date | None = Field(description="the day it was paid in full")
    status: str = Field(description="paid, open or overdue")


class BillLineOut(Schema):
    id: int
    worker: WorkerRef | None
    programme: str
    kind: str = Field(description="contribution, adjustment or penalty")
    wage: int = Field(description="wage or income basis, rupiah")
    amount: int
    worker_share: int = Field(description="of the amount, deducted from the worker's wage")
    rule: str = Field(description="the rule that computed the line (see /api/rules/{name})")
    law_date: dt.date = Field(description="the date whose law the rule applied")
    note: str


class AllocationOut(Schema):
    payment: int | None = Field(description="payment id; empty when applied from the payer's credit")
    reference: str | None
    amount: int = Field(description="negative when an adjustment released money to the payer's credit")
    allocated_on: dt.date


class RuleUsedOut(Schema):
    name: str
    title: str
    reference: str = Field(description="the legal reference of the rule")
    law_dates: list[dt.date]


class ProgrammeTotalOut(Schema):
    programme: str = Field(description="JKK, JKM, JHT, JP, JKP; empty for lines of no programme (a penalty)")
    lines: int
    amount: int = Field(description="rupiah")
    worker_share: int = Field(description="of which deducted from the wages, rupiah")


class BillDetail(BillOut):
    programmes: list[ProgrammeTotalOut] = Field(description="the lines summed per programme")
    lines: list[BillLineOut]
    allocations: list[AllocationOut]
    rules: list[RuleUsedOut]


class BillPage(Page):
    items: list[BillOut]


class ArrearsBill(Schema):
    bill: int
    period: str
    kind: str
    due_date: dt.date
    outstanding: int
    months_late: int
    penalty_if_paid_today: int = Field(description="the late-payment penalty booked if paid in full today")


class PayerOut(PayerRef):
    employer: int | None
    worker: int | None
    sponsor: int | None
    credit: int = Field(description="money received and not yet applied to a bill, rupiah")
    payment_code: str = Field(description="the virtual-account number the payer transfers to (prefix, payer, Luhn)")
    open_amount: int = Field(description="outstanding on all its bills, rupiah")
    arrears_amount: int = Field(description="outstanding on bills past their due date, rupiah")
    arrears: list[ArrearsBill]


class PayerSummary(PayerRef):
    credit: int
    open_amount: int


class PayerPage(Page):
    items: list[PayerSummary]


class PaymentIn(Body):
    amount: int = Field(ge=1, le=MAX_RUPIAH, description="rupiah")
    paid_on: dt.date = Field(description="the day the money was paid")
    reference: REFERENCE = Field(description="the bank's reference; posted once per payer")


class PaymentAllocationOut(Schema):
    bill: int
    period: str
    amount: int


class PaymentOut(Schema):
    id: int
    payer: int
    amount: int
    paid_on: dt.date
    reference: str
    allocations: list[PaymentAllocationOut]
    payer_credit: int = Field(description="the payer's credit after this payment")


class PaymentPage(Page):
    items: list[PaymentOut]


class ArrearsPayer(PayerRef):
    overdue_bills: int
    oldest_due: dt.date
    overdue_amount: int


class ArrearsPage(Page):
    on: dt.date
    items: list[ArrearsPayer]


class StatementEntryOut(Schema):
    value_date: dt.date
    kind: str = Field(description="contribution, return or withdrawal")
    amount: int = Field(description="rupiah; a withdrawal is negative")
    balance: int = Field(description="the balance after this entry")
    reference: str
    year: int | None = Field(description="the year of a yearly return")


class StatementOut(Schema):
    worker: WorkerRef
    start: dt.date
    end: dt.date
    opening_balance: int = Field(description="the balance at the end of the day before start")
    closing_balance: int = Field(description="the balance at the end of the day end")
    totals: dict[str, int] = Field(description="the period's sum per kind: contribution, return, withdrawal")
    entries: list[StatementEntryOut]
    rules: list[RuleUsedOut]


class MonthStatusOut(Schema):
    month: str = Field(description="YYYY-MM")
    status: str = Field(description="paid, unpaid, not yet due or not billed")


class WorkerStatusOut(Schema):
    worker: WorkerRef
    on: dt.date = Field(description="the day the status is read on")
    months: list[MonthStatusOut] = Field(description="newest first")


class MinimumWageOut(Schema):
    region: str = Field(description="region code")
    valid_from: dt.date
    amount: int
    reference: str = Field(description="the decree")


class FlaggedWorkerOut(Schema):
    worker: WorkerRef
    wage: int = Field(description="the month's wage as billing takes it, rupiah")
    below_minimum_wage: bool
    missing_programmes: list[str]
    reasons: list[str]


class ComplianceOut(Schema):
    employer: int
    period: str = Field(description="YYYY-MM")
    workers: int = Field(description="wage earners with a membership in force in the month")
    paid_up: int = Field(description="of them, paid for the month")
    share_paid_up: str | None = Field(
        description="paid_up / workers as an exact fraction, e.g. 2/3; empty without workers"
    )
    required_programmes: list[str]
    minimum_wage: MinimumWageOut | None
    below_minimum_wage: int = Field(description="PDS upah: workers whose wage is below the regional minimum wage")
    missing_programme: int = Field(description="PDS program: workers missing a required programme")
    flagged: list[FlaggedWorkerOut]

"""The records of contributions, a module a concern. Money is whole rupiah in ``BigIntegerField``; a month is the
date of its first day.

- ``wages``: wage reports and their files, regional minimum wages.
- ``bills``: payers, bills and their lines, billing runs.
- ``payments``: payments and their allocations to bills.
- ``ledger``: the JHT individual account as a ledger.
- ``bank``: the bank's money: statements, their lines and the exceptions queue, manual payments (decision 0009).
"""

from paritrana.contributions.models.bank import BankStatement, ManualPayment, StatementLine
from paritrana.contributions.models.bills import Bill, BillingRun, BillLine, BillQuerySet, Payer
from paritrana.contributions.models.ledger import JhtEntry, JhtEntryQuerySet
from paritrana.contributions.models.payments import Allocation, Payment
from paritrana.contributions.models.wages import RegionalMinimumWage, WageReport, WageUpload

__all__ = [
    "Allocation",
    "BankStatement",
    "Bill",
    "BillLine",
    "BillQuerySet",
    "BillingRun",
    "JhtEntry",
    "JhtEntryQuerySet",
    "ManualPayment",
    "Payer",
    "Payment",
    "RegionalMinimumWage",
    "StatementLine",
    "WageReport",
    "WageUpload",
]

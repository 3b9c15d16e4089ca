"""Documents of contributions: a bill and a JHT statement, as data for a page and as a PDF.

``bill_document`` gathers what a bill shows (payer, lines with the rule and the law's date of each,
allocations, totals, the legal references of the rules used) within the caller's scope; the web page,
the API and the PDF all read it. The PDFs are rendered with WeasyPrint from Django templates
(``documents/*.html``) in the language asked for, with rupiah written the way that language writes
them (Rp 1.234.567 in Bahasa Indonesia, Rp 1,234,567 in English). Fonts are the system's DejaVu;
nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions.models import Allocation, Bill, BillLine, BillQuerySet, Payer
from paritrana.contributions.paycode import grouped, payment_code
from paritrana.contributions.scopes import visible_bills, visible_payers
from paritrana.contributions.workflow import BillStatus
from paritrana.core.errors import NotFound, ValidationFailed
from paritrana.registry.models import Programme
from paritrana.rules import UnknownRule, get_rule

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
_STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def language(lang: str | None) -> str:
    """``lang`` if it is one of the site's languages; the active language when empty; else a ValidationFailed."""
    if not lang:
        current = translation.get_language() or settings.LANGUAGE_CODE
        return current if current in LANGUAGES else settings.LANGUAGE_CODE
    if lang not in LANGUAGES:
        raise ValidationFailed(
            "lang", f"{lang!r} is not a language of the documents; use one of {', '.join(LANGUAGES)}"
        )
    return lang


def rupiah(amount: int, lang: str | None = None) -> str:
    """``Rp 1.234.567`` (Bahasa Indonesia) or ``Rp 1,234,567`` (English): the active language when ``lang`` is None.

    The same text as the templates' ``Rp {{ amount|floatformat:"0g" }}`` (a negative amount: ``Rp -1.200``).
    """
    with translation.override(lang or translation.get_language()):
        return "Rp " + number_format(int(amount), decimal_pos=0, use_l10n=True, force_grouping=True)


def payer_name(payer: Payer) -> str:
    party = payer.employer or payer.worker or payer.sponsor
    return party.name if party is not None else str(payer)


def payer_identifier(payer: Payer) -> str:
    """What identifies the payer on paper: an employer's registration number, a worker's NIK, a sponsor's kind."""
    if payer.employer is not None:
        return payer.employer.registration_number
    if payer.worker is not None:
        return payer.worker.nik
    if payer.sponsor is not None:
        return str(payer.sponsor.get_kind_display())
    return ""


@dataclass(frozen=True)
class RuleUsed:
    """A rule some lines of a bill were computed by, with the dates of the law it read."""

    name: str
    title: str
    reference: str
    law_dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class ProgrammeTotal:
    """A bill's lines of one programme (``""``: lines of no programme, such as a penalty), summed."""

    programme: str
    lines: int
    amount: int
    worker_share: int


def programme_totals(lines: QuerySet[BillLine]) -> list[ProgrammeTotal]:
    """The bill's lines summed per programme by the database, in the programmes' order."""
    sums = (
        lines.order_by()
        .values("programme")
        .annotate(n=Count("pk"), amount_sum=Sum("amount"), share_sum=Sum("worker_share"))
    )
    return in_programme_order(
        [ProgrammeTotal(row["programme"], row["n"], row["amount_sum"], row["share_sum"]) for row in sums]
    )


def in_programme_order(totals: list[ProgrammeTotal]) -> list[ProgrammeTotal]:
    """JKK, JKM, JHT, JP, JKP as the registry orders them; lines without a programme (a penalty) last."""
    order = {code: i for i, code in enumerate(Programme.values)}
    return sorted(totals, key=lambda t: order.get(t.programme, len(order)))


def kind_totals(lines: QuerySet[BillLine]) -> dict[str, int]:
    """The bill's amounts per kind of line (contribution, adjustment, penalty) and the workers' share."""
    totals = dict.fromkeys(BillLine.Kind.values, 0)
    for row in lines.order_by().values("kind").annotate(amount_sum=Sum("amount")):
        totals[row["kind"]] = row["amount_sum"]
    totals["worker_share"] = lines.aggregate(share=Sum("worker_share"))["share"] or 0
    return totals


@dataclass
class BillDocument:
    """The one presenter of a bill: the page, the PDF and the API (``as_api``) all read it."""

    bill: Bill
    payer: Payer
    payer_name: str
    payer_identifier: str
    lines: list[BillLine]
    allocations: list[Allocation]
    rules: list[RuleUsed]
    totals: dict[str, int] = field(default_factory=dict)
    penalty_rule: RuleUsed | None = None
    programmes: list[ProgrammeTotal] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return self.bill.amount - self.bill.paid

    @property
    def payment_code(self) -> str:
        """The payer's virtual account, in groups of four digits (decision 0009)."""
        return grouped(payment_code(self.payer.pk))

    def is_overdue(self, on: dt.date | None = None) -> bool:
        return self.bill.status_on(on or timezone.localdate()) == BillStatus.OVERDUE

    def as_api(self, today: dt.date) -> dict[str, Any]:
        """The bill as the API gives it (``BillDetail``)."""
        return {
            **bill_summary(self.bill, today),
            "programmes": [vars(p) for p in self.programmes],
            "lines": [line_summary(line) for line in self.lines],
            "allocations": [
                {
                    "payment": a.payment_id,
                    "reference": a.payment.reference if a.payment is not None else None,
                    "amount": a.amount,
                    "allocated_on": a.allocated_on,
                }
                for a in self.allocations
            ],
            "rules": [
                {"name": r.name, "title": r.title, "reference": r.reference, "law_dates": list(r.law_dates)}
                for r in self.rules
            ],
        }


def payer_summary(payer: Payer) -> dict[str, Any]:
    return {"id": payer.pk, "kind": payer.kind, "name": payer_name(payer), "identifier": payer_identifier(payer)}


def bill_summary(bill: Bill, today: dt.date) -> dict[str, Any]:
    """A bill in a list (``BillOut``): its amounts and its status on ``today``."""
    return {
        "id": bill.pk,
        "payer": payer_summary(bill.payer),
        "period": f"{bill.period:%Y-%m}",
        "kind": bill.kind,
        "due_date": bill.due_date,
        "amount": bill.amount,
        "paid": bill.paid,
        "outstanding": bill.outstanding,
        "paid_at": bill.paid_at,
        "status": str(bill.status_on(today)),
    }


def line_summary(line: BillLine) -> dict[str, Any]:
    worker = line.worker
    return {
        "id": line.pk,
        "worker": {"id": worker.pk, "nik": worker.nik, "name": worker.name} if worker is not None else None,
        **{f: getattr(line, f) for f in ("programme", "kind", "wage", "amount", "worker_share", "rule", "law_date")},
        "note": line.note,
    }


def rules_used(lines: QuerySet[BillLine]) -> list[RuleUsed]:
    """The rules of ``lines``, each once, with its title (in the active language) and legal reference."""
    dates: dict[str, set[dt.date]] = {}
    for rule, law_date in lines.order_by().values_list("rule", "law_date").distinct():
        dates.setdefault(rule, set()).add(law_date)
    return [_rule_used(name, tuple(sorted(dates[name]))) for name in sorted(dates)]


def _rule_used(name: str, law_dates: tuple[dt.date, ...]) -> RuleUsed:
    try:
        rule = get_rule(name)
    except UnknownRule:
        return RuleUsed(name, name, "", law_dates)
    return RuleUsed(name, _(rule.title), rule.reference, law_dates)


def bill_queryset(user: AnyUser | None) -> BillQuerySet:
    return visible_bills(user).select_related(
        "payer__employer", "payer__worker", "payer__sponsor", "payer__employer__region"
    )


def bill_document(user: AnyUser | None, bill_id: int, with_lines: bool = True) -> BillDocument:
    """A bill in the caller's scope with its allocations and totals (summed by the database), and its lines
    unless ``with_lines`` is false (the page shows them a page at a time); NotFound when absent or out of scope."""
    bill = bill_queryset(user).filter(pk=bill_id).first()
    if bill is None:
        raise NotFound(f"bill {bill_id} does not exist")
    all_lines = bill.lines.all()
    lines = list(bill_lines(bill).order_by("worker__name", "worker_id", "programme", "id")) if with_lines else []
    return BillDocument(
        bill=bill,
        payer=bill.payer,
        payer_name=payer_name(bill.payer),
        payer_identifier=payer_identifier(bill.payer),
        lines=lines,
        allocations=list(bill.allocations.select_related("payment").order_by("allocated_on", "id")),
        rules=rules_used(all_lines),
        totals=kind_totals(all_lines),
        penalty_rule=None if bill.kind == Bill.Kind.PENALTY else _rule_used("late_payment_penalty", ()),
        programmes=programme_totals(all_lines),
    )


def bill_lines(bill: Bill) -> QuerySet[BillLine]:
    """A bill's lines with their workers (the bill already checked in the caller's scope)."""
    return bill.lines.select_related("worker")


def payers_in_arrears(user: AnyUser | None, today: dt.date) -> QuerySet[Payer]:
    """Payers in scope with bills past their due date and not fully paid, the largest amount owed first."""
    overdue = Q(bills__due_date__lt=today, bills__paid__lt=F("bills__amount"))
    return (
        visible_payers(user)
        .annotate(
            overdue_bills=Count("bills", filter=overdue),
            overdue_amount=Sum(F("bills__amount") - F("bills__paid"), filter=overdue),
            oldest_due=Min("bills__due_date", filter=overdue),
        )
        .filter(overdue_bills__gt=0)
        .order_by("-overdue_amount", "pk")
    )


def _fetch_local(url: str) -> dict[str, Any]:
    """WeasyPrint's URL fetcher: files of the application's static folder only, never the network."""
    from weasyprint.urls import default_url_fetcher  # type: ignore[import-untyped]

    if url.startswith("file://"):
        path = Path(url.removeprefix("file://")).resolve()
        if path.is_relative_to(_STATIC.resolve()):
            return default_url_fetcher(url)
    raise ValueError(f"documents do not fetch {url}")


def render_pdf(template: str, context: dict[str, Any], lang: str) -> bytes:
    """The PDF of ``template`` rendered with ``context`` in ``lang``."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    with translation.override(lang):
        html = render_to_string(template, {**context, "lang": lang})
    document = HTML(string=html, base_url=str(_STATIC), url_fetcher=_fetch_local)
    return document.write_pdf()


@dataclass(frozen=True)
class Pdf:
    content: bytes
    file_name: str
    lang: str

    def response(self) -> HttpResponse:
        """The PDF to download, named for what it is (the page's and the API's answer alike)."""
        response = HttpResponse(self.content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{self.file_name}"'
        response["Content-Language"] = self.lang
        return response


def bill_pdf(user: AnyUser | None, bill_id: int, lang: str | None = None) -> Pdf:
    """The bill as a PDF in ``lang`` (the active language when empty); NotFound out of scope."""
    lang = language(lang)
    with translation.override(lang):
        doc = bill_document(user, bill_id)
    content = render_pdf("documents/bill.html", {"doc": doc, "printed_on": timezone.localdate()}, lang)
    party = doc.payer.employer.registration_number if doc.payer.employer else f"payer-{doc.payer.pk}"
    return Pdf(content, f"bill-{_safe(party)}-{doc.bill.period:%Y-%m}-{doc.bill.kind}-{lang}.pdf", lang)


def _safe(text: str) -> str:
    """``text`` fit for a file name in a Content-Disposition header: letters, digits, dot, dash, underscore."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "x"


# ---- the JHT statement ----


@dataclass
class StatementDocument:
    """A worker's JHT statement (``ledger.statement``) with the legal references of its entries."""

    statement: Any  # services.ledger.Statement
    rules: list[RuleUsed]

    @property
    def worker(self) -> Any:
        return self.statement.worker


EARLIEST = dt.date(1900, 1, 1)
# the rules behind a JHT account's entries: contributions credited from bills, the yearly return
STATEMENT_RULES = ("pu_contributions", "bpu_contributions", "jht_yearly_return")


def statement_document(user: AnyUser | None, worker_id: int, start: dt.date, end: dt.date) -> StatementDocument:
    """The JHT statement of ``worker_id`` from ``start`` to ``end`` in the caller's scope (NotFound otherwise)."""
    from paritrana.contributions.services import ledger

    if start < EARLIEST:
        raise ValidationFailed("start", f"{start.isoformat()} is before {EARLIEST.isoformat()}: no account is that old")
    statement = ledger.statement(user, worker_id, start, end)
    return StatementDocument(statement, [_rule_used(name, ()) for name in STATEMENT_RULES])


def statement_pdf(user: AnyUser | None, worker_id: int, start: dt.date, end: dt.date, lang: str | None = None) -> Pdf:
    """The JHT statement as a PDF in ``lang`` (the active language when empty)."""
    lang = language(lang)
    with translation.override(lang):
        doc = statement_document(user, worker_id, start, end)
    context = {"doc": doc, "s": doc.statement, "printed_on": timezone.localdate()}
    content = render_pdf("documents/statement.html", context, lang)
    return Pdf(content, f"jht-statement-{_safe(doc.worker.nik)}-{start:%Y%m%d}-{end:%Y%m%d}-{lang}.pdf", lang)

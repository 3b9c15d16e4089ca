"""Money from the bank: importing a statement, matching its lines, the exceptions queue (decision 0009).

``import_statement(user, stream, file_name)`` reads the file three times, never holding it: its
SHA-256; then every line checked (a file with any bad row stores nothing and answers every error,
naming row and field); then, in one transaction, each credit line stored and matched:

- its payment code names a payer (``paycode.payer_of_code``: prefix, length, Luhn digit) that
  exists, else **unknown code**;
- a line with the same code, amount and value date already stored (a second transfer of the same
  money) is a **duplicate**;
- the amount equals what the payer owes on its oldest open bill, or on its oldest two, three…
  (less its credit): **matched**, posted at once by ``payments.record_payment`` (the one allocator:
  oldest bill first, penalties when late, JHT credited);
- otherwise **over-payment** (more than everything open) or **under-payment**.

Exceptions wait in the queue until an officer resolves them (``resolve``): allocate (to the line's
payer or one the officer names; posted like a match), return to the sender, or mark duplicate;
who and when are recorded, and the database refuses a resolution without them.

Once only: a file once (a unique SHA-256, inserted first, so a concurrent import of the same file
waits for the first and is then refused), a bank line once (unique account and bank reference; a
line already stored by an earlier, overlapping statement is skipped and counted), a payment once
per payer and reference (``Payment``'s constraint).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import BinaryIO

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.contributions import bankfile
from paritrana.contributions.bankfile import BankLine, Debit, RowError
from paritrana.contributions.models import BankStatement, Bill, Payer, StatementLine
from paritrana.contributions.paycode import payer_of_code
from paritrana.contributions.periods import shown_date
from paritrana.contributions.scopes import (
    can_handle_payments,
    can_import_statements,
    visible_payers,
    visible_statement_lines,
)
from paritrana.contributions.services.payments import record_payment
from paritrana.contributions.workflow import EXCEPTION_ACTIONS, exception_actions, is_open_exception
from paritrana.core import progress
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed

CHUNK = 1 << 16
Problem = StatementLine.Problem
Resolution = StatementLine.Resolution
ACTIONS = EXCEPTION_ACTIONS


@dataclass
class ImportResult:
    """What an import did, or (``statement`` None) why it stored nothing."""

    file_name: str
    format: str
    statement: BankStatement | None = None
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    lines: int = 0
    debits: int = 0
    credit_total: int = 0
    debit_total: int = 0
    matched: int = 0
    exceptions: int = 0
    already_imported: int = 0
    preview: bool = False  # counted as if imported, then rolled back: nothing stored

    @property
    def stored(self) -> bool:
        return self.statement is not None


def _by(user: AnyUser | None) -> AnyUser | None:
    return user if user is not None and user.is_authenticated else None


def _by_id(user: AnyUser | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _sha256(stream: BinaryIO) -> tuple[str, int]:
    """The file's SHA-256 and its lines (counted on the way, for its progress)."""
    stream.seek(0)
    digest = hashlib.sha256()
    lines, last = 0, b"\n"
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    stream.seek(0)
    return digest.hexdigest(), lines + (last != b"\n")


def _items(stream: BinaryIO, fmt: str, today: dt.date) -> Iterator[bankfile.Item]:
    stream.seek(0)
    yield from bankfile.read_statement(stream, fmt, today=today)


def _check_file(stream: BinaryIO, result: ImportResult, today: dt.date, lines: int) -> None:
    """The first pass: count, total and collect errors (at most ``MAX_ERRORS`` kept); the file's row reached
    reported against its ``lines``."""
    tracker = progress.current()
    tracker.begin(progress.ROWS, lines)
    for item in _items(stream, result.format, today):
        if item.row is not None:
            tracker.advance(item.row)
        if isinstance(item, RowError):
            result.error_count += 1
            if len(result.errors) < bankfile.MAX_ERRORS:
                result.errors.append(item)
        elif isinstance(item, Debit):
            result.debits += 1
            result.debit_total += item.amount
        else:
            result.lines += 1
            result.credit_total += item.amount
    if result.error_count == 0 and result.lines == 0:
        result.error_count = 1
        result.errors.append(RowError(None, bankfile.FILE, bankfile.Msg.EMPTY))


def _already(sha: str) -> ValidationFailed | None:
    earlier = BankStatement.objects.filter(sha256=sha).first()
    if earlier is None:
        return None
    return ValidationFailed(
        "file",
        _("this file was imported on %(date)s as statement %(id)s; a statement is imported once")
        % {"date": shown_date(timezone.localtime(earlier.imported_at).date()), "id": earlier.pk},
    )


def _open_amounts(payer: Payer) -> list[int]:
    return [
        amount - paid
        for amount, paid in Bill.objects.filter(payer=payer, paid__lt=F("amount"))
        .order_by("due_date", "period", "id")
        .values_list("amount", "paid")
    ]


def classify(line: BankLine, payer: Payer | None) -> tuple[str, int]:
    """The line's problem ('' when it matches) and what the payer owed; the payer is locked by the caller."""
    if payer is None:
        return Problem.UNKNOWN_CODE, 0
    if StatementLine.objects.filter(
        payment_code=line.payment_code, amount=line.amount, value_date=line.value_date
    ).exists():
        return Problem.DUPLICATE, 0
    owed = 0
    needs = []
    for outstanding in _open_amounts(payer):
        owed += outstanding
        needs.append(owed - payer.credit)
    expected = max(owed - payer.credit, 0)
    if line.amount in needs:
        return Problem.NONE, expected
    return (Problem.OVERPAID if line.amount > expected else Problem.UNDERPAID), expected


def _store_line(statement: BankStatement, line: BankLine, user: AnyUser | None) -> StatementLine:
    payer_id = payer_of_code(line.payment_code)
    payer = Payer.objects.select_for_update().filter(pk=payer_id).first() if payer_id else None
    problem, expected = classify(line, payer)
    payment = None
    if problem == Problem.NONE and payer is not None:
        try:
            payment = record_payment(
                None, payer.pk, line.amount, line.value_date, line.bank_reference, recorded_by=_by(user)
            )
        except ValidationFailed:  # the reference already posted for this payer (e.g. a confirmed manual entry)
            problem = Problem.DUPLICATE
    read = asdict(line)  # the statement's fields as the file gave them, its row as the line's number
    return StatementLine.objects.create(
        statement=statement,
        line_no=read.pop("row"),
        **read,
        payer=payer,
        status=StatementLine.Status.MATCHED if payment is not None else StatementLine.Status.EXCEPTION,
        problem="" if payment is not None else problem,
        expected=expected,
        payment=payment,
    )


def import_statement(
    user: AnyUser | None,
    stream: BinaryIO,
    file_name: str,
    *,
    today: dt.date | None = None,
    on_line: Callable[[int, int], None] | None = None,
    preview: bool = False,
) -> ImportResult:
    """Import a bank statement (CSV or MT940; see the module's docstring). ``stream`` is a seekable binary
        file. Only the administrator (or the system, ``user=None``); ``NotAllowed`` otherwise. A file
        imported before is ``ValidationFailed('file')``; a file with bad rows answers its errors, storing
        nothing. ``on_line(done, total)`` is called after each line stored (and the lines read and stored are
        reported to ``core.progress``). ``preview``: everything is done
    and counted in a transaction that is then rolled back (``result.preview``; nothing stays stored)."""
    if user is not None and not can_import_statements(user):
        raise NotAllowed(_("only the agency administrator imports bank statements"))
    today = today or timezone.localdate()
    stream.seek(0)
    fmt = bankfile.detect_format(file_name, stream.read(64))
    result = ImportResult(file_name=file_name[:255], format=fmt)
    sha, lines = _sha256(stream)
    if (refused := _already(sha)) is not None:
        raise refused
    _check_file(stream, result, today, lines)
    if result.error_count:
        return result
    try:
        with transaction.atomic():
            # first: a concurrent import of the same file waits here for this one, then is refused
            statement = BankStatement.objects.create(
                file_name=result.file_name,
                format=fmt,
                sha256=sha,
                imported_by_id=_by_id(user),
                credit_total=result.credit_total,
                debit_total=result.debit_total,
            )
            done = 0
            tracker = progress.current()
            tracker.begin(progress.STORING, result.lines)
            for item in _items(stream, fmt, today):
                if not isinstance(item, BankLine):
                    continue
                if not statement.account and item.account:
                    statement.account = item.account
                done += 1
                if StatementLine.objects.filter(account=item.account, bank_reference=item.bank_reference).exists():
                    result.already_imported += 1
                else:
                    stored = _store_line(statement, item, user)
                    if stored.status == StatementLine.Status.MATCHED:
                        result.matched += 1
                    else:
                        result.exceptions += 1
                tracker.advance(done)
                if on_line is not None:
                    on_line(done, result.lines)
            statement.line_count = result.lines
            statement.matched_count = result.matched
            statement.exception_count = result.exceptions
            statement.already_imported = result.already_imported
            statement.save()
            if preview:
                transaction.set_rollback(True)
    except IntegrityError:
        if (refused := _already(sha)) is not None:
            raise refused from None
        raise ValidationFailed(
            "file",
            _("lines of this file were imported by another import at the same time; import it again"),
        ) from None
    if preview:
        result.preview = True
        return result
    result.statement = statement
    return result


# ---- the exceptions queue ----


def exceptions_queue(
    user: AnyUser | None, *, state: str = "open", search: str = "", problem: str = ""
) -> QuerySet[StatementLine]:
    """Exception lines the user sees: ``state`` open, resolved or all; ``search`` in the code, reference,
    description or payer's number; ``problem`` one of the problems."""
    if not can_handle_payments(user):
        raise NotAllowed(_("your role does not handle the bank's payments"))
    qs = visible_statement_lines(user).filter(status=StatementLine.Status.EXCEPTION)
    if state == "open":
        qs = qs.filter(resolution="")
    elif state == "resolved":
        qs = qs.exclude(resolution="")
    if problem:
        qs = qs.filter(problem=problem)
    search = (search or "").strip()[:60]
    if search:
        q = Q(payment_code__icontains=search) | Q(bank_reference__icontains=search) | Q(description__icontains=search)
        if search.isdigit() and len(search) < 12:
            q |= Q(payer_id=int(search))
        qs = qs.filter(q)
    return qs.order_by("value_date", "statement_id", "line_no")


def resolve(
    user: AnyUser | None, line_id: int, action: str, *, payer_id: int | None = None, note: str = ""
) -> StatementLine:
    """Resolve an open exception: ``allocate`` (to ``payer_id``, or the line's payer), ``return`` (the
    money goes back to the sender; a note saying how is required) or ``duplicate``. The line is locked:
    two officers resolving it at once resolve it once."""
    if not can_handle_payments(user):
        raise NotAllowed(_("your role does not handle the bank's payments"))
    if action not in ACTIONS:
        raise ValidationFailed("action", _("choose allocate, return or duplicate"))
    note = " ".join((note or "").split())
    if len(note) > 200:
        raise ValidationFailed("note", _("at most %(n)s characters, not %(got)s") % {"n": 200, "got": len(note)})
    if action == "return" and not note:
        raise ValidationFailed("note", _("say how the money is returned (the transfer's reference)"))
    visible = visible_statement_lines(user)
    if not isinstance(line_id, int) or not visible.filter(pk=line_id).exists():
        raise NotFound(_("no statement line with id %(id)s") % {"id": line_id})
    with transaction.atomic():
        line = StatementLine.objects.select_for_update().get(pk=line_id)
        if not is_open_exception(line.status, line.resolution):
            raise ValidationFailed("action", _("this line is already resolved"))
        if action == "allocate":
            target = payer_id if payer_id is not None else line.payer_id
            if target is None:
                raise ValidationFailed("payer", _("name the payer the money belongs to"))
            payer = visible_payers(user).filter(pk=target).first()
            if payer is None:
                raise NotFound(_("no payer with id %(id)s") % {"id": target})
            line.payment = record_payment(
                None, payer.pk, line.amount, line.value_date, line.bank_reference, recorded_by=_by(user)
            )
            line.payer = payer
            line.resolution = Resolution.ALLOCATED
        else:
            line.resolution = Resolution.RETURNED if action == "return" else Resolution.DUPLICATE
        line.resolved_by_id = _by_id(user)
        line.resolved_at = timezone.now()
        line.resolution_note = note
        line.save()
    return line


def allowed_actions(line: StatementLine) -> list[str]:
    """What an officer may do with an open exception (an unknown code must name a payer to allocate)."""
    return list(exception_actions(line.status, line.resolution))


def statements(user: AnyUser | None) -> QuerySet[BankStatement]:
    if not can_import_statements(user):
        raise NotAllowed(_("only the agency administrator sees the bank statements"))
    return BankStatement.objects.all()

"""Monthly billing: a bill per payer and month, a line per worker and programme, computed by the rules.

``run_billing(period)`` bills a contribution month (the date of its first day) for the
whole registry, in bulk (``paritrana.contributions.billing_batch``: one extract query per
scheme, the rules engine over all workers at once on DuckDB, bulk loading). The readings
chosen, where the issue or the law leaves a choice:

**Who is billed.** Workers with a membership in force at some time in the month (start on
or before its last day, no end or an end on or after its first day); a month begun or
ended counts in full (no pro rata: the sources give none). Wage earners (PU) of ACTIVE
employers are billed to the employer; PU workers of inactive or suspended employers are
not billed. Non-wage earners (BPU) without a sponsor, or with a sponsor of kind ``self``,
are billed to themselves; sponsored BPU to the sponsor (``payers.payer_party``, done
set-based).

**The basis.** PU: the wage report of the month, else the latest report before it, else
the wage recorded at registration. BPU: the worker's declared income (``Worker.wage``);
for a worker sponsored by a regional-government programme, the lowest income band
(declared income 0), as regions pay JKK + JKM at the lowest band (Rp16,800 a month,
the same as the rule ``bpu_sponsored_package``), paid from the region's budget: PP 50/2025's relief
is not for APBD payers (``paid_from`` = ``regional_budget``). A CSR or
employer sponsor pays on the declared income. The line records the basis the rule used:
the wage (PU), the income band's nominal value (BPU, ``band_nominal``).

**The amounts** come from ``pu_contributions`` (wage; the employer's risk group; ``in_jp``
= a JP membership, ``in_jkp`` = a JKP membership; ``employer_in_arrears`` and
``labour_intensive_relief`` keep their default, false: the registry records neither)
and ``bpu_contributions`` (declared income; ``with_jht`` = a JHT membership;
``sector_transport`` for motorcycle-taxi and other drivers; ``months`` = 1), both under
the law of the month (``law_date`` = the month's first day).

**Lines.** PU: JKK and JKM (employer), JHT and JP (employer + worker shares;
``worker_share`` = the part deducted from the wage). BPU: JKK, JKM, JHT; self-paid:
``worker_share`` = the amount; sponsored: 0. JKP is not billed: its contribution is
paid by the central government plus shares booked out of JKK (and JKM until PP 6/2025)
that the employer already pays (pu_contributions; PP 37/2021 art 11 as amended by PP 6/2025). A JP
membership of a BPU worker bills nothing (JP is for wage earners).

**Idempotence.** For each worker, programme and month the computed amount is compared
with the sum already on the month's contribution bills (any payer): nothing billed and a
non-zero amount → a ``contribution`` line; a different sum → an ``adjustment`` line of the
difference, whose note gives the old and new basis ("wage_corrected 3000000 3500000"); the
same → nothing. A worker-programme of the month already billed to another payer than the line's (a worker
who moved employer, a BPU worker who gained or lost a sponsor) is left as it is: the payer now says nothing of
who owed that month, and a difference billed to it would debit a payer, and a JHT account, for lines it never
carried (decision 0047). Lines are never changed or deleted, so a second run adds nothing. A
worker no longer billable (membership removed, employer now inactive) is not reversed:
the registry keeps only the current status, which says nothing about a past month.

**Bills.** One contribution bill per payer and month (created when a line needs it),
due on the date ``late_payment_penalty`` gives (``due_date_applied``): payer kind
``employer`` for employers, ``bpu`` for self-paid and sponsored BPU. Its amount becomes the
sum of its lines (one UPDATE) unless that is below what was already paid; then
``settlement.settle_run`` settles the run's bills (releases an excess, applies credit).

**Runs.** One transaction; billing runs of one month are serialised (PostgreSQL: an
advisory lock; SQLite: the write lock). The ``BillingRun`` records: workers billed
(with at least one billable programme in force), lines added, adjustment lines, bills that
received lines, and the amount added (adjustments counted with their sign). A run with
``employer_ids`` bills only the wage earners of those employers (the wages module's
run after a wage report). A month before the law (e.g. 2010-01) is refused with
``ParameterNotInForce`` and stores nothing. A month not yet begun is billed if asked (the
command line and the administrator decide; the wages module bills only months begun or
already billed).

**Who.** An administrator, or the system (``user=None``: the command line, the demo); employer
HR only with ``employer_ids`` naming exactly its own employer (the wages module bills on its
behalf). Anyone else: ``NotAllowed``. An unknown employer id: ``NotFound``.

**Notes** of adjustment lines are stored data, written once in English (with Indonesian
thousands separators), not translated at display.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.contributions.billing_batch import Progress, bill_month, lock_month
from paritrana.contributions.models import BillingRun
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Employer
from paritrana.rules import compute_records
from paritrana.rules.engines import DEFAULT_ENGINE, check_engine

# the payer kinds of late_payment_penalty, by kind of Payer
DUE_RULE_PAYER = {"employer": "employer", "worker": "bpu", "sponsor": "bpu"}


@functools.lru_cache(maxsize=256)
def due_dates(period: dt.date) -> dict[str, dt.date]:
    """The due date of the month's contribution bill by payer kind (rule ``late_payment_penalty``;
    the parameters are loaded once per process, so the dates of a month are kept)."""
    kinds = sorted(set(DUE_RULE_PAYER.values()))
    rows = compute_records(
        "late_payment_penalty", [{"contribution": 0, "payment_date": period, "payer": k} for k in kinds], on=period
    )
    by_rule = {k: row["due_date_applied"] for k, row in zip(kinds, rows, strict=True)}
    return {kind: by_rule[rule_payer] for kind, rule_payer in DUE_RULE_PAYER.items()}


def _check_period(period: dt.date) -> None:
    if not isinstance(period, dt.date) or isinstance(period, dt.datetime) or period.day != 1:
        raise ValidationFailed(
            "period", _("%(value)s is not a month: give the first day of the month") % {"value": period}
        )


def _check_caller(user: AnyUser | None, employer_ids: Sequence[int] | None) -> None:
    """Administrators (and the system, ``user=None``) bill; employer HR only its own employer's workers."""
    if user is None:
        return
    role = role_of(user)
    if role == Role.ADMIN:
        return
    if role == Role.EMPLOYER_HR and employer_ids is not None:
        profile = profile_of(user)
        if profile is not None and profile.employer_id is not None and set(employer_ids) == {profile.employer_id}:
            return
    raise NotAllowed(_("only an administrator may run the billing"))


def run_billing(
    period: dt.date,
    *,
    user: AnyUser | None = None,
    employer_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    engine: str = DEFAULT_ENGINE,
) -> BillingRun:
    """Bill the contribution month ``period`` (its first day); see the module's docstring.

    ``engine``: where the rules compute the lines, ``duckdb`` (embedded) or ``spark`` (decision 0016).

    ``employer_ids`` limits the run to the wage earners of those employers. ``progress(stage,
    done, total)`` is called for the stages ``extract``, ``compute`` and ``load``. Raises
    ``NotAllowed``, ``NotFound`` (an unknown employer), ``ValidationFailed`` (not a first day
    of a month) or the rules' ``ParameterNotInForce`` (a month before the law); then nothing
    is stored.
    """
    from paritrana.contributions.services.settlement import settle_run

    _check_period(period)
    ids = sorted({int(i) for i in employer_ids}) if employer_ids is not None else None
    _check_caller(user, ids)
    if ids:
        known = set(Employer.objects.filter(pk__in=ids).values_list("pk", flat=True))
        if unknown := [i for i in ids if i not in known]:
            raise NotFound(_("no employer with id %(id)s") % {"id": unknown[0]})
    with transaction.atomic():
        lock_month(period)
        due = due_dates(period)
        started_by = user.pk if user is not None and user.is_authenticated else None
        run = BillingRun.objects.create(period=period, started_by_id=started_by)
        now = timezone.now()
        today = timezone.localdate()
        result = bill_month(
            run.pk, period, due, employer_ids=ids, now=now, today=today, progress=progress, engine=check_engine(engine)
        )
        run.workers = result.workers
        run.lines_added = result.lines
        run.adjustments = result.adjustments
        run.bills_touched = result.bills
        run.amount_added = result.amount
        run.finished_at = timezone.now()
        run.save(
            update_fields=["workers", "lines_added", "adjustments", "bills_touched", "amount_added", "finished_at"]
        )
        settle_run(run, on=today)
    return run

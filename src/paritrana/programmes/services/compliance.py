"""The compliance follow-up list: employers of a region showing signs of partial registration (PDS).

For regional officers (the employers located in their region and below) and the agency's officers
(administrators: all; branch officers: their territory). Each employer's month is
``contributions.services.status.employer_compliance``; an employer is listed when it shows a sign:

- *PDS tenaga kerja* (workers missing): the registry records no headcount reported by the employer
  (size classes follow capital or turnover, not headcount: UU 20/2008 on UMKM; PP 7/2021), so missing workers
  cannot be counted. What is measurable is the extreme case: an active employer with **no** wage earner
  holding a membership in force in the month;
- *PDS upah*: wage earners whose wage of the month is below the regional minimum wage;
- *PDS program*: wage earners missing a programme the employer must give them.

These are indicators to look into, not findings. Inactive and suspended employers are not listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, _under_codes, role_of, visible_employers
from paritrana.contributions.services.status import Compliance, employer_compliance
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry.models import EmployerStatus

READERS = frozenset({Role.ADMIN, Role.BRANCH_OFFICER, Role.REGIONAL_OFFICER})
MAX_EMPLOYERS = 500


class Sign:
    NO_WORKERS = gettext_noop("no wage earner insured in the month (workers missing)")
    BELOW_MINIMUM = gettext_noop("wages below the regional minimum wage (PDS upah)")
    MISSING_PROGRAMME = gettext_noop("workers missing a required programme (PDS program)")


@dataclass(frozen=True)
class FollowUp:
    compliance: Compliance
    signs: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpList:
    period: dt.date
    rows: list[FollowUp]  # the employers with a sign, most signs first
    employers: int  # active employers looked at
    truncated: bool  # more than MAX_EMPLOYERS in scope: narrow by region


def follow_up(user: AnyUser | None, period: dt.date, region_code: str = "") -> FollowUpList:
    if user is not None and role_of(user) not in READERS:
        raise NotAllowed("your role does not see the compliance follow-up list")
    if not isinstance(period, dt.date) or period.day != 1:
        raise ValidationFailed("period", "give a month, YYYY-MM")
    employers = visible_employers(user).filter(status=EmployerStatus.ACTIVE)
    code = (region_code or "").strip()
    if code:
        if not all(part.isdigit() for part in code.split(".")):
            raise ValidationFailed("region", f"{code!r} is not a region code")
        employers = employers.filter(_under_codes("region__code", [code]))
    ids = list(employers.order_by("name", "pk").values_list("pk", flat=True)[: MAX_EMPLOYERS + 1])
    truncated = len(ids) > MAX_EMPLOYERS
    rows: list[FollowUp] = []
    for pk in ids[:MAX_EMPLOYERS]:
        c = employer_compliance(user, pk, period)
        signs = []
        if c.workers == 0:
            signs.append(Sign.NO_WORKERS)
        if c.below_minimum_wage:
            signs.append(Sign.BELOW_MINIMUM)
        if c.missing_programme:
            signs.append(Sign.MISSING_PROGRAMME)
        if signs:
            rows.append(FollowUp(c, tuple(signs)))
    rows.sort(key=lambda r: (-len(r.signs), r.compliance.employer.name))
    return FollowUpList(period, rows, min(len(ids), MAX_EMPLOYERS), truncated)

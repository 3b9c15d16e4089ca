"""Registry facts for the claims tests: participants with the birth date, memberships and wage a legal
test case needs, users of a role, a JHT balance, and a clock for the cases dated after today."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from world import World, worker

from paritrana.accounts.models import Profile, Role
from paritrana.contributions.models import JhtEntry, WageReport
from paritrana.registry.models import Heir, Membership, Worker

_serials = itertools.count(100)


def participant(
    world: World,
    birth: dt.date,
    memberships: dict[str, dt.date],
    *,
    wage: int = 3_000_000,
    employer: str | None = "E33",
    sex: str = "M",
) -> Worker:
    """A new participant (PU at ``employer``, else BPU) domiciled in Kota Semarang, with the memberships given."""
    serial = next(_serials)
    kw: dict[str, Any] = {"occupation": "employee", "region": world.regions["33.74"], "wage": wage}
    if employer:
        kw.update(scheme="PU", employer=world.employers[employer])
    else:
        kw.update(scheme="BPU")
    w = worker(f"P{serial}", "33.74.01", sex, birth, serial, **kw)
    w.save()
    for programme, start in memberships.items():
        Membership.objects.create(worker=w, programme=programme, start=start)
    return w


def user(username: str, role: str, **scope: Any) -> Any:
    u = get_user_model()(username=username)
    u.set_unusable_password()
    u.save()
    Profile.objects.create(user=u, role=role, **scope)
    return u


def heir_user(participant: Worker, username: str = "heir2") -> tuple[Any, Heir]:
    """An heir of ``participant`` (the spouse, rank 1) and its account."""
    heir = Heir.objects.create(worker=participant, name=f"Spouse of {participant.name}", relation="spouse", rank=1)
    return user(username, Role.HEIR, worker=participant), heir


def second_officer(world: World) -> Any:
    """Another branch officer of KC-33 than the verifier (``branch``): the one who approves."""
    return world.users["branch2"]


def third_officer(world: World) -> Any:
    """A third person who sees KC-33's claims (the administrator): the second approver above the threshold."""
    return world.users["admin"]


def wage_report(w: Worker, period: dt.date, wage: int) -> WageReport:
    assert w.employer is not None
    return WageReport.objects.create(worker=w, employer=w.employer, period=period.replace(day=1), wage=wage)


def jht_balance(w: Worker, amount: int, on: dt.date) -> JhtEntry:
    """The JHT account of ``w`` holding ``amount`` from ``on`` (one entry, as carried over from the old records)."""
    return JhtEntry.objects.create(
        worker=w, kind=JhtEntry.Kind.CONTRIBUTION, value_date=on, amount=amount, reference="old records"
    )


def set_today(monkeypatch: Any, day: dt.date) -> None:
    """Make ``day`` today for Django (``timezone.now`` and so ``localdate``), at 10:00 in the site's time zone."""
    assert settings.USE_TZ
    moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)

"""Who may credit the yearly JHT return: an administrator or the system, and no one without a role.

Decision 0018 (and "Who sees what" in docs/architecture.md): the yearly return is credited to every account at
once, so only the agency's administrator (or the system itself, ``user=None``) runs it. A signed-in user with
no profile and an anonymous visitor have no role at all: they are refused like any other role, with nothing
credited, and the administrator can still credit the year afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from paritrana.contributions.models import JhtEntry
from paritrana.contributions.services.ledger import credit_yearly_returns
from paritrana.core.errors import NotAllowed
from tests.platform.world import World


def test_a_user_without_a_role_or_an_anonymous_visitor_is_refused_and_nothing_is_credited(world: World) -> None:
    JhtEntry.objects.create(
        worker=world.workers["W33PU"], kind="contribution", value_date=dt.date(2024, 5, 10), amount=1_000_000
    )
    plain = get_user_model().objects.create(username="plain")  # signed in, no profile, not a superuser
    for user in (plain, AnonymousUser()):
        with pytest.raises(NotAllowed):
            credit_yearly_returns(2024, user=user, declared_rate_bp=600)
    assert not JhtEntry.objects.filter(kind=JhtEntry.Kind.RETURN).exists()
    assert credit_yearly_returns(2024, user=world.users["admin"], declared_rate_bp=600) == 1

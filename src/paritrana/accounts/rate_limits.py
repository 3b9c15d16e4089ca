"""A per-address limit on the public pages and API calls (the calculator, open without a log-in as the footer
promises): an address may ask ``PARITRANA_PUBLIC_PER_MINUTE`` times a minute (30 unless set).

The count is a row of ``RequestCount`` per scope, address and minute, raised by one atomic statement
(``INSERT … ON CONFLICT … DO UPDATE SET count = count + 1 RETURNING count``, the same on SQLite and PostgreSQL):
every server process and thread counts in the same row, so several processes share one limit (Django's local
cache would count per process). The first request of an address in a minute prunes the counts of earlier minutes,
so the table holds about one minute of addresses.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext, gettext_lazy

from paritrana.accounts.models import RequestCount

TOO_MANY = gettext_lazy("Too many requests from your address: please wait %(seconds)s seconds and try again.")
ADDRESS_LENGTH = RequestCount._meta.get_field("address").max_length or 64


class TooManyRequests(Exception):
    """Over the limit: ``wait`` seconds until the next minute starts its count."""

    def __init__(self, wait: int) -> None:
        self.wait = wait
        super().__init__(str(TOO_MANY) % {"seconds": wait})

    def message(self) -> str:
        """The refusal in the active language."""
        return gettext(str(TOO_MANY)) % {"seconds": self.wait}


def per_minute() -> int:
    return int(getattr(settings, "PARITRANA_PUBLIC_PER_MINUTE", 30))


def count(scope: str, address: str, now: float | None = None) -> int:
    """Add this request to its address's count of the minute; the count with it."""
    minute = int((time.time() if now is None else now) // 60)
    table = connection.ops.quote_name(RequestCount._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, address, minute, count) VALUES (%s, %s, %s, 1) "
            f"ON CONFLICT (scope, address, minute) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [scope, address[:ADDRESS_LENGTH], minute],
        )
        (counted,) = cursor.fetchone()
        if counted == 1:
            RequestCount.objects.filter(minute__lt=minute).delete()
    return int(counted)


def check(scope: str, address: str, now: float | None = None) -> None:
    """Count the request; ``TooManyRequests`` when its address is over the limit of the minute."""
    moment = time.time() if now is None else now
    if count(scope, address, moment) > per_minute():
        raise TooManyRequests(60 - int(moment) % 60)

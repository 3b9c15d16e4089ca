"""What may be done with a regional programme's beneficiary lists, by whom: the rules in one pure place.

A list is uploaded to a programme (it is checked and kept in ``preview``, enrolling no one) and then confirmed
(its valid rows enrolled, status ``confirmed``). Only the programme's own regional government or an
administrator uploads and confirms (the system too: a command run by the operator); only a list in preview is
confirmed; after 31 December of its budget year a programme enrols no one: it is renewed instead. The services
enforce these answers, the pages show only the actions they allow, and the API refuses the others with the same
messages. No Django, no database: the state is given as plain values, so the rules are unit-tested without one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from paritrana.core.workflow import Kind

PREVIEW, CONFIRMED, DISCARDED = "preview", "confirmed", "discarded"  # BeneficiaryList.Status's values


def gettext_noop(message: str) -> str:
    """Marks a message for translation (extracted by name); the service translates it when it refuses."""
    return message


MANAGERS_ONLY = gettext_noop("only the programme's regional government (or an administrator) may enrol")
YEAR_OVER = gettext_noop(
    "the budget year {year} has ended on 31 December; renew the programme for {next} and upload the "
    "verified list to the renewed programme"
)
NOT_PREVIEW = gettext_noop("this list is {status}; only a list in preview can be confirmed")


class Action(StrEnum):
    UPLOAD = "upload"  # a new list to the programme, checked and kept in preview
    CONFIRM = "confirm"  # enrol the valid rows of a list in preview


@dataclass(frozen=True)
class Refusal:
    kind: Kind
    field: str  # the field a STATE refusal names ("list", "programme"); empty for PERSON
    template: str  # English, marked for translation; ``message`` fills it in
    params: tuple[tuple[str, object], ...] = ()

    def message(self, translate: Callable[[str], str] | None = None) -> str:
        """The message, translated first by ``translate`` (e.g. Django's gettext) when one is given."""
        text = translate(self.template) if translate is not None else self.template
        return text.format(**dict(self.params))


@dataclass(frozen=True)
class ListState:
    """The facts the workflow reads. ``manager``: the actor manages the programme (or is the system);
    ``status``: the list's status (None for an upload, before there is a list); ``on``: the day of the action."""

    manager: bool
    budget_year: int
    on: dt.date
    status: str | None = None
    status_label: str = ""  # the status in the reader's language, for the message


def enrolment_open(budget_year: int, on: dt.date) -> bool:
    """Whether a programme of ``budget_year`` still enrols on ``on`` (until 31 December of that year)."""
    return on <= dt.date(budget_year, 12, 31)


def enrolment_period(budget_year: int, on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a sponsorship starting on ``on``: from ``on`` (1 January at the earliest) to
    31 December of the budget year. Call only while ``enrolment_open``."""
    return max(on, dt.date(budget_year, 1, 1)), dt.date(budget_year, 12, 31)


def year_over(budget_year: int) -> Refusal:
    return Refusal(Kind.STATE, "programme", YEAR_OVER, (("year", budget_year), ("next", budget_year + 1)))


def refusal(action: Action, state: ListState) -> Refusal | None:
    """Why ``action`` is not allowed; None when it is. The person first, then the list, then the year."""
    if not state.manager:
        return Refusal(Kind.PERSON, "", MANAGERS_ONLY)
    if action == Action.CONFIRM and state.status != PREVIEW:
        return Refusal(Kind.STATE, "list", NOT_PREVIEW, (("status", state.status_label or state.status),))
    if not enrolment_open(state.budget_year, state.on):
        return year_over(state.budget_year)
    return None


def allowed(state: ListState) -> frozenset[Action]:
    """The actions open to the actor (an upload needs no list: its ``status`` is ignored)."""
    return frozenset(a for a in Action if refusal(a, state) is None)

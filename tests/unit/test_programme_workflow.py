"""The beneficiary lists' workflow without a database: who uploads and confirms, which list, until when."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from paritrana.programmes.workflow import (
    CONFIRMED,
    DISCARDED,
    PREVIEW,
    Action,
    Kind,
    ListState,
    allowed,
    enrolment_open,
    enrolment_period,
    refusal,
)

YEAR = 2026
JUNE = dt.date(YEAR, 6, 15)
MANAGER = ListState(manager=True, budget_year=YEAR, on=JUNE, status=PREVIEW, status_label="pratinjau")


def test_the_manager_uploads_and_confirms_a_list_in_preview() -> None:
    assert allowed(MANAGER) == {Action.UPLOAD, Action.CONFIRM}
    assert refusal(Action.CONFIRM, MANAGER) is None


def test_anyone_else_is_refused_as_a_person_before_anything_else() -> None:
    reader = replace(MANAGER, manager=False, status=CONFIRMED, on=dt.date(YEAR + 1, 1, 2))
    for action in Action:
        found = refusal(action, reader)
        assert found is not None and found.kind == Kind.PERSON and found.field == ""
        assert "regional government" in found.message()
    assert allowed(reader) == frozenset()


def test_only_a_list_in_preview_is_confirmed_and_the_message_names_its_status() -> None:
    for status, label in ((CONFIRMED, "dikonfirmasi"), (DISCARDED, "")):
        state = replace(MANAGER, status=status, status_label=label)
        found = refusal(Action.CONFIRM, state)
        assert found is not None and (found.kind, found.field) == (Kind.STATE, "list")
        assert found.message() == f"this list is {label or status}; only a list in preview can be confirmed"
        assert allowed(state) == {Action.UPLOAD}  # a new list may still be uploaded
    assert Action.CONFIRM not in allowed(replace(MANAGER, status=None))  # no list yet


def test_after_31_december_the_programme_enrols_no_one() -> None:
    last, after = dt.date(YEAR, 12, 31), dt.date(YEAR + 1, 1, 1)
    assert enrolment_open(YEAR, last) and not enrolment_open(YEAR, after)
    assert allowed(replace(MANAGER, on=last)) == {Action.UPLOAD, Action.CONFIRM}
    late = replace(MANAGER, on=after)
    assert allowed(late) == frozenset()
    found = refusal(Action.UPLOAD, late)
    assert found is not None and (found.kind, found.field) == (Kind.STATE, "programme")
    assert "2026 has ended" in found.message() and "for 2027" in found.message()
    assert found.message(lambda t: t.replace("the budget year", "tahun anggaran")).startswith("tahun anggaran 2026")


def test_the_sponsorship_runs_from_the_day_or_1_january_to_31_december() -> None:
    assert enrolment_period(YEAR, JUNE) == (JUNE, dt.date(YEAR, 12, 31))
    assert enrolment_period(YEAR, dt.date(YEAR - 1, 11, 20)) == (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))


def test_the_statuses_are_the_models() -> None:
    from paritrana.programmes.models import BeneficiaryList

    assert {PREVIEW, CONFIRMED, DISCARDED} == set(BeneficiaryList.Status.values)

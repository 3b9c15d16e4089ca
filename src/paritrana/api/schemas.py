"""Request and response bodies of the REST API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator

from paritrana.core.messages import row_message

# No NUL characters (PostgreSQL cannot store them); bounded lengths.
NAME = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
CODE = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[^\x00]*$")]
REGION_CODE = Annotated[
    str, StringConstraints(min_length=2, max_length=13, pattern=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")
]
NIK = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[^\x00]*$")]
MAX_ID = 2**63 - 1
MAX_RUPIAH = 10**13


class Body(Schema):
    """A request body: a JSON object with only the fields listed (a misspelt field is a 422 naming it)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if isinstance(value, list | str | int | float | bool) or value is None:
            raise ValueError("the body must be a JSON object")
        return value

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_as_number(cls, value: Any, info: ValidationInfo) -> Any:
        """``true`` is not the number 1 (pydantic would take it as one), and a whole number beyond a 64-bit integer
        (which no column stores) is refused here, naming the field, rather than failing in the database."""
        if isinstance(value, bool):
            field = cls.model_fields.get(info.field_name or "")
            annotation = str(field.annotation) if field is not None else ""
            if "bool" not in annotation and "Any" not in annotation:
                raise ValueError("expected a whole number, not true or false")
        elif isinstance(value, int) and not -MAX_ID - 1 <= value <= MAX_ID:
            raise ValueError(f"must be at most {MAX_ID}")
        return value


class Message(Schema):
    detail: str


class RowErrorOut(Schema):
    """A row of an uploaded file and what is said of it (a file's error has no row)."""

    row: int | None = Field(description="the row as the spreadsheet numbers it (the header is row 1); null: the file")
    field: str = Field(description="the column it is about, or file")
    message: str


def stored_rows_out(stored: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Row messages stored with an upload (``row``, ``field``, ``template``, ``params``) as ``RowErrorOut``s, each
    message in the caller's language."""
    return [{"row": e.get("row"), "field": e.get("field", ""), "message": row_message(e)} for e in stored]


class ErrorItem(Schema):
    model_config = ConfigDict(extra="allow")
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    """A 422 answer: each item names the field in ``loc`` (e.g. ``["body", "nik"]``) and says what is wrong."""

    detail: list[ErrorItem]


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None = Field(None, description="code of the region above")

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class WorkerRef(Schema):
    """A worker named in an answer about something else (a bill line, a wage report, a statement)."""

    id: int
    nik: str
    name: str


class RegionRef(Schema):
    code: str
    name: str
    level: str


class BranchRef(Schema):
    code: str
    name: str


class EmployerRef(Schema):
    id: int
    registration_number: str
    name: str


class SponsorRef(Schema):
    id: int
    kind: str
    name: str


class EmployerOut(Schema):
    id: int
    registration_number: str
    name: str
    sector: str
    size_class: str
    risk_group: int
    region: RegionRef
    branch: BranchRef
    status: str


class EmployerIn(Body):
    registration_number: CODE
    name: NAME
    sector: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\x00]*$")]
    size_class: str = Field(description="micro, small, medium or large")
    risk_group: int = Field(ge=1, le=5, description="JKK risk group 1 (very low) – 5 (very high)")
    region: REGION_CODE = Field(description="a regency/city code, e.g. 33.73")
    branch: CODE | None = Field(None, description="branch code; a branch officer's own branch when omitted")
    status: str = "active"


class EmployerPatch(Body):
    name: NAME | None = None
    sector: Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[^\x00]*$")] | None = None
    size_class: str | None = None
    risk_group: int | None = Field(None, ge=1, le=5)
    region: REGION_CODE | None = None
    branch: CODE | None = None
    status: str | None = None


class MembershipOut(Schema):
    programme: str
    start: dt.date
    end: dt.date | None


class HeirIn(Body):
    name: NAME
    nik: NIK | None = None
    relation: str = Field(description="spouse, child, parent, grandchild, grandparent, sibling, in_law, appointed")


class HeirOut(Schema):
    name: str
    nik: str
    relation: str
    rank: int


class WorkerOut(Schema):
    id: int
    nik: str
    name: str
    birth_date: dt.date
    sex: str
    occupation: str
    region: RegionRef
    scheme: str
    employer: EmployerRef | None
    wage: int
    sponsor: SponsorRef | None


class WorkerDetail(WorkerOut):
    memberships: list[MembershipOut]
    heirs: list[HeirOut]


class WorkerIn(Body):
    nik: NIK
    name: NAME
    birth_date: dt.date
    sex: str = Field(description="M or F")
    occupation: str
    region: REGION_CODE = Field(description="region of domicile: a regency/city or district code")
    scheme: str = Field(description="PU (through an employer) or BPU (individually)")
    employer: int | None = Field(None, ge=1, le=MAX_ID, description="employer id, for PU")
    wage: int = Field(ge=0, le=MAX_RUPIAH, description="monthly wage or declared income, rupiah")
    sponsor: int | None = Field(None, ge=1, le=MAX_ID)
    programmes: list[str] | None = Field(None, max_length=5)
    heirs: list[HeirIn] = Field(default_factory=list, max_length=20)
    start: dt.date | None = Field(None, description="first day of the memberships; today when omitted")


class WorkerPatch(Body):
    nik: NIK | None = None
    name: NAME | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    occupation: str | None = None
    region: REGION_CODE | None = None
    scheme: str | None = None
    employer: int | None = Field(None, ge=1, le=MAX_ID)
    wage: int | None = Field(None, ge=0, le=MAX_RUPIAH)
    sponsor: int | None = Field(None, ge=1, le=MAX_ID)


class Page(Schema):
    count: int
    limit: int
    offset: int


class RegionPage(Page):
    items: list[RegionOut]


class EmployerPage(Page):
    items: list[EmployerOut]


class WorkerPage(Page):
    items: list[WorkerOut]


class Me(Schema):
    username: str
    role: str | None
    branch: str | None
    region: str | None
    employer: int | None
    worker: int | None


class RuleField(Schema):
    model_config = ConfigDict(extra="allow")
    name: str
    type: str
    description: str


class RuleOut(Schema):
    name: str
    title: str
    reference: str
    group: str
    inputs: list[RuleField]
    outputs: list[RuleField]


class ComputeIn(Body):
    date: dt.date
    inputs: dict[str, Any] = Field(default_factory=dict)


class Explanation(Schema):
    parameters: list[dict[str, Any]]
    intermediate: dict[str, Any]


class ComputeOut(Schema):
    rule: str
    date: dt.date
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    explanation: Explanation

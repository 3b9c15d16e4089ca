"""Registry use cases. Each runs in one database transaction, checks the caller's role and
scope, and raises domain errors (:mod:`paritrana.core.errors`) naming the field.

Interfaces (web pages, REST API, command line) parse their input, call these, and render.
Values may be model instances (from a form) or plain values (from JSON): a region
by instance or Kemendagri code, an employer by instance, id or registration number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet

from paritrana.accounts import scopes
from paritrana.accounts.models import Role
from paritrana.core.bulk import stamp_history
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import (
    Branch,
    Employer,
    EmployerStatus,
    Heir,
    Membership,
    Occupation,
    Programme,
    Region,
    Scheme,
    Sex,
    SizeClass,
    Sponsor,
    Worker,
)
from paritrana.registry.nik import check_nik, parse_nik
from paritrana.registry.regiondata import region_code_exists
from paritrana.registry.values import (
    MAX_RUPIAH,
    choice_value,
    date_value,
    membership_start,
    region_value,
    required_value,
    text_value,
    today,
    whole_number,
)

M = TypeVar("M", bound=Model)

# Programmes a new worker joins unless told otherwise: BPU has no JP (PP 45/2015: JP is for wage earners).
DEFAULT_PROGRAMMES: dict[str, tuple[str, ...]] = {Scheme.PU: ("JKK", "JKM", "JHT", "JP"), Scheme.BPU: ("JKK", "JKM")}

# The heirs' order (PP 44/2015 art 37(5); Permenaker 44/2015 art 19(2)).
HEIR_RANK: dict[str, int] = {
    Heir.Relation.SPOUSE: 1,
    Heir.Relation.CHILD: 1,
    Heir.Relation.PARENT: 2,
    Heir.Relation.GRANDCHILD: 2,
    Heir.Relation.GRANDPARENT: 2,
    Heir.Relation.SIBLING: 3,
    Heir.Relation.IN_LAW: 4,
    Heir.Relation.APPOINTED: 5,
}

EMPLOYER_FIELDS = frozenset(
    {"registration_number", "name", "sector", "size_class", "risk_group", "region", "branch", "status"}
)
WORKER_FIELDS = frozenset(
    {"nik", "name", "birth_date", "sex", "occupation", "region", "scheme", "employer", "wage", "sponsor"}
)


def _one(qs: QuerySet[M], pk: int, what: str) -> M:
    """The record ``pk`` of ``qs`` (the caller's scope), or :class:`NotFound`: out of scope looks the same as absent."""
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{what} {pk} does not exist")
    return found


# --- employers ---------------------------------------------------------------------


def _branch(user: Any, value: Any, region: Region) -> Branch:
    profile = scopes.profile_of(user)
    if scopes.role_of(user) == Role.BRANCH_OFFICER:
        own = profile.branch if profile else None
        if own is None:
            raise NotAllowed("your role cannot register or change employers")
        if value not in (None, "") and value not in (own, own.pk, own.code):
            raise ValidationFailed("branch", "a branch officer registers employers of its own branch only")
        return own
    if isinstance(value, Branch):
        return value
    if value in (None, ""):
        found = Branch.objects.filter(regions=region).order_by("code").first()
        if found is None:
            raise ValidationFailed("branch", "is required")
        return found
    found = Branch.objects.filter(code=str(value)).first()
    if found is None:
        raise ValidationFailed("branch", f"branch {value} does not exist")
    return found


def _in_scope_region(user: Any, region: Region) -> bool:
    return scopes.role_of(user) == Role.ADMIN or scopes.scope_regions(user).filter(pk=region.pk).exists()


def _employer_values(user: Any, data: Mapping[str, Any], current: Employer | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data:
        out["name"] = text_value("name", data["name"], 200)
    if "sector" in data:
        out["sector"] = text_value("sector", data["sector"], 60)
    if "size_class" in data:
        out["size_class"] = choice_value("size_class", data["size_class"], SizeClass.values)
    if "risk_group" in data:
        out["risk_group"] = whole_number("risk_group", data["risk_group"], 1, 5)
    if "status" in data:
        out["status"] = choice_value("status", data["status"], EmployerStatus.values)
    if "region" in data:
        region = region_value("region", data["region"], [Region.Level.REGENCY])
        if not _in_scope_region(user, region) and (current is None or region.pk != current.region_id):
            raise ValidationFailed("region", f"region {region.code} is not served by your branch")
        out["region"] = region
    if "branch" in data or current is None:
        where: Region | None = out.get("region") or (current.region if current else None)
        if where is not None:
            out["branch"] = _branch(user, data.get("branch"), where)
    return out


@transaction.atomic
def register_employer(user: Any, **data: Any) -> Employer:
    """Register an employer: an agency administrator anywhere, a branch officer in its branch's regions."""
    if not scopes.can_write_employers(user):
        raise NotAllowed("your role cannot register employers")
    unknown = set(data) - EMPLOYER_FIELDS
    if unknown:
        raise ValidationFailed(sorted(unknown)[0], "is not an employer field")
    number = text_value("registration_number", required_value("registration_number", data), 20)
    for field in ("name", "sector", "size_class", "risk_group", "region"):
        required_value(field, data)
    values = _employer_values(user, data, None)
    if Employer.objects.filter(registration_number=number).exists():
        raise ValidationFailed("registration_number", "an employer with this registration number already exists")
    employer = Employer(registration_number=number, **values)
    stamp_history(employer, user)
    try:
        with transaction.atomic():
            employer.save()
    except IntegrityError:
        raise ValidationFailed(
            "registration_number", "an employer with this registration number already exists"
        ) from None
    return employer


@transaction.atomic
def update_employer(user: Any, employer_id: int, **changes: Any) -> Employer:
    """Change an employer's details: administrators, branch officers in scope, employer HR (its own, not branch/region/status/risk group)."""
    employer = _one(scopes.visible_employers(user).select_for_update(of=("self",)), employer_id, "employer")
    role = scopes.role_of(user)
    if role not in (Role.ADMIN, Role.BRANCH_OFFICER, Role.EMPLOYER_HR):
        raise NotAllowed("your role cannot register or change employers")
    unknown = set(changes) - (EMPLOYER_FIELDS - {"registration_number"})
    if unknown:
        raise ValidationFailed(sorted(unknown)[0], "is not an employer field")
    if role == Role.EMPLOYER_HR:
        for field in ("branch", "region", "status", "risk_group"):
            if field in changes:
                raise NotAllowed("your role cannot register or change employers")
    for key, value in _employer_values(user, changes, employer).items():
        setattr(employer, key, value)
    stamp_history(employer, user)
    employer.save()
    return employer


def get_employer(user: Any, employer_id: int) -> Employer:
    """An employer in the caller's scope, or :class:`NotFound` (out of scope looks the same as absent)."""
    employer = _one(scopes.visible_employers(user).select_related("region", "branch"), employer_id, "employer")
    return employer


def search_employers(user: Any, query: str = "") -> QuerySet[Employer]:
    """Employers in scope whose name contains, or registration number starts with, ``query`` (any case)."""
    qs = scopes.visible_employers(user).select_related("region", "branch")
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(registration_number__istartswith=query))
    return qs.order_by("registration_number")


# --- workers -----------------------------------------------------------------------


def _employer(user: Any, value: Any) -> Employer:
    if isinstance(value, Employer):
        employer: Employer | None = scopes.visible_employers(user).filter(pk=value.pk).first()
    elif isinstance(value, int) and not isinstance(value, bool):
        employer = scopes.visible_employers(user).filter(pk=value).first()
    else:
        employer = scopes.visible_employers(user).filter(registration_number=str(value).strip()).first()
    if employer is None:
        if scopes.role_of(user) == Role.BRANCH_OFFICER:
            raise ValidationFailed("employer", "the employer is not in your branch")
        if scopes.role_of(user) == Role.EMPLOYER_HR:
            raise ValidationFailed("employer", "employer HR registers wage earners (PU) of its own company only")
        raise ValidationFailed("employer", f"employer {value} does not exist")
    return employer


def _sponsor(value: Any) -> Sponsor | None:
    if value in (None, ""):
        return None
    if isinstance(value, Sponsor):
        return value
    sponsor = Sponsor.objects.filter(pk=value).first() if isinstance(value, int) else None
    if sponsor is None:
        raise ValidationFailed("sponsor", f"sponsor {value} does not exist")
    return sponsor


def _worker_values(user: Any, data: Mapping[str, Any], current: Worker | None) -> dict[str, Any]:
    """The checked values of a new worker, or of ``current`` with ``data`` applied."""
    merged: dict[str, Any] = {}
    if current is not None:
        merged = {f: getattr(current, f) for f in WORKER_FIELDS}
    merged.update(data)
    out: dict[str, Any] = {}
    out["scheme"] = choice_value("scheme", required_value("scheme", merged), Scheme.values)
    out["name"] = text_value("name", required_value("name", merged), 200)
    out["birth_date"] = date_value("birth_date", required_value("birth_date", merged))
    if out["birth_date"] > today():
        raise ValidationFailed("birth_date", "is in the future")
    if out["birth_date"].year < 1900:
        raise ValidationFailed("birth_date", "is before 1900")
    out["sex"] = choice_value("sex", required_value("sex", merged), Sex.values)
    out["occupation"] = choice_value("occupation", required_value("occupation", merged), Occupation.values)
    wage = merged.get("wage")
    out["wage"] = whole_number("wage", 0 if wage is None else wage, 0, MAX_RUPIAH)
    nik = required_value("nik", merged)
    check_nik(nik, out["birth_date"], out["sex"], region_code_exists)
    out["nik"] = str(nik).strip()
    out["region"] = region_value(
        "region", required_value("region", merged), [Region.Level.REGENCY, Region.Level.DISTRICT]
    )
    role = scopes.role_of(user)
    if out["scheme"] == Scheme.PU:
        employer = merged.get("employer")
        if employer in (None, ""):
            raise ValidationFailed("employer", "a wage earner (PU) is registered through an employer")
        if current is not None and employer == current.employer:
            out["employer"] = current.employer
        else:
            out["employer"] = _employer(user, employer)
    else:
        if data.get("employer") not in (None, ""):
            raise ValidationFailed("employer", "a non-wage earner (BPU) registers individually, without an employer")
        if role == Role.EMPLOYER_HR:
            raise NotAllowed("employer HR registers wage earners (PU) of its own company only")
        out["employer"] = None
        if role != Role.ADMIN and not _in_scope_region(user, out["region"]):
            raise ValidationFailed("region", "the region of domicile is not served by your branch")
    if "sponsor" in merged:
        out["sponsor"] = _sponsor(merged.get("sponsor"))
    return out


def _memberships(worker: Worker, programmes: Iterable[str] | None, start: dt.date) -> list[Membership]:
    names = list(programmes) if programmes is not None else list(DEFAULT_PROGRAMMES[worker.scheme])
    rows = []
    for name in dict.fromkeys(names):
        choice_value("programmes", name, Programme.values)
        if name in ("JP", "JKP") and worker.scheme == Scheme.BPU:
            raise ValidationFailed("programmes", f"{name} is not one of: JKK, JKM, JHT")
        rows.append(Membership(worker=worker, programme=name, start=start))
    return rows


def _heirs(worker: Worker, heirs: Iterable[Mapping[str, Any]]) -> list[Heir]:
    rows = []
    for i, heir in enumerate(heirs, start=1):
        relation = choice_value(f"heirs.{i}.relation", heir.get("relation"), Heir.Relation.values)
        heir_nik = str(heir.get("nik") or "").strip()
        if heir_nik:
            try:
                parts = parse_nik(heir_nik)
                for code in (parts.province, parts.regency, parts.district):
                    if not region_code_exists(code):
                        raise ValidationFailed("nik", f"NIK {heir_nik[:4]}…: region code {code} does not exist")
            except ValidationFailed as err:
                raise ValidationFailed(f"heirs.{i}.nik", err.reason) from None
        rows.append(
            Heir(
                worker=worker,
                nik=heir_nik,
                name=text_value(f"heirs.{i}.name", heir.get("name"), 200),
                relation=relation,
                rank=HEIR_RANK[relation],
            )
        )
    return rows


def _checked_worker_values(user: Any, data: Mapping[str, Any], worker: Worker | None) -> dict[str, Any]:
    """The worker's field values from ``data`` (over ``worker``'s when it changes one), refusing an unknown field
    and a NIK another worker already has."""
    unknown = set(data) - WORKER_FIELDS
    if unknown:
        raise ValidationFailed(sorted(unknown)[0], "is not a worker field")
    values = _worker_values(user, data, worker)
    if worker is None or values["nik"] != worker.nik:
        others = Worker.objects.filter(nik=values["nik"])
        if worker is not None:
            others = others.exclude(pk=worker.pk)
        if others.exists():
            raise ValidationFailed("nik", f"a worker with NIK {values['nik'][:4]}… is already registered")
    return values


@transaction.atomic
def register_worker(
    user: Any,
    *,
    programmes: Iterable[str] | None = None,
    heirs: Iterable[Mapping[str, Any]] = (),
    start: dt.date | None = None,
    **data: Any,
) -> Worker:
    """Register a worker — a wage earner (PU) through an employer, a non-wage earner (BPU) individually —
    with programme memberships from ``start`` (default today) and heirs; all or nothing.

    Fields: nik, name, birth_date, sex, occupation, region (of domicile: regency/city or district),
    scheme, employer (PU), wage (monthly wage or declared income, rupiah), sponsor.
    """
    if not scopes.can_write_workers(user):
        raise NotAllowed("your role cannot register workers")
    values = _checked_worker_values(user, data, None)
    worker = Worker(**values)
    stamp_history(worker, user)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise ValidationFailed("nik", f"a worker with NIK {values['nik'][:4]}… is already registered") from None
    start = membership_start(start if start is not None else today())
    for row in [*_memberships(worker, programmes, start), *_heirs(worker, heirs)]:
        stamp_history(row, user)
        row.save()
    return worker


@transaction.atomic
def update_worker(user: Any, worker_id: int, **changes: Any) -> Worker:
    """Change a worker's details within the caller's scope; the NIK is checked again against the result."""
    worker = _one(scopes.visible_workers(user).select_for_update(of=("self",)), worker_id, "worker")
    if not scopes.can_write_workers(user):
        raise NotAllowed("your role cannot register or change workers")
    values = _checked_worker_values(user, changes, worker)
    for key, value in values.items():
        setattr(worker, key, value)
    stamp_history(worker, user)
    worker.save()
    return worker


def get_worker(user: Any, worker_id: int) -> Worker:
    """A worker in the caller's scope, or :class:`NotFound` (out of scope looks the same as absent)."""
    worker = _one(scopes.visible_workers(user).select_related("region", "employer", "sponsor"), worker_id, "worker")
    return worker


def search_workers(user: Any, query: str = "", nik: str = "") -> QuerySet[Worker]:
    """Workers in scope: ``query`` is a NIK (or its start) when all digits, else part of the name."""
    qs = scopes.visible_workers(user).select_related("region", "employer", "sponsor")
    query = (query or "").strip()
    if query.isdigit():
        qs = qs.filter(nik__startswith=query)
    elif query:
        qs = qs.filter(name__icontains=query)
    if nik:
        qs = qs.filter(nik__startswith=nik.strip())
    return qs

"""Use cases of programmes: create one, renew it for the next budget year, find them (one transaction each).

A regional officer creates programmes for its own region only; an administrator for any region. The
programme becomes a registry ``Sponsor`` of kind ``regional_programme`` (named after the programme and
its year, in its region): the billing bills that sponsor for the workers it sponsors.

**Cost share.** ``province_share_bp`` + ``regency_share_bp`` = 10,000 basis points. A province's
programme is paid by the province (10,000 / 0); a regency's or city's by the regency unless a share
is given (e.g. Bengkulu: 30 % province, 70 % regency). Shares are recorded, not billed separately:
the agency bills the programme; how the two budgets split the payment is the regions' affair.

**Renewal** copies the programme to the next budget year under a new legal basis and budget; its
beneficiaries are not carried over: the list is verified again (villages re-verify yearly, as
regional programmes do on the APBD's yearly cycle) and uploaded to the renewed programme, which enrols the people whose
sponsorship ended on 31 December.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, profile_of, role_of
from paritrana.core.bulk import history_user, stamp_history
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.core.text import clean_text
from paritrana.programmes.models import FULL_SHARE, FundingSource, LegalBasis, Package, Programme
from paritrana.programmes.scopes import MANAGERS, VIEWERS, can_manage, visible_programmes
from paritrana.registry.models import VULNERABLE_OCCUPATIONS, Occupation, Region, Sponsor

MAX_RUPIAH = 10**15
FIRST_YEAR = 2015  # BPU JKK + JKM from July 2015 (PP 44/2015)
LAST_YEAR = 2100
MAX_AGE = 120
REGION_LEVELS = frozenset({Region.Level.PROVINCE, Region.Level.REGENCY})
DEFAULT_OCCUPATIONS = tuple(sorted(str(o) for o in VULNERABLE_OCCUPATIONS))


def list_programmes(user: AnyUser | None) -> QuerySet[Programme]:
    if role_of(user) not in VIEWERS:
        raise NotAllowed("your role does not see regional programmes")
    return visible_programmes(user).order_by("-budget_year", "region__code", "name", "pk")


def get_programme(user: AnyUser | None, programme_id: int) -> Programme:
    """A programme in the caller's scope (``user=None``: the system, any); ``NotFound`` otherwise (out of
    scope looks the same as absent)."""
    qs = Programme.objects.select_related("region", "sponsor") if user is None else visible_programmes(user)
    programme = qs.filter(pk=programme_id).first()
    if programme is None:
        raise NotFound(f"programme {programme_id} does not exist")
    return programme


def managed_programme(user: AnyUser | None, programme_id: int) -> Programme:
    """A programme the caller may change: ``NotFound`` if it does not see it, ``NotAllowed`` if it only reads it."""
    programme = get_programme(user, programme_id)
    if user is not None and not can_manage(user, programme):
        raise NotAllowed("only the programme's regional government (or an administrator) may change it")
    return programme


# --- values -----------------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], name: str, maximum: int, required: bool = True) -> str:
    value = data.get(name)
    text = clean_text(value) if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(name, "must be text")
    if required and not text:
        raise ValidationFailed(name, "is required")
    if len(text) > maximum:
        raise ValidationFailed(name, f"at most {maximum} characters, not {len(text)}")
    return text


def _int(data: Mapping[str, Any], name: str, low: int, high: int, default: int | None = None) -> int:
    value = data.get(name, default)
    if value is None or value == "":
        raise ValidationFailed(name, "is required")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value.strip()) <= 20:
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(name, "must be a whole number")
    if not low <= value <= high:
        raise ValidationFailed(name, f"must be from {low} to {high}, not {value}")
    return value


def _date(data: Mapping[str, Any], name: str) -> dt.date:
    value = data.get(name)
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed(name, f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(name, "is required: a date, YYYY-MM-DD")
    return value


def _choice(data: Mapping[str, Any], name: str, choices: Iterable[str], default: str | None = None) -> str:
    value = data.get(name, default)
    allowed = list(choices)
    if value not in allowed:
        raise ValidationFailed(name, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _occupations(value: Any) -> list[str]:
    if value is None or value == [] or value == "":
        return list(DEFAULT_OCCUPATIONS)
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple):
        raise ValidationFailed("occupations", "give a list of occupations")
    known = set(Occupation.values)
    out = []
    for v in value:
        if v not in known:
            raise ValidationFailed("occupations", f"{v!r} is not an occupation of the registry")
        if v not in out:
            out.append(v)
    return sorted(out)


def _region(user: AnyUser | None, code: Any) -> Region:
    role = role_of(user)
    profile = profile_of(user)
    if role == Role.REGIONAL_OFFICER:
        assert profile is not None
        if profile.region is None:
            raise NotAllowed("your profile has no region")
        if code not in (None, "", profile.region.code, profile.region_id):
            raise ValidationFailed("region", f"you create programmes for {profile.region} only")
        return profile.region
    region = None
    if isinstance(code, int) and not isinstance(code, bool):
        region = Region.objects.filter(pk=code).first()
    elif isinstance(code, str) and code.strip():
        region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        raise ValidationFailed("region", f"no region with code {code!r}")
    if region.level not in REGION_LEVELS:
        raise ValidationFailed("region", "a programme belongs to a province or a regency/city")
    return region


def _shares(region: Region, data: Mapping[str, Any]) -> tuple[int, int]:
    if region.level == Region.Level.PROVINCE:
        province = _int(data, "province_share_bp", 0, FULL_SHARE, default=FULL_SHARE)
        if province != FULL_SHARE:
            raise ValidationFailed("province_share_bp", "a province's programme is paid by the province (10000)")
        return FULL_SHARE, 0
    province = _int(data, "province_share_bp", 0, FULL_SHARE - 1, default=0)
    return province, FULL_SHARE - province


def programme_values(user: AnyUser | None, data: Mapping[str, Any]) -> dict[str, Any]:
    region = _region(user, data.get("region"))
    province, regency = _shares(region, data)
    min_age = _int(data, "min_age", 0, MAX_AGE, default=18)
    max_age = _int(data, "max_age", 0, MAX_AGE, default=65)
    if min_age > max_age:
        raise ValidationFailed("max_age", f"the maximum age {max_age} is below the minimum age {min_age}")
    return {
        "region": region,
        "name": _text(data, "name", 160),
        "legal_basis_type": _choice(data, "legal_basis_type", LegalBasis.values),
        "legal_basis_number": _text(data, "legal_basis_number", 80),
        "legal_basis_date": _date(data, "legal_basis_date"),
        "budget_year": _int(data, "budget_year", FIRST_YEAR, LAST_YEAR),
        "budget_amount": _int(data, "budget_amount", 1, MAX_RUPIAH),
        "funding_source": _choice(data, "funding_source", FundingSource.values, default=FundingSource.APBD),
        "province_share_bp": province,
        "regency_share_bp": regency,
        "occupations": _occupations(data.get("occupations")),
        "min_age": min_age,
        "max_age": max_age,
        "package": _choice(data, "package", Package.values, default=Package.JKK_JKM),
    }


PROGRAMME_FIELDS = frozenset(
    {
        "region",
        "name",
        "legal_basis_type",
        "legal_basis_number",
        "legal_basis_date",
        "budget_year",
        "budget_amount",
        "funding_source",
        "province_share_bp",
        "occupations",
        "min_age",
        "max_age",
        "package",
    }
)


def _create(user: AnyUser | None, values: dict[str, Any], renewed_from: Programme | None = None) -> Programme:
    sponsor = Sponsor(
        kind=Sponsor.Kind.REGIONAL_PROGRAMME,
        name=f"{values['name']} {values['budget_year']}"[:200],
        region=values["region"],
    )
    stamp_history(sponsor, user)
    sponsor.save()
    programme = Programme(sponsor=sponsor, created_by=history_user(user), renewed_from=renewed_from, **values)
    stamp_history(programme, user)
    programme.save()
    return programme


def create_programme(user: AnyUser | None, **data: Any) -> Programme:
    """Create a programme (and its sponsor) for the caller's region; see the module's docstring."""
    if user is not None and role_of(user) not in MANAGERS:
        raise NotAllowed("only a regional officer or an administrator creates programmes")
    unknown = set(data) - PROGRAMME_FIELDS
    if unknown:
        raise ValidationFailed(sorted(unknown)[0], "is not a programme field")
    values = programme_values(user, data)
    with transaction.atomic():
        return _create(user, values)


def renew_programme(user: AnyUser | None, programme_id: int, **data: Any) -> Programme:
    """The programme for the next budget year: the same region, eligibility and package; a new legal
    basis (``legal_basis_type``, ``legal_basis_number``, ``legal_basis_date``) and ``budget_amount``."""
    with transaction.atomic():
        old = managed_programme(user, programme_id)
        old = Programme.objects.select_for_update().get(pk=old.pk)
        if Programme.objects.filter(renewed_from=old).exists():
            raise ValidationFailed("programme", f"{old} is already renewed for {old.budget_year + 1}")
        base = {
            "region": old.region.code,
            "name": old.name,
            "legal_basis_type": old.legal_basis_type,
            "budget_year": old.budget_year + 1,
            "funding_source": old.funding_source,
            "province_share_bp": old.province_share_bp,
            "occupations": old.occupations,
            "min_age": old.min_age,
            "max_age": old.max_age,
            "package": old.package,
        }
        unknown = set(data) - {"legal_basis_type", "legal_basis_number", "legal_basis_date", "budget_amount", "name"}
        if unknown:
            raise ValidationFailed(sorted(unknown)[0], "cannot be changed on renewal")
        values = programme_values(user, {**base, **data})
        return _create(user, values, renewed_from=old)


def today() -> dt.date:
    return timezone.localdate()

"""Editions, their rounds and candidates, the panels and the weights (the committees' use cases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from paritrana.accounts.scopes import AnyUser
from paritrana.award import params
from paritrana.award.models import Candidate, Category, Edition, Round
from paritrana.award.scopes import can_manage, committee_of, visible_rounds
from paritrana.core.errors import NotAllowed, NotFound, ValidationFailed
from paritrana.registry.models import Region

STAGES = ("provincial_screening", "provincial_interviews", "central_verification", "national_interviews", "ceremony")


def _central(user: AnyUser | None) -> None:
    is_committee, province = committee_of(user)
    if user is not None and (not is_committee or province is not None):
        raise NotAllowed(_("only the central committee manages editions"))


def get_round(user: AnyUser | None, round_id: int) -> Round:
    qs = Round.objects.select_related("edition", "province") if user is None else visible_rounds(user)
    found = qs.filter(pk=round_id).first()
    if found is None:
        raise NotFound(_("no award round with id %(id)s") % {"id": round_id})
    return found


def managed_round(user: AnyUser | None, round_id: int) -> Round:
    found = get_round(user, round_id)
    if user is not None and not can_manage(user, found):
        raise NotAllowed(_("only the round's committee may do this"))
    return found


@transaction.atomic
def create_edition(
    user: AnyUser | None,
    year: int,
    window_opens: dt.date,
    window_closes: dt.date,
    calendar: dict[str, dt.date] | None = None,
    name: str = "",
) -> Edition:
    """An edition for the assessment ``year`` with a provincial round per province (every regency/city of the
    province a candidate) and the national round (every province a candidate); the weights and zones in
    force on 1 January of the year are copied onto the edition."""
    _central(user)
    if window_closes < window_opens:
        raise ValidationFailed("window_closes", _("the submissions cannot close before they open"))
    if Edition.objects.filter(year=year).exists():
        raise ValidationFailed("year", _("there is already an edition for %(year)s") % {"year": year})
    on = dt.date(year, 1, 1)
    try:
        weights = params.in_force(params.DEFAULT_WEIGHTS_VALUES, on)
        zones = params.in_force(params.ZONE_VALUES, on)
    except LookupError:
        raise ValidationFailed("year", _("the award has no parameters for %(year)s") % {"year": year}) from None
    edition = Edition.objects.create(
        year=year,
        name=name or f"Paritrana Award {year}",
        window_opens=window_opens,
        window_closes=window_closes,
        calendar={k: v.isoformat() for k, v in (calendar or {}).items() if k in STAGES},
        weights=weights.value,
        weights_reference=f"{weights.version}: {weights.reference}",
        zones_version=zones.version,
    )
    national = Round.objects.create(edition=edition, tier=Round.Tier.NATIONAL)
    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE))
    Candidate.objects.bulk_create(
        Candidate(round=national, category=Category.PROVINCE, name=p.name, zone=zones.value[p.code], region=p)
        for p in provinces
    )
    rounds = {p.code: Round.objects.create(edition=edition, tier=Round.Tier.PROVINCIAL, province=p) for p in provinces}
    regencies = Region.objects.filter(level=Region.Level.REGENCY)
    Candidate.objects.bulk_create(
        Candidate(round=rounds[r.code[:2]], category=Category.REGENCY, name=r.name, zone=zones.value[r.code[:2]],
                  region=r)
        for r in regencies
    )  # fmt: skip
    return edition


@transaction.atomic
def set_weights(user: AnyUser | None, edition_id: int, weights: dict[str, dict[str, str]]) -> Edition:
    """New weights for the edition (the central committee): a new version, used by the next computation only."""
    _central(user)
    edition = Edition.objects.select_for_update().filter(pk=edition_id).first()
    if edition is None:
        raise NotFound(_("no award edition with id %(id)s") % {"id": edition_id})
    clean: dict[str, dict[str, str]] = {}
    for kind in ("region", "company"):
        for key, raw in (weights.get(kind) or {}).items():
            field = f"weights.{kind}.{key}"
            if key not in edition.weights.get(kind, {}):
                raise ValidationFailed(field, _("%(key)s is not a component of the award") % {"key": key})
            try:
                value = Decimal(str(raw))
            except InvalidOperation:
                raise ValidationFailed(field, _("a weight is a number")) from None
            if value < 0 or value > 1:
                raise ValidationFailed(field, _("a weight is between 0 and 1"))
            clean.setdefault(kind, {})[key] = str(value)
    merged = {kind: {**edition.weights.get(kind, {}), **clean.get(kind, {})} for kind in ("region", "company")}
    edition.weights = merged
    edition.weights_version += 1
    edition.weights_reference = f"edition {edition.year} v{edition.weights_version}: {params.NOT_PUBLISHED}"
    edition.save(update_fields=["weights", "weights_version", "weights_reference"])
    return edition

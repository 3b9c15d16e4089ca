"""Load the shipped Kemendagri region tables into the database, idempotently."""

from __future__ import annotations

from django.db import transaction

from paritrana.registry.models import Region
from paritrana.registry.regiondata import LEVELS, read_level


@transaction.atomic
def load_regions(villages: bool = True, batch_size: int = 5000) -> dict[str, int]:
    """Insert the regions not yet stored (stored ones are left alone); returns the number added per level."""
    added: dict[str, int] = {}
    ids: dict[str, int] = {}
    for level in LEVELS:
        if level == "village" and not villages:
            continue
        existing = dict(Region.objects.filter(level=level).values_list("code", "id"))
        new = [
            Region(code=r.code, name=r.name, level=level, parent_id=ids.get(r.parent) if r.parent else None)
            for r in read_level(level)
            if r.code not in existing
        ]
        Region.objects.bulk_create(new, batch_size=batch_size)
        added[level] = len(new)
        if level != "village":
            ids = dict(Region.objects.filter(level=level).values_list("code", "id"))
    return added

"""Workforce denominators: import a file of employed persons by region for a year; record one figure.

**Re-import replaces, with history.** A figure is one per region and year. Importing a file whose region and
year already have a figure replaces the number, its kind and its source; django-simple-history keeps the
earlier value (who, when, from which upload), and the upload counts how many it replaced. A correction of
BPS (a revised Sakernas release) is thereby one more upload, and nothing is lost.

**A file with an error stores nothing**: every row is checked first (``workforcefile`` for the cells, here for
the registry: the code must be a province or regency/city that exists); the upload is recorded with its
errors (row and field each) and no figure is touched. A clean file is stored in one transaction.

**Who.** Administrators (the agency's statistics are national). ``user=None`` is the system (the demo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from paritrana.accounts.models import Role
from paritrana.accounts.scopes import AnyUser, role_of
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.core.text import clean_text
from paritrana.core.uploads import upload_limits
from paritrana.coverage.models import FigureKind, WorkforceFigure, WorkforceUpload
from paritrana.coverage.workforcefile import FILE, NATIONAL, RowError, gettext_noop, read_workforce_file
from paritrana.registry.models import Region

SOURCE_LENGTH = WorkforceFigure._meta.get_field("source").max_length or 300
FIRST_YEAR = 1976  # the first Sakernas
UNKNOWN_REGION = gettext_noop("there is no province or regency/city with code {code}")


def can_import(user: AnyUser | None) -> bool:
    return user is None or role_of(user) == Role.ADMIN


def check_year(year: Any) -> int:
    latest = dt.date.today().year + 1
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= latest:
        raise ValidationFailed(
            "year",
            _("the year must be a whole number from %(first)s to %(last)s") % {"first": FIRST_YEAR, "last": latest},
        )
    return year


def check_source(source: Any) -> str:
    text = clean_text(source) if isinstance(source, str) else ""
    if not text:
        raise ValidationFailed("source", _("give the source of the figures (publication, table, date)"))
    if len(text) > SOURCE_LENGTH:
        raise ValidationFailed(
            "source", _("at most %(n)s characters, not %(got)s") % {"n": SOURCE_LENGTH, "got": len(text)}
        )
    return text


def check_kind(kind: Any) -> str:
    if kind not in FigureKind.values:
        raise ValidationFailed(
            "kind", _("the kind is one of %(kinds)s") % {"kinds": ", ".join(str(k) for k in FigureKind.values)}
        )
    return str(kind)


def import_workforce_file(
    user: AnyUser | None, data: bytes | Path, file_name: str, *, year: int, source: str, kind: str
) -> WorkforceUpload:
    """Check the whole file; store its figures for ``year`` (replacing earlier ones, with history) only when no
    row has an error. Returns the upload with its status, counts and errors."""
    if not can_import(user):
        raise NotAllowed(_("only an administrator may import workforce figures"))
    year, source, kind = check_year(year), check_source(source), check_kind(kind)
    name = (file_name or "upload").rsplit("/", 1)[-1][:255]
    parsed = read_workforce_file(data, name, year, upload_limits())
    errors = list(parsed.errors)
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in={row.code for row in parsed.rows}, level__in=[Region.Level.PROVINCE, Region.Level.REGENCY]
        )
    }
    for row in parsed.rows:
        if row.code != NATIONAL and row.code not in regions:
            errors.append(RowError(row.row, "region_code", UNKNOWN_REGION, {"code": row.code}))
    errors.sort(key=lambda e: (e.row or 0, e.field))
    uploader = user if user is not None and user.is_authenticated else None
    common = {"uploaded_by": uploader, "file_name": name, "year": year, "source": source, "kind": kind}
    if errors or not parsed.rows:
        if not errors:
            errors = [RowError(None, FILE, gettext_noop("the file has a header but no rows of figures under it"))]
        return WorkforceUpload.objects.create(
            **common,
            status=WorkforceUpload.Status.REJECTED,
            row_count=parsed.row_count,
            errors=[e.as_dict() for e in errors],
        )
    with transaction.atomic():
        upload = WorkforceUpload.objects.create(
            **common, status=WorkforceUpload.Status.STORED, row_count=parsed.row_count
        )
        replaced = 0
        for row in parsed.rows:
            region = None if row.code == NATIONAL else regions[row.code]
            figure = WorkforceFigure.objects.select_for_update().filter(region=region, year=year).order_by("pk").first()
            if figure is None:
                figure = WorkforceFigure(region=region, year=year)
            else:
                replaced += 1
            figure.employed, figure.kind, figure.source, figure.upload = row.employed, kind, source, upload
            figure._change_reason = f"upload {upload.pk}: {name}"  # type: ignore[attr-defined]
            figure.save()
        upload.stored_count, upload.replaced_count = len(parsed.rows), replaced
        upload.save(update_fields=["stored_count", "replaced_count"])
    return upload


def set_figure(region_code: str, year: int, employed: int, kind: str, source: str) -> WorkforceFigure:
    """Record one figure (``region_code`` ``ID`` for Indonesia), replacing an earlier one (history kept)."""
    region = None if region_code == NATIONAL else Region.objects.get(code=region_code)
    figure, _created = WorkforceFigure.objects.update_or_create(
        region=region,
        year=year,
        defaults={"employed": employed, "kind": check_kind(kind), "source": source[:SOURCE_LENGTH]},
    )
    return figure


def figures_for(year: int) -> dict[str, WorkforceFigure]:
    """The figures of ``year`` by region code (``ID`` for Indonesia)."""
    return {
        (f.region.code if f.region else NATIONAL): f
        for f in WorkforceFigure.objects.select_related("region").filter(year=year)
    }


def latest_year(on_or_before: int) -> int | None:
    """The latest year up to ``on_or_before`` with any figure (the denominator of a month's coverage)."""
    row = (
        WorkforceFigure.objects.filter(year__lte=on_or_before).order_by("-year").values_list("year", flat=True).first()
    )
    return row

"""Template tags of the pages: the main navigation for the user's role, the language switch, and the formats
(money, counts, the law's parameters by name) every page shows numbers with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from paritrana.award.documents import zone_label
from paritrana.coverage.services.dashboard import can_view_coverage
from paritrana.projection.services import can_project
from paritrana.rules import UnknownRule, get_rule
from paritrana.web import access
from paritrana.web.calculator_forms import law_parameter_title, rule_text
from paritrana.web.legal_text import legal_reference
from paritrana.web.views.claims import nav_links as claim_nav_links

register = template.Library()

AWARD_ROLES = frozenset({access.Role.ADMIN, access.Role.AWARD_ADMIN, access.Role.ASSESSOR,
                         access.Role.REGIONAL_OFFICER, access.Role.EMPLOYER_HR})  # fmt: skip


@register.inclusion_tag("web/partials/main_nav.html", takes_context=True)
def main_nav(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    role = access.role_of(user)
    links: list[dict[str, str]] = []
    if role in access.LIST_ROLES:
        links.append({"id": "employers", "url": reverse("web:employers"), "label": _("Employers")})
    if role in access.WORKER_SEARCH_ROLES:
        links.append({"id": "workers", "url": reverse("web:workers"), "label": _("Workers")})
    if access.can_write_workers(user):
        links.append({"id": "register-worker", "url": reverse("web:register_worker"), "label": _("Register a worker")})
    if access.can_write_employers(user):
        links.append(
            {"id": "register-employer", "url": reverse("web:register_employer"), "label": _("Register an employer")}
        )
    links.extend(claim_nav_links(user))
    if can_view_coverage(user):
        links.append({"id": "coverage", "url": reverse("web:coverage"), "label": _("Coverage")})
    if can_project(user):
        links.append({"id": "projection", "url": reverse("web:projection"), "label": _("Projection")})
        links.append({"id": "scenarios", "url": reverse("web:scenarios"), "label": _("Reform scenarios")})
    if role in (access.Role.ADMIN, access.Role.BRANCH_OFFICER, access.Role.REGIONAL_OFFICER):
        links.append({"id": "programmes", "url": reverse("web:programmes"), "label": _("Programmes")})
    if role in (access.Role.ADMIN, access.Role.BRANCH_OFFICER):
        links.append({"id": "bank", "url": reverse("web:bank_exceptions"), "label": _("Bank payments")})
    if role in AWARD_ROLES:
        links.append({"id": "award", "url": reverse("web:award"), "label": _("Award")})
    links.append({"id": "calculator", "url": reverse("web:calculator"), "label": _("Calculator")})
    if role == access.Role.ADMIN and getattr(user, "is_staff", False):
        links.append({"id": "admin", "url": reverse("admin:index"), "label": _("Back office")})
    return {"links": links}


@register.inclusion_tag("web/partials/language_switch.html", takes_context=True)
def language_switch(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
        "current": get_language(),
        "languages": [get_language_info(code) for code, _name in settings.LANGUAGES],
    }


@register.simple_tag(takes_context=True)
def role_label(context: template.Context) -> str:
    return access.role_label(context["request"].user)


@register.filter
def rupiah(amount: object) -> str:
    """Money as people read it: ``Rp 1.234.567`` in Bahasa Indonesia, ``Rp 1,234,567`` in English; — when empty."""
    if amount is None or amount == "":
        return "—"
    try:
        value = int(str(amount))
    except ValueError:
        return str(amount)
    return "Rp " + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def count(value: object) -> str:
    """A count with thousands separators in the active language (``5.396``; ``5,396`` in English)."""
    if value is None or value == "":
        return "—"
    try:
        number = int(str(value))
    except ValueError:
        return str(value)
    return number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def law_parameter(name: object) -> str:
    """A parameter of the law by its name in words, translated (``jp.accrual_rate`` → "tingkat manfaat JP")."""
    return law_parameter_title(str(name))


@register.filter(name="rule_text")
def rule_text_filter(text: object) -> str:
    """A refusal reason the rules gave, translated (a person's own text as it is)."""
    return rule_text(str(text or ""))


@register.filter
def legal(reference: object) -> str:
    """A legal reference as the regulations and articles it cites, in the active language (web/legal_text.py)."""
    return legal_reference(str(reference or ""))


@register.filter
def award_zone(code: object) -> str:
    """An award zone by its name (``jawa_bali`` → ``Jawa–Bali``), never its code."""
    return zone_label(str(code))


@register.filter
def day(value: object) -> str:
    """A date as people write it (``5 Desember 2026``; ``5 December 2026`` in English), from a date or an ISO text."""
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    try:
        return date_format(dt.date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value or "")


@register.filter
def rule_title(name: object) -> str:
    """A rule by its translated title (``pu_contributions`` → "Iuran bulanan penerima upah (PU)"), never its key."""
    try:
        return _(get_rule(str(name)).title)
    except UnknownRule:
        return str(name).replace("_", " ")

"""Template tags of the pages: the main navigation for the user's role, the language switch."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from paritrana.coverage.services.dashboard import can_view_coverage
from paritrana.projection.services import can_project
from paritrana.web import access
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

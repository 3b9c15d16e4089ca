"""The home page: what the signed-in user's role sees, counted within its scope, its first question answered
first (``home_figures``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from paritrana.registry.models import VULNERABLE_OCCUPATIONS, Scheme
from paritrana.web import access, home_figures
from paritrana.web.access import Role
from paritrana.web.views.bills import home_links
from paritrana.web.views.claims import home_links as claim_home_links


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = access.role_of(user)
    profile = access.profile_of(user)
    context: dict[str, Any] = {"role": role, "role_label": access.role_label(user), "profile": profile}
    if role in access.LIST_ROLES:
        context["employer_count"] = home_figures.employer_count(user)
    if role in access.WORKER_SEARCH_ROLES:
        counts = access.visible_workers(user).aggregate(
            total=Count("pk"),
            pu=Count("pk", filter=Q(scheme=Scheme.PU)),
            bpu=Count("pk", filter=Q(scheme=Scheme.BPU)),
            vulnerable=Count("pk", filter=Q(occupation__in=list(VULNERABLE_OCCUPATIONS))),
        )
        context["worker_counts"] = counts
    today = timezone.localdate()
    if role in (Role.WORKER, Role.HEIR):
        context["own_worker"] = access.visible_workers(user).first()
        if role == Role.WORKER and context["own_worker"] is not None:
            context["status"] = home_figures.worker_status(context["own_worker"], today)
    if role == Role.EMPLOYER_HR:
        context["unpaid"] = home_figures.bills_due(user, today)
    if role == Role.BRANCH_OFFICER:
        context["waiting"] = home_figures.claims_waiting(user, today)
    if role == Role.REGIONAL_OFFICER:
        context["regional"] = home_figures.regional_figures(user, today)
    if role == Role.EMPLOYER_HR:
        context["own_employer"] = access.visible_employers(user).first()
    context["can_register_worker"] = access.can_write_workers(user)
    context["can_register_employer"] = access.can_write_employers(user)
    context["contribution_links"] = home_links(user) + claim_home_links(user)
    return render(request, "web/home.html", context)

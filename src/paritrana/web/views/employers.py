"""Employers: the list within the user's scope, an employer's page, registration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.core.errors import RegistryError
from paritrana.registry import services
from paritrana.registry.models import Branch, Region, Scheme
from paritrana.web import access
from paritrana.web.access import Role
from paritrana.web.forms import EmployerForm
from paritrana.web.listing import Column, ListSpec, SearchField, list_page, render_list
from paritrana.web.views.common import form_error, page_of, writer

EMPLOYER_LIST = ListSpec(
    columns=(
        Column("number", gettext_lazy("registration number"), ("registration_number",)),
        Column("name", gettext_lazy("name"), ("name",), text=True),
        Column("region", gettext_lazy("region"), ("region__name",), text=True),
        Column("workers", gettext_lazy("workers"), ("worker_count",)),
    ),
    default_sort="name",
    search=(SearchField("name"), SearchField("registration_number", "prefix")),
)


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    access.require_role(request, access.LIST_ROLES)
    qs = services.search_employers(request.user).annotate(worker_count=Count("workers"))
    listing = list_page(request, qs, EMPLOYER_LIST)
    return render_list(request, listing, "web/employers.html", "web/partials/employer_results.html")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer = services.get_employer(request.user, pk)
    # The employer's workers, as far as the user may see them (an award assessor sees none).
    workers = access.visible_workers(request.user).filter(employer=employer, scheme=Scheme.PU).order_by("name", "pk")
    context = {
        "employer": employer,
        "workers": page_of(request, workers),
        "can_register_worker": access.can_write_workers(request.user)
        and access.role_of(request.user) != Role.REGIONAL_OFFICER,
    }
    return render(request, "web/employer.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    profile = access.profile_of(writer(request, access.can_write_employers))
    user = request.user
    if access.role_of(user) == Role.BRANCH_OFFICER and profile is not None and profile.branch_id is not None:
        branches = Branch.objects.filter(pk=profile.branch_id)
        regions = access.scope_regions(user)
    else:
        branches = Branch.objects.all()
        regions = Region.objects.all()
    form = EmployerForm(request.POST if request.method == "POST" else None, regions=regions, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.register_employer(user, **form.cleaned_data)
        except RegistryError as err:
            form_error(form, err)
        else:
            messages.success(request, _("Employer %(name)s is registered.") % {"name": employer.name})
            return redirect("web:employer", pk=employer.pk)
    return render(request, "web/register_employer.html", {"form": form})

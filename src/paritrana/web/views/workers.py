"""Workers: search by NIK or name, a worker's page, registration (PU through an employer, BPU individually)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.registry import services
from paritrana.web import access
from paritrana.web.access import Role
from paritrana.web.forms import WorkerForm
from paritrana.web.listing import Column, ListSpec, SearchField, list_page, render_list
from paritrana.web.views.common import form_error, writer

WORKER_LIST = ListSpec(
    columns=(
        Column("nik", gettext_lazy("NIK"), ("nik",)),
        Column("name", gettext_lazy("name"), ("name",), text=True),
        Column("scheme", gettext_lazy("scheme"), ("scheme", "name")),
        Column("employer", gettext_lazy("employer"), ("employer__name",), text=True),
        Column("region", gettext_lazy("region of domicile"), ("region__name",), text=True),
    ),
    default_sort="name",
    search=(SearchField("nik", "prefix"), SearchField("name")),
)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    access.require_role(request, access.WORKER_SEARCH_ROLES)
    listing = list_page(request, services.search_workers(request.user), WORKER_LIST)
    return render_list(request, listing, "web/workers.html", "web/partials/worker_results.html")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = services.get_worker(request.user, pk)
    context = {
        "worker": worker,
        "memberships": worker.memberships.order_by("programme", "start"),
        "heirs": worker.heirs.order_by("rank", "name"),
    }
    return render(request, "web/worker.html", context)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = writer(request, access.can_write_workers)
    role = access.role_of(user)
    employers = access.visible_employers(user)
    fixed = employers.first() if role == Role.EMPLOYER_HR else None
    initial = {}
    if request.method == "GET" and request.GET.get("employer", "").isdigit():
        chosen = employers.filter(pk=int(request.GET["employer"])).first()
        if chosen is None:
            raise access.not_found()
        initial = {"employer": chosen.pk, "scheme": "PU"}
    form = WorkerForm(
        request.POST if request.method == "POST" else None, initial=initial, employers=employers, fixed_employer=fixed
    )
    if request.method == "POST" and form.is_valid():
        try:
            worker = services.register_worker(user, **form.values())
        except (NotAllowed, ValidationFailed) as err:  # a refusal on the form; out of scope rises as 404
            form_error(form, err)
        else:
            messages.success(request, _("Worker %(name)s is registered.") % {"name": worker.name})
            return redirect("web:worker", pk=worker.pk)
    return render(request, "web/register_worker.html", {"form": form, "fixed_employer": fixed})

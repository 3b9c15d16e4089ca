"""The Paritrana Award pages: the award's home (my rounds, my candidacy, the editions), a round (candidates,
closing the panel, ranking with its sensitivity, publication), a candidate (evidence, scores), the scorecard
PDF, the committee's report (PDF, XLSX) and the public results (no sign-in, no personal data).

``award.services`` and ``award.scopes`` decide who sees what: out of scope is 404, a role that sees a record
but may not act on it gets 403 (a refusal on a form is shown on the form).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from paritrana.award import charts, documents
from paritrana.award.models import Round, Score, Submission
from paritrana.award.params import NOT_PUBLISHED
from paritrana.award.scopes import can_manage, conflicted, own_candidates, visible_rounds
from paritrana.award.services import editions, panels, ranking, results, scores, submissions
from paritrana.core.errors import NotAllowed, ValidationFailed
from paritrana.web import access
from paritrana.web.views.common import form_error
from paritrana.web.views.progress import reports_progress

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=Submission.Kind.choices)
    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    number = forms.CharField(label=gettext_lazy("number"), max_length=100, required=False)
    issued_on = forms.DateField(label=gettext_lazy("date"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    file = forms.FileField(label=gettext_lazy("file (PDF, JPEG or PNG)"))


class ScoreForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("item"), choices=Score.Item.choices)
    value = forms.IntegerField(label=gettext_lazy("score (0–100)"), min_value=0, max_value=100)
    note = forms.CharField(label=gettext_lazy("note"), max_length=500, required=False)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    rounds = visible_rounds(request.user).order_by("-edition__year", "tier", "province__code")
    mine = own_candidates(request.user).order_by("-round__edition__year")
    return render(request, "web/award_index.html", {
        "rounds": rounds, "mine": mine, "may_enter": panels.self_nomination_round(request.user),
    })  # fmt: skip


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = editions.get_round(request.user, pk)
    latest = ranking.latest(round_)
    rows = [documents.labelled(r) for r in latest.results] if latest else []
    chart = charts.rank_bars_svg(rows[:30], title=_("scores"), score_title=_("score (0–100)")) if rows else ""
    weights = latest.parameters["weights"] if latest else round_.edition.weights
    manage = can_manage(request.user, round_)
    seated = panels.panel(request.user, pk) if manage else []
    available = panels.assessors_available(request.user, pk) if manage and round_.status == Round.Status.OPEN else []
    return render(request, "web/award_round.html", {
        "panel": seated, "available": available,
        "round": round_, "candidates": round_.candidates.select_related("region", "employer").order_by("category", "name"),
        "manage": manage, "latest": latest, "rows": rows, "chart": chart,
        "components": sorted({k for kind in weights.values() for k in kind}), "not_published": NOT_PUBLISHED,
        "computations": round_.computations.order_by("-computed_at", "-id")[:10],
    })  # fmt: skip


def _round_action(request: HttpRequest, pk: int, action: Callable[[Any, int], object], done: str) -> HttpResponse:
    """Run a committee's action on a round; its refusal (a state, not a role: those rise) as a message."""
    try:
        action(request.user, pk)
        messages.success(request, done)
    except ValidationFailed as err:
        messages.error(request, str(err))
    return redirect("web:award_round", pk=pk)


@login_required
@require_POST
def close_round(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("The panel is closed; the scores are now visible to the panel.")
    return _round_action(request, pk, scores.close_panel, done)


@login_required
@require_POST
@reports_progress
def compute_round(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(request, pk, ranking.compute, _("Ranked from a new snapshot of the registry."))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = ranking.publish(request.user, pk)
    messages.success(request, _("The ranking is published."))
    return redirect("web:award_round", pk=round_.pk)


@login_required
@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    added = ranking.promote(request.user, pk)
    messages.success(request, _("%(n)s winners joined the national round.") % {"n": len(added)})
    national = Round.objects.get(edition_id=pk, tier=Round.Tier.NATIONAL)
    return redirect("web:award_round", pk=national.pk)


@login_required
def candidate_page(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = submissions.get_candidate(request.user, pk)
    own = own_candidates(request.user).filter(pk=pk).exists()
    sub_form, score_form = SubmissionForm(), ScoreForm()
    if request.method == "POST" and own:
        sub_form = SubmissionForm(request.POST, request.FILES)
        if sub_form.is_valid():
            upload = sub_form.cleaned_data["file"]
            if upload.size > MAX_EVIDENCE_BYTES:
                sub_form.add_error("file", _("the file is larger than 10 MB"))
            else:
                try:
                    d = sub_form.cleaned_data
                    submissions.submit(request.user, pk, d["kind"], d["title"], upload.name, upload.read(),
                          number=d["number"], issued_on=d["issued_on"])  # fmt: skip
                    messages.success(request, _("The evidence is submitted."))
                    return redirect("web:award_candidate", pk=pk)
                except ValidationFailed as err:
                    form_error(sub_form, err)
    elif request.method == "POST" and access.role_of(request.user) == access.Role.ASSESSOR:
        score_form = ScoreForm(request.POST)
        if score_form.is_valid():
            d = score_form.cleaned_data
            try:
                scores.score(request.user, pk, d["item"], d["value"], d["note"])
                messages.success(request, _("Your score is saved."))
                return redirect("web:award_candidate", pk=pk)
            except ValidationFailed as err:
                form_error(score_form, err)
            except NotAllowed:
                score_form.add_error(None, _("You may not score this candidate: a conflict of interest (your own "
                                             "region or company)."))  # fmt: skip
    elif request.method == "POST":
        raise PermissionDenied
    is_assessor = access.role_of(request.user) == access.Role.ASSESSOR
    return render(request, "web/award_candidate.html", {
        "candidate": candidate, "own": own, "manage": can_manage(request.user, candidate.round),
        "submissions": candidate.submissions.defer("content").order_by("kind", "submitted_at"),
        "scores": scores.visible_scores(request.user, candidate), "sub_form": sub_form, "score_form": score_form,
        "is_assessor": is_assessor, "conflicted": is_assessor and conflicted(request.user, candidate),
        "window_open": candidate.round.status == Round.Status.OPEN, "zone": documents.zone_label(candidate.zone),
    })  # fmt: skip


@login_required
def submission_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = submissions.document(request.user, pk)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.file_name}"'
    return response


@login_required
def scorecard_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pdf = documents.scorecard_pdf(request.user, pk, request.GET.get("lang") or None)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.file_name}"'
    return response


@login_required
def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        doc = documents.report_xlsx(request.user, pk, request.GET.get("lang") or None)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        doc = documents.report_pdf(request.user, pk, request.GET.get("lang") or None)
        kind = "application/pdf"
    response = HttpResponse(doc.content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{doc.file_name}"'
    return response


def public_results(request: HttpRequest) -> HttpResponse:
    """The results of the published rounds: open to everybody, names, ranks, categories and zones only."""
    rows = results.public_results()
    rows = [{**row, "category_label": documents.category_label(row["category"]),
             "zone_label": documents.zone_label(row["zone"])} for row in rows]  # fmt: skip
    return render(request, "web/award_results.html", {"rows": rows})

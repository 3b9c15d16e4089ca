from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Router

from paritrana.api.auth import public
from paritrana.api.errors import PUBLIC_ERRORS
from paritrana.api.schemas import ComputeIn, ComputeOut, RuleOut
from paritrana.core.rule_words import rule_value
from paritrana.rules import Rule, all_rules, compute_one

# public, as the calculator's pages are: an anonymous caller is limited per address (the pages' count: one limit)
router = Router(tags=["calculator"], auth=public("calculator"))


@router.get(
    "", response={200: list[RuleOut], **PUBLIC_ERRORS}, summary="The rules the calculator knows, with their inputs"
)
def list_rules(request: HttpRequest) -> list[dict[str, Any]]:
    return [described(r) for r in sorted(all_rules(), key=lambda r: r.name)]


def described(rule: Rule) -> dict[str, Any]:
    """The rule as it describes itself, its title and its fields' descriptions in the caller's language."""
    shown = rule.describe()
    shown["title"] = gettext(shown["title"])
    for f in (*shown["inputs"], *shown["outputs"]):
        f["description"] = gettext(f["description"])
    return shown


@router.post(
    "/{name}", response={200: ComputeOut, **PUBLIC_ERRORS}, summary="Compute one record under the law of a date"
)
def compute(
    request: HttpRequest, body: ComputeIn, name: str = Path(..., max_length=100, pattern=r"^[a-z0-9_]+$")
) -> dict[str, Any]:
    result = compute_one(name, body.date, body.inputs).as_dict(explain=True)
    # a text the rules gave (a refusal reason) in the caller's language; numbers, dates and codes as they are
    result["outputs"] = {k: rule_value(v) for k, v in result["outputs"].items()}
    explanation = result["explanation"]
    explanation["intermediate"] = {k: rule_value(v) for k, v in explanation["intermediate"].items()}
    return result

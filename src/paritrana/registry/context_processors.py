"""Template context: the region data's attribution notice (ODbL asks for it wherever the data is shown)."""

from __future__ import annotations

from django.http import HttpRequest

from paritrana.registry.regiondata import ATTRIBUTION, ATTRIBUTION_URL, LICENSE_URL


def data_attribution(request: HttpRequest) -> dict[str, dict[str, str]]:
    """``{{ data_attribution.text }}``, ``{{ data_attribution.url }}``, ``{{ data_attribution.license_url }}``."""
    return {"data_attribution": {"text": ATTRIBUTION, "url": ATTRIBUTION_URL, "license_url": LICENSE_URL}}

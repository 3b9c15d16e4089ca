"""Charts as SVG: Vega-Lite specifications rendered on the server with vl-convert (offline: no network, no
JavaScript in the browser). One place for the schema, the rendering and the common shape of a chart."""

from __future__ import annotations

from typing import Any

import vl_convert

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def render_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite specification, without any XML prolog so that it can sit inside a page."""
    svg = str(vl_convert.vegalite_to_svg(spec))
    return svg[svg.index("<svg") :]


def chart_svg(*, title: str, width: int, values: list[dict[str, Any]], **view: Any) -> str:
    """A chart of ``values`` (its ``mark`` and ``encoding``, or its ``layer``, and any other view property)."""
    return render_svg({"$schema": SCHEMA, "title": title, "width": width, "data": {"values": values}, **view})

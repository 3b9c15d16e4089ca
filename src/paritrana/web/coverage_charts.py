"""Charts of the coverage pages: Vega-Lite specifications rendered to SVG on the server with vl-convert
(offline: no network, no JavaScript in the browser)."""

from __future__ import annotations

from typing import Any

import vl_convert

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _svg(spec: dict[str, Any]) -> str:
    svg = str(vl_convert.vegalite_to_svg(spec))
    # drop the XML prolog, if any, so the SVG can sit inside the page
    return svg[svg.index("<svg") :]


def trend_svg(points: list[dict[str, Any]], *, title: str, x_title: str, y_title: str, target: float | None) -> str:
    """A line of the coverage rate (percent) by month; ``target`` (percent) as a dashed rule."""
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "month", "type": "ordinal", "title": x_title},
                "y": {"field": "percent", "type": "quantitative", "title": y_title},
            },
        }
    ]
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": target}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#b45309"},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    spec = {
        "$schema": SCHEMA,
        "title": title,
        "width": 360,
        "height": 180,
        "data": {"values": points},
        "layer": layers,
    }
    return _svg(spec)


def bars_svg(rows: list[dict[str, Any]], *, title: str, category_title: str, value_title: str) -> str:
    """Horizontal bars: active and not active participants per category (stacked)."""
    spec = {
        "$schema": SCHEMA,
        "title": title,
        "width": 360,
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "y": {"field": "category", "type": "nominal", "title": category_title, "sort": None},
            "x": {"field": "count", "type": "quantitative", "title": value_title, "stack": True},
            "color": {"field": "status", "type": "nominal", "title": None},
        },
    }
    return _svg(spec)

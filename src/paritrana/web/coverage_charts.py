"""Charts of the coverage pages: Vega-Lite specifications rendered to SVG on the server with vl-convert
(offline: no network, no JavaScript in the browser)."""

from __future__ import annotations

from typing import Any

from paritrana.core.charts import chart_svg


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
    return chart_svg(title=title, width=360, values=points, height=180, layer=layers)


def bars_svg(rows: list[dict[str, Any]], *, title: str, category_title: str, value_title: str) -> str:
    """Horizontal bars: active and not active participants per category (stacked)."""
    encoding = {
        "y": {"field": "category", "type": "nominal", "title": category_title, "sort": None},
        "x": {"field": "count", "type": "quantitative", "title": value_title, "stack": True},
        "color": {"field": "status", "type": "nominal", "title": None},
    }
    return chart_svg(title=title, width=360, values=rows, mark="bar", encoding=encoding)

"""The award's charts: Vega-Lite rendered to SVG on the server with vl-convert (offline, as coverage does)."""

from __future__ import annotations

from typing import Any

from paritrana.core.charts import chart_svg


def rank_bars_svg(rows: list[dict[str, Any]], *, title: str, score_title: str) -> str:
    """Horizontal bars of the score of each ranked candidate, in rank order."""
    values = [{"name": f"{r['rank']}. {r['name']}", "score": r["score"]} for r in rows if r["rank"] is not None]
    encoding = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
        "x": {"field": "score", "type": "quantitative", "title": score_title, "scale": {"domain": [0, 100]}},
    }
    return chart_svg(title=title, width=300, values=values, mark="bar", encoding=encoding)


def dots_svg(lines: list[dict[str, Any]], *, title: str) -> str:
    """A dot per indicator: its normalised score (0–1)."""
    values = [{"indicator": line["label"], "normalised": line["normalised"] or 0} for line in lines]
    encoding = {
        "y": {"field": "indicator", "type": "nominal", "title": None, "sort": None},
        "x": {"field": "normalised", "type": "quantitative", "title": "0–1", "scale": {"domain": [0, 1]}},
    }
    mark = {"type": "point", "filled": True, "size": 60}
    return chart_svg(title=title, width=260, values=values, mark=mark, encoding=encoding)

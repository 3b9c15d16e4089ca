"""The award's charts: Vega-Lite rendered to SVG on the server with vl-convert (offline, as coverage does)."""

from __future__ import annotations

from typing import Any

import vl_convert

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _svg(spec: dict[str, Any]) -> str:
    svg = str(vl_convert.vegalite_to_svg(spec))
    return svg[svg.index("<svg") :]


def rank_bars_svg(rows: list[dict[str, Any]], *, title: str, score_title: str) -> str:
    """Horizontal bars of the score of each ranked candidate, in rank order."""
    values = [{"name": f"{r['rank']}. {r['name']}", "score": r["score"]} for r in rows if r["rank"] is not None]
    spec = {
        "$schema": SCHEMA,
        "title": title,
        "width": 300,
        "data": {"values": values},
        "mark": "bar",
        "encoding": {
            "y": {"field": "name", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "score", "type": "quantitative", "title": score_title, "scale": {"domain": [0, 100]}},
        },
    }
    return _svg(spec)


def dots_svg(lines: list[dict[str, Any]], *, title: str) -> str:
    """A dot per indicator: its normalised score (0–1)."""
    values = [{"indicator": line["label"], "normalised": line["normalised"] or 0} for line in lines]
    spec = {
        "$schema": SCHEMA,
        "title": title,
        "width": 260,
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {
            "y": {"field": "indicator", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "normalised", "type": "quantitative", "title": "0–1", "scale": {"domain": [0, 1]}},
        },
    }
    return _svg(spec)

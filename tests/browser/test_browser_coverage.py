"""The coverage dashboard as drawn by the browser at 390×844 and 1366×768 (issue 17): each chart fills its box and
keeps its legend and axis labels whole inside its drawing, legend entries never overlap; each tile's label fits
its tile without a word broken; the tiles are named for screen readers and axe finds nothing serious.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.tour import SIZES, Problems, accessibility_violations, check_page, log_in
from tests.coverage.coveragekit import DemoLike, coverage_users
from tests.worlds import Recorded

PASSWORD = "coverage-pass-17"

# every text of each shown chart against its drawing's box; the legend entries against each other; the
# drawing's width against its figure's content box
CHART_BOXES = """() => [...document.querySelectorAll('figure.chart')].map(fig => {
  const svg = [...fig.querySelectorAll('svg')].find(s => getComputedStyle(s).display !== 'none');
  const box = svg.getBoundingClientRect();
  const style = getComputedStyle(fig);
  const inner = fig.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  return {id: fig.id, shown: fig.querySelectorAll('svg').length, box: rect(box), inner: inner,
    texts: [...svg.querySelectorAll('text')].map(t => ({text: t.textContent, r: rect(t.getBoundingClientRect())})),
    legend: [...svg.querySelectorAll('.legend-label')].map(t => ({text: t.textContent,
      r: rect(t.getBoundingClientRect())}))};
})"""

# each tile's label and percentage against the tile; each word of the label on one line (not broken)
TILE_BOXES = """() => [...document.querySelectorAll('#tile-map .tile')].map(tile => {
  const t = tile.getBoundingClientRect();
  const parts = [...tile.querySelectorAll('.tile-name, small')].map(p => p.getBoundingClientRect());
  const name = tile.querySelector('.tile-name');
  const broken = [];
  const text = name.firstChild;
  let at = 0;
  for (const word of name.textContent.split(/\\s+/)) {
    const start = name.textContent.indexOf(word, at);
    at = start + word.length;
    if (!word) continue;
    const range = document.createRange();
    range.setStart(text, start); range.setEnd(text, at);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) broken.push(word);
  }
  return {id: tile.id, label: tile.getAttribute('aria-label'), broken: broken,
    outside: parts.some(p => p.left < t.left - 0.5 || p.right > t.right + 0.5 || p.top < t.top - 0.5
      || p.bottom > t.bottom + 0.5)};
})"""


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.fixture
def coverage_world(demo_like_recorded: Recorded[DemoLike], transactional_db: None) -> dict[str, Any]:
    demo_like_recorded.laid_down()
    users = coverage_users()
    for user in users.values():
        user.username = user.username.replace("_", "-")  # "cov_admin" in the header would read as a code
        user.set_password(PASSWORD)
        user.save()
    return users


def test_charts_and_tiles_fit_at_both_sizes(page: Any, live_server: Any, coverage_world: dict[str, Any]) -> None:
    page.set_default_timeout(60_000)
    problems = Problems()
    checked = {"charts": 0, "tiles": 0, "legend": 0}
    for who, path in (("admin", "/coverage/"), ("admin", "/coverage/33/"), ("city", "/coverage/")):
        log_in(page, live_server.url, coverage_world[who].username, PASSWORD)
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}{path}")
            page.wait_for_selector("#coverage-summary")
            where = f"{who} {size} {path}"
            check_page(page, where, problems)
            charts = page.evaluate(CHART_BOXES)
            assert {c["id"] for c in charts} == {"chart-trend", "chart-occupation"}, where
            for chart in charts:
                assert chart["shown"] == 2, where  # a drawing for each width, one of them shown
                box = chart["box"]
                assert box["right"] - box["left"] >= 0.9 * chart["inner"], (where, chart["id"], box, chart["inner"])
                for text in chart["texts"]:
                    if not inside(text["r"], box):
                        problems.add(where, f"{chart['id']}: {text['text']!r} outside its chart")
                legend = chart["legend"]
                assert len(legend) >= 2, (where, chart["id"])
                for i, a in enumerate(legend):
                    checked["legend"] += 1
                    for b in legend[i + 1 :]:
                        if overlap(a["r"], b["r"]):
                            problems.add(where, f"{chart['id']}: legend {a['text']!r} overlaps {b['text']!r}")
                checked["charts"] += 1
            for tile in page.evaluate(TILE_BOXES):
                checked["tiles"] += 1
                if tile["outside"]:
                    problems.add(where, f"{tile['id']}: its label is outside the tile")
                if tile["broken"]:
                    problems.add(where, f"{tile['id']}: words broken {tile['broken']}")
                if not tile["label"]:
                    problems.add(where, f"{tile['id']}: no name for screen readers")
        page.context.clear_cookies()
    assert problems.found == [], "\n".join(problems.found)
    # the charts and tiles were there to check: 3 pages × 2 sizes × 2 charts; 38 + 35 + 35 tiles per size
    assert checked["charts"] == 12 and checked["tiles"] == 2 * (38 + 35 + 35) and checked["legend"] >= 24


def test_the_checks_see_a_broken_word_and_a_chart_text_outside(
    page: Any, live_server: Any, coverage_world: dict[str, Any]
) -> None:
    """The same measurements on a page spoiled on purpose: a tile too narrow for its word, a legend moved out."""
    log_in(page, live_server.url, coverage_world["admin"].username, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/coverage/33/")
    page.wait_for_selector("#tile-map")
    page.evaluate(
        """() => { const t = document.querySelector('#tile-map .tile'); t.style.width = '20px';
        t.style.wordBreak = 'break-all'; t.style.overflow = 'visible';
        document.querySelector('figure.chart svg.chart-narrow .legend-label').setAttribute('x', '900'); }"""
    )
    tiles = page.evaluate(TILE_BOXES)
    assert tiles[0]["broken"] and tiles[0]["outside"]
    chart = page.evaluate(CHART_BOXES)[0]
    assert any(not inside(t["r"], chart["box"]) for t in chart["legend"])
    assert accessibility_violations(page) == []

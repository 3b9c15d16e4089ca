"""Charts drawn as plain SVG by Python (decision 0036): a line by month and stacked horizontal bars.

Nothing to start: vl-convert's first chart of a process started a JavaScript engine (seconds on the first page
that drew one). Each chart is drawn for one width of its ``viewBox``; the page shows the drawing made for its
width (a phone's or a wider screen's), scaled to its box, so text keeps a readable size. Everything, legend
and axis titles included, is laid out inside the ``viewBox``: a legend wraps onto as many rows as it needs
below the plot, a long category label onto several lines, and the month labels are thinned until they fit.

Text widths are estimated from the characters (a generous width per character, as the widest common sans-serif
fonts draw them), so a label is never cut; the browser tests check the boxes the browser draws.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = 12  # px in the viewBox
LINE = 16  # line height
SWATCH = 12
COLOURS = ("#0b6e4f", "#d97706", "#1d4ed8", "#b91c1c")
TARGET_COLOUR = "#7a4f00"
GRID = "#d5dde3"
INK = "#1d2b36"
NARROW, WIDE = 360, 880  # the two drawings' widths


def text_width(text: str, size: float = FONT) -> float:
    """A generous estimate of ``text``'s drawn width (DejaVu Sans, the widest of the usual fonts)."""
    em = 0.0
    for ch in text:
        if ch in "mwMW%@":
            em += 0.95
        elif ch.isupper() or ch.isdigit():
            em += 0.72
        elif ch in " .,:;'|!il()[]":
            em += 0.36
        else:
            em += 0.64
    return em * size


def wrap(text: str, width: float, size: float = FONT) -> list[str]:
    """``text`` in lines no wider than ``width``, broken between words (a word longer than a line stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _text(x: float, y: float, body: str, *, anchor: str = "start", size: float = FONT, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{INK}"{extra}>'
            f"{escape(body)}</text>")  # fmt: skip


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    dashed: bool = False


def legend(series: Sequence[Series], width: float, top: float) -> tuple[list[str], float]:
    """The legend's entries from ``top``, wrapped onto rows within ``width``; its parts and its height."""
    parts: list[str] = ['<g class="legend">']
    x, y = 0.0, top
    for s in series:
        entry = SWATCH + 6 + text_width(s.label) + 18
        if x > 0 and x + entry > width:
            x, y = 0.0, y + LINE + 4
        if s.dashed:
            parts.append(f'<line x1="{x:.1f}" x2="{x + SWATCH:.1f}" y1="{y + 6:.1f}" y2="{y + 6:.1f}" '
                         f'stroke="{s.colour}" stroke-width="2" stroke-dasharray="4 3"/>')  # fmt: skip
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{SWATCH}" height="{SWATCH}" fill="{s.colour}"/>')
        parts.append(_text(x + SWATCH + 6, y + 10.5, s.label, extra=' class="legend-label"'))
        x += entry
    parts.append("</g>")
    return parts, y + LINE - top


def _svg(width: float, height: float, title: str, body: list[str], css: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in title.lower())[:40]
    ident = f"chart-{slug}-{int(width)}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{ident}" font-family="sans-serif">'
        f'<title id="{ident}">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def _nice_step(top: float, ticks: int = 5) -> float:
    raw = max(top, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    x_title: str,
    y_title: str,
    series: str,
    target: tuple[str, float] | None,
    fmt: Callable[[float], str],
    width: int,
) -> str:
    """A line of ``points`` (label, value) in their order; ``target`` (label, value) as a dashed rule."""
    widest = max((text_width(label) for label, _ in points), default=0) + 8
    left, right, top = 30 + FONT + text_width(fmt(100.0)), max(10.0, widest / 2), 12.0
    plot_w, plot_h = width - left - right, 200.0 if width > NARROW else 170.0
    values = [v for _, v in points] + ([target[1]] if target else [])
    step = _nice_step(max([*values, 1.0]) * 1.08)
    y_max = step * math.ceil(max([*values, 1.0]) * 1.08 / step)

    def y_of(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    body: list[str] = []
    for i in range(round(y_max / step) + 1):
        y = y_of(i * step)
        body.append(f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 4, y + 4, fmt(i * step), anchor="end"))
    # the y title, turned, inside the box
    mid = top + plot_h / 2
    body.append(_text(FONT, mid, y_title, anchor="middle", extra=f' transform="rotate(-90 {FONT} {mid:.1f})"'))
    n = len(points)

    def x_of(i: int) -> float:
        return left + plot_w * (i + 0.5) / max(n, 1)

    every = max(1, math.ceil(widest / (plot_w / max(n, 1))))
    for i, (label, _) in enumerate(points):
        if (n - 1 - i) % every == 0:  # the latest month always labelled
            body.append(_text(x_of(i), top + plot_h + LINE, label, anchor="middle"))
    path = " ".join(f"{'M' if i == 0 else 'L'}{x_of(i):.1f},{y_of(v):.1f}" for i, (_, v) in enumerate(points))
    body.append(f'<path d="{path}" fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>')
    body += [
        f'<circle cx="{x_of(i):.1f}" cy="{y_of(v):.1f}" r="3" fill="{COLOURS[0]}"/>' for i, (_, v) in enumerate(points)
    ]
    keys = [Series(series, COLOURS[0])]
    if target is not None:
        y = y_of(target[1])
        body.append(f'<line x1="{left:.1f}" x2="{width - right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                    f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 3"/>')  # fmt: skip
        keys.append(Series(target[0], TARGET_COLOUR, dashed=True))
    x_title_y = top + plot_h + 2 * LINE + 4
    body.append(_text(left + plot_w / 2, x_title_y, x_title, anchor="middle"))
    parts, height = legend(keys, width, x_title_y + 12)
    return _svg(width, x_title_y + 12 + height + 4, title, body + parts, "chart-line")


def stacked_bars(
    rows: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    parts: Sequence[str],
    value_title: str,
    fmt: Callable[[float], str],
    width: int,
) -> str:
    """A bar per row (label, its parts' values, stacked from the left), the parts named in the legend."""
    # the label column: as wide as the widest label, at most 38 % of the width, but never narrower than its
    # longest word (labels wrap between words only)
    longest_word = max((text_width(word) for label, _ in rows for word in label.split()), default=0)
    label_w = min(max((text_width(label) for label, _ in rows), default=0), max(width * 0.38, longest_word))
    left, right = label_w + 8, 10 + text_width(fmt(10_000_000)) / 2
    plot_w = width - left - right
    totals = [sum(values) for _, values in rows]
    step = _nice_step(max([*totals, 1]) * 1.02, 4 if width > NARROW else 3)
    step = 5.0 if step == 2.5 else max(step, 1.0)  # counts: whole ticks
    x_max = step * math.ceil(max([*totals, 1]) * 1.02 / step)
    body: list[str] = []
    y = 4.0
    for label, values in rows:
        lines = wrap(label, label_w)
        row_h = max(22.0, len(lines) * LINE + 6)
        for k, line in enumerate(lines):
            body.append(_text(label_w, y + row_h / 2 - (len(lines) - 1) * LINE / 2 + k * LINE + 4, line, anchor="end"))
        x = left
        for value, colour in zip(values, COLOURS, strict=False):
            w = plot_w * value / x_max
            body.append(f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="{w:.1f}" height="{row_h - 6:.1f}" fill="{colour}"/>')
            x += w
        y += row_h
    for i in range(round(x_max / step) + 1):
        x = left + plot_w * i * step / x_max
        body.insert(0, f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(x, y + LINE, fmt(i * step), anchor="middle"))
    body.append(_text(left + plot_w / 2, y + 2 * LINE + 4, value_title, anchor="middle"))
    keys, height = legend([Series(p, c) for p, c in zip(parts, COLOURS, strict=False)], width, y + 2 * LINE + 16)
    return _svg(width, y + 2 * LINE + 16 + height + 4, title, body + keys, "chart-bars")

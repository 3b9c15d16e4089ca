"""Charts of the coverage pages, drawn as plain SVG on the server (``core.svg_charts``; decision 0036): each
chart twice, for a phone's width and a wider screen's, the page showing the one that fits (``site.css``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from paritrana.core import svg_charts


def count_text(value: float) -> str:
    return str(number_format(round(value), 0, use_l10n=True, force_grouping=True))


def percent_text(value: float) -> str:
    return f"{number_format(value, 0 if float(value).is_integer() else 1, use_l10n=True)} %"


def _both(draw: Callable[[int], str]) -> SafeString:
    """The phone's drawing and the wide screen's, each marked for the stylesheet to show one."""
    narrow = draw(svg_charts.NARROW).replace('class="', 'class="chart-narrow ', 1)
    wide = draw(svg_charts.WIDE).replace('class="', 'class="chart-wide ', 1)
    return mark_safe(narrow + wide)  # drawn here, every text escaped by svg_charts


def trend_svg(
    points: Sequence[tuple[str, float]], *, title: str, x_title: str, y_title: str, series: str,
    target: tuple[str, float] | None,
) -> SafeString:  # fmt: skip
    """A line of the coverage rate (percent) by month; the target (its label, percent) as a dashed rule."""

    def draw(width: int) -> str:
        return svg_charts.line_chart(
            points, title=title, x_title=x_title, y_title=y_title, series=series, target=target, fmt=percent_text,
            width=width,
        )  # fmt: skip

    return _both(draw)


def bars_svg(
    rows: Sequence[tuple[str, Sequence[int]]], *, title: str, parts: Sequence[str], value_title: str
) -> SafeString:
    """Horizontal bars: the parts of each category (active, registered but not active) stacked."""

    def draw(width: int) -> str:
        return svg_charts.stacked_bars(rows, title=title, parts=parts, value_title=value_title, fmt=count_text,
                                       width=width)  # fmt: skip

    return _both(draw)

"""Plain SVG charts (core.svg_charts): everything inside the viewBox, legends wrapped, words never broken,
text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from paritrana.core import svg_charts

NS = "{http://www.w3.org/2000/svg}"


def count(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def legend_rows(svg: str) -> set[str]:
    return set(re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*class="legend-label"', svg))


def test_a_long_legend_wraps_below_the_plot_on_a_narrow_drawing_and_stays_in_one_row_on_a_wide_one() -> None:
    rows = [("petani", (80, 12)), ("pekerja rumah tangga", (17, 13))]
    parts = ("aktif", "terdaftar, tidak aktif", "belum terdaftar sama sekali di program mana pun")
    narrow = svg_charts.stacked_bars(rows, title="t", parts=parts, value_title="pekerja", fmt=count, width=360)
    wide = svg_charts.stacked_bars(rows, title="t", parts=parts, value_title="pekerja", fmt=count, width=880)
    assert len(legend_rows(narrow)) >= 2 and len(legend_rows(wide)) == 1
    for svg, width in ((narrow, 360), (wide, 880)):
        root = ET.fromstring(svg)
        _, _, w, h = (float(v) for v in root.get("viewBox", "").split())
        assert w == width and root.get("width") == "100%" and root.get("role") == "img"
        texts = root.iter(f"{NS}text")
        for text in texts:  # every text starts inside the box and its estimated width ends inside it
            x, y = float(text.get("x", 0)), float(text.get("y", 0))
            size = svg_charts.text_width(text.text or "")
            left = {"start": x, "middle": x - size / 2, "end": x - size}[text.get("text-anchor", "start")]
            if text.get("transform") is None:
                assert left >= -0.5 and left + size <= w + 0.5 and 0 < y <= h, (text.text, x, y, w, h)
        assert "terdaftar, tidak aktif" in svg  # the whole label, not cut


def test_a_long_category_is_wrapped_between_words_never_inside_one() -> None:
    word = "Pangkajenedankepulauanselatan"
    svg = svg_charts.stacked_bars([(word, (1, 1))], title="t", parts=("a", "b"), value_title="v", fmt=count, width=360)
    x = float(re.findall(rf'<text x="([\d.]+)"[^>]*>{word}<', svg)[0])
    assert x >= svg_charts.text_width(word) - 0.5  # anchored at its end: it starts inside the drawing
    assert svg_charts.wrap("pekerja rumah tangga", svg_charts.text_width("pekerja rumah")) == [
        "pekerja rumah",
        "tangga",
    ]
    assert svg_charts.wrap("Pangkajenekepulauan", 10) == ["Pangkajenekepulauan"]
    assert svg_charts.wrap("", 50) == [""]


def test_month_labels_are_thinned_to_fit_and_the_latest_is_kept() -> None:
    points = [(f"Bln {i:02d}", float(i)) for i in range(1, 25)]
    narrow = svg_charts.line_chart(
        points, title="t", x_title="bulan", y_title="%", series="cakupan", target=("target 36 %", 36.0),
        fmt=lambda v: f"{v:g} %", width=360,
    )  # fmt: skip
    shown = re.findall(r">(Bln \d\d)<", narrow)
    assert "Bln 24" in shown and 2 <= len(shown) < 24
    assert "stroke-dasharray" in narrow and "target 36 %" in narrow


def test_text_is_escaped() -> None:
    svg = svg_charts.stacked_bars(
        [("<b>&", (1, 2))], title="a <script>", parts=("x", "y"), value_title="v", fmt=count, width=360
    )
    assert "<script>" not in svg and "&lt;b&gt;&amp;" in svg
    ET.fromstring(svg)

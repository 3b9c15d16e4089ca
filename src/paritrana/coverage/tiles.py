"""Tile-grid maps: each region a square tile at a fixed place, roughly where it lies (west to east, north
to south), so every province is as visible as Jakarta. Pure data.

The 38 provinces (Kemendagri codes) sit on a 15 × 6 grid: Sumatra on the left, Java, Bali and Nusa Tenggara
along the bottom row, Kalimantan and Sulawesi in the middle, Maluku and the six Papua provinces on the right.
The regencies and cities of a province are laid out in code order on a near-square grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# code -> (column, row), both from 0
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "11": (0, 0), "12": (1, 0), "21": (3, 0), "13": (1, 1), "14": (2, 1),
    "15": (2, 2), "16": (3, 2), "19": (4, 2), "17": (2, 3), "18": (3, 3),
    "36": (3, 4), "31": (4, 4), "32": (5, 4), "33": (6, 4), "34": (6, 5), "35": (7, 4),
    "51": (8, 4), "52": (9, 4), "53": (10, 4),
    "65": (6, 0), "61": (5, 1), "64": (6, 1), "62": (5, 2), "63": (6, 2),
    "72": (8, 1), "75": (9, 1), "71": (10, 1), "76": (7, 2), "73": (8, 2), "74": (9, 2),
    "82": (11, 1), "81": (11, 2),
    "96": (12, 1), "92": (13, 1), "91": (14, 1), "94": (13, 2), "95": (14, 2), "93": (14, 3),
}  # fmt: skip
PROVINCE_GRID = (15, 6)  # columns, rows
# short labels for the tiles (the full name is the tile's title)
PROVINCE_SHORT: dict[str, str] = {
    "11": "ACEH", "12": "SUMUT", "13": "SUMBAR", "14": "RIAU", "15": "JAMBI", "16": "SUMSEL", "17": "BKL",
    "18": "LPG", "19": "BABEL", "21": "KEPRI", "31": "DKI", "32": "JABAR", "33": "JATENG", "34": "DIY",
    "35": "JATIM", "36": "BANTEN", "51": "BALI", "52": "NTB", "53": "NTT", "61": "KALBAR", "62": "KALTENG",
    "63": "KALSEL", "64": "KALTIM", "65": "KALTARA", "71": "SULUT", "72": "SULTENG", "73": "SULSEL",
    "74": "SULTRA", "75": "GTLO", "76": "SULBAR", "81": "MALUKU", "82": "MALUT", "91": "PAPUA", "92": "PABAR",
    "93": "PASEL", "94": "PATENG", "95": "PAPEG", "96": "PBD",
}  # fmt: skip


def regency_tiles(codes: Sequence[str]) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """Places of ``codes`` (in code order) on a near-square grid, and the grid's (columns, rows)."""
    ordered = sorted(codes)
    columns = max(1, math.ceil(math.sqrt(len(ordered) * 1.5)))
    places = {code: (i % columns, i // columns) for i, code in enumerate(ordered)}
    rows = max(1, math.ceil(len(ordered) / columns))
    return places, (columns, rows)


def regency_short(name: str) -> str:
    """A regency's or city's label on its tile: the name without "Kabupaten" (a city keeps "Kota", which tells
    it from the regency of the same name)."""
    return name.removeprefix("Kabupaten ").removeprefix("Kab. ")

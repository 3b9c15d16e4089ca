"""The demo's workforce denominators: the official figures of the reference, and labelled demo estimates
scaled to the demo's small registry (decision 0007).

1. **Official, August 2023** (BPS Sakernas, as the reference gives them): Indonesia 139.85 M and four
   provinces (Sumatera Selatan 4.40 M, Jawa Barat 23.50 M, Jawa Tengah 19.99 M, Bali 2.62 M). Kind
   ``official``, year 2023, the reference row in the source.
2. **Demo estimates for the billed years.** The demo registry stands for the national one at the scale
   *demo workers ÷ 61.08 M* (the registered participants, active and not, of December 2023, BPJS TK):
   each official figure is multiplied by it (rounded); the rest of Indonesia's scaled figure is spread over
   the other provinces, and each province's over its regencies, by the demo registry's workers domiciled
   there (largest remainders, so the parts add up exactly). A province or regency where the demo registry
   has nobody gets no figure (the map shows "no figure"). Every such row is kind ``demo_estimate`` and says
   how it was made. With the demo's 5,396 workers Indonesia's figure is about 12,350 and the coverage
   26–37 % over the billed months, near the real 29.7 % (BPJS TK and BPS, 2023).

Idempotent: run again, it finds figures and adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from django.db import transaction

from paritrana.coverage.models import FigureKind, WorkforceFigure
from paritrana.coverage.workforcefile import NATIONAL
from paritrana.registry.models import Region, Worker

OFFICIAL_YEAR = 2023
# code -> (employed, Aug 2023, BPS Sakernas), where the reference gives it
OFFICIAL: dict[str, tuple[int, str]] = {
    NATIONAL: (139_850_000, "BPS Sakernas Aug 2023, BRS 77/11/Th.XXVI"),
    "16": (4_400_000, "BPS Sakernas Aug 2023 via oganilirkab.bps.go.id"),
    "32": (23_500_000, "BPS Sakernas Aug 2023 via bandung.bisnis.com"),
    "33": (19_990_000, "BPS Jateng BRS 69/11/33, Aug 2023"),
    "51": (2_620_000, "BPS Sakernas Aug 2023 via badungkab.bps.go.id"),
}
NATIONAL_REGISTERED = 61_080_000  # registered participants, active and not, Dec 2023 (BPJS TK)


def demo_coverage_present() -> bool:
    return WorkforceFigure.objects.exists()


def apportion(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` (largest remainders; the parts add up to ``total``)."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0 or total <= 0:
        return dict.fromkeys(weights, 0)
    exact = {k: total * w for k, w in weights.items()}
    parts = {k: v // weight_sum for k, v in exact.items()}
    left = total - sum(parts.values())
    for k in sorted(weights, key=lambda k: (-(exact[k] % weight_sum), k))[:left]:
        parts[k] += 1
    return parts


def demo_estimates(workers_by_regency: Counter[str], registry_size: int) -> dict[str, tuple[int, str]]:
    """Scaled figures (code -> employed, source) for the demo registry (pure; see the module's docstring)."""
    scale_text = f"× {registry_size:,} demo workers ÷ {NATIONAL_REGISTERED:,} registered (BPJS TK, December 2023)"

    def scaled(code: str) -> int:
        return OFFICIAL[code][0] * registry_size // NATIONAL_REGISTERED

    out: dict[str, tuple[int, str]] = {}
    national = scaled(NATIONAL)
    out[NATIONAL] = (national, f"demo estimate: {OFFICIAL[NATIONAL][0]:,} ({OFFICIAL[NATIONAL][1]}) {scale_text}")
    by_province: Counter[str] = Counter()
    for regency, n in workers_by_regency.items():
        by_province[regency[:2]] += n
    provinces: dict[str, int] = {}
    for code in OFFICIAL:
        if code != NATIONAL:
            provinces[code] = scaled(code)
            out[code] = (provinces[code], f"demo estimate: {OFFICIAL[code][0]:,} ({OFFICIAL[code][1]}) {scale_text}")
    rest = {code: n for code, n in by_province.items() if code not in provinces and n > 0}
    for code, employed in apportion(national - sum(provinces.values()), rest).items():
        provinces[code] = employed
        out[code] = (employed, "demo estimate: Indonesia's scaled figure less the official provinces', "
                               "spread by the demo registry's workers domiciled there")  # fmt: skip
    for province, employed in provinces.items():
        weights = {r: n for r, n in workers_by_regency.items() if r.startswith(province + ".") and n > 0}
        for regency, part in apportion(employed, weights).items():
            out[regency] = (part, "demo estimate: the province's figure spread by the demo registry's workers "
                                  "domiciled in each regency/city")  # fmt: skip
    return out


def load_demo_coverage(years: Iterable[int], say: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    """The official 2023 figures and the demo estimates for each of ``years``."""
    if demo_coverage_present():
        return {}
    codes = Worker.objects.values_list("region__code", flat=True)
    by_regency: Counter[str] = Counter(code[:5] for code in codes if len(code) >= 5)
    size = Worker.objects.count()
    regions = {r.code: r for r in Region.objects.filter(level__in=[Region.Level.PROVINCE, Region.Level.REGENCY])}
    counts = {"official figures": 0, "demo estimates": 0}
    with transaction.atomic():
        rows = []
        for code, (employed, source) in OFFICIAL.items():
            region = None if code == NATIONAL else regions[code]
            rows.append(WorkforceFigure(region=region, year=OFFICIAL_YEAR, employed=employed,
                                        kind=FigureKind.OFFICIAL, source=source))  # fmt: skip
            counts["official figures"] += 1
        estimates = demo_estimates(by_regency, size)
        for year in sorted(set(years)):
            if year == OFFICIAL_YEAR:
                continue
            for code, (employed, source) in estimates.items():
                region = None if code == NATIONAL else regions.get(code)
                if code != NATIONAL and region is None:
                    continue
                rows.append(WorkforceFigure(region=region, year=year, employed=employed,
                                            kind=FigureKind.DEMO_ESTIMATE, source=source[:300]))  # fmt: skip
                counts["demo estimates"] += 1
        WorkforceFigure.objects.bulk_create(rows)
    say(
        f"workforce: Indonesia {estimates[NATIONAL][0]:,} employed at demo scale (1 : {NATIONAL_REGISTERED // max(size, 1):,})"
    )
    return counts

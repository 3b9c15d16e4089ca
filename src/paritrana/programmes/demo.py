"""The demo's regional programme: Kota Semarang's programme for vulnerable workers, with its budget in use.

A list of people living in Kota Semarang's villages (the shipped Kemendagri village codes), four of them
with errors, is uploaded, previewed and confirmed through the use cases on the first day of the first
billed month; the months of the budget year the demo bills are billed again (only the programme's lines
are added) and all but the last are paid from the programme's budget. Seeded and idempotent: run again,
it finds the programme and adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from collections.abc import Callable
from pathlib import Path

from paritrana.contributions.demo import billed_months
from paritrana.contributions.models import Bill
from paritrana.contributions.payers import payer_of
from paritrana.programmes.listfile import villages
from paritrana.programmes.models import Programme
from paritrana.programmes.services.lists import confirm_list, preview_list
from paritrana.programmes.services.programmes import create_programme
from paritrana.registry.models import Region
from paritrana.registry.nik import make_nik

DEMO_REGION = "33.74"
DEMO_NAME = "Perlindungan Pekerja Rentan Kota Semarang"
DEMO_PEOPLE = 400
DEMO_BUDGET = 1_500_000_000
OCCUPATIONS = ("petani", "nelayan", "pedagang", "buruh harian lepas", "ojek", "guru ngaji", "pedagang kaki lima")
SERIAL_FROM = 7_000  # NIK serials of the demo list (the registry's demo workers use the low ones)


def demo_programmes_present() -> bool:
    return Programme.objects.filter(name=DEMO_NAME).exists()


def _rows(rng: random.Random, on: dt.date, count: int) -> list[list[str]]:
    codes = sorted(c for c in villages() if c.startswith(DEMO_REGION + "."))
    districts = set(
        Region.objects.filter(code__startswith=DEMO_REGION + ".", level="district").values_list("code", flat=True)
    )
    codes = [c for c in codes if c[:8] in districts]
    rows = []
    for i in range(count):
        village = rng.choice(codes)
        sex = rng.choice("MF")
        birth = dt.date(on.year - rng.randint(20, 62), rng.randint(1, 12), rng.randint(1, 28))
        nik = make_nik(village[:8], birth, sex, SERIAL_FROM + i)
        occupation = rng.choice(OCCUPATIONS)
        name = f"{rng.choice(('Siti', 'Sri', 'Budi', 'Agus', 'Dewi', 'Joko', 'Wahyu', 'Rina'))} {rng.choice(('Lestari', 'Santoso', 'Rahayu', 'Setiawan', 'Wibowo', 'Pratama'))}"
        rows.append(
            [
                nik,
                name,
                birth.isoformat(),
                "L" if sex == "M" else "P",
                occupation,
                village,
                f"RT {rng.randint(1, 12)}/RW {rng.randint(1, 8)}",
            ]
        )
    # four rows a village officer would send back: a short NIK, a village of Kabupaten Semarang, over-age, no name
    rows[10][0] = rows[10][0][:15]
    rows[50][5] = "33.22.01.2001"
    rows[90][2] = dt.date(on.year - 70, 5, 5).isoformat()
    rows[130][1] = ""
    return rows


def load_demo_programmes(
    today: dt.date, seed: int = 2026, say: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Kota Semarang's programme for the budget year of the first month the demo bills
    (``contributions.demo.billed_months``): its list enrolled on that month's first day, the billed months
    of that year billed again (the programme's lines are added), all but the last paid."""
    from paritrana.contributions.demo import StatementRow, import_demo_statement
    from paritrana.contributions.services.billing import run_billing

    months = billed_months(today)
    rng = random.Random(seed)
    start = months[0]
    year = start.year
    programme = create_programme(
        None,
        region=DEMO_REGION,
        name=DEMO_NAME,
        legal_basis_type="perwali",
        legal_basis_number=f"12 Tahun {year} (demo)",
        legal_basis_date=dt.date(year, 1, 10),
        budget_year=year,
        budget_amount=DEMO_BUDGET,
        funding_source="apbd",
        province_share_bp=3000,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p3ke-kota-semarang.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["nik", "nama", "tanggal_lahir", "jenis_kelamin", "pekerjaan", "kode_desa", "alamat"])
            writer.writerows(_rows(rng, start, DEMO_PEOPLE))
        lst = preview_list(None, programme.pk, path, path.name, on=start)
    lst = confirm_list(None, lst.pk, on=start)
    say(f"programme {programme}: {lst.enrolled_count} enrolled, {lst.error_count} rows left out")
    in_year = [m for m in months if m.year == year]
    for month in in_year:
        run_billing(month)
    payer = payer_of(programme.sponsor)
    rows = [
        StatementRow(
            f"SP2D-DEMO-{bill.period:%Y%m}", bill.due_date - dt.timedelta(days=3), bill.amount, payer.pk, "SP2D"
        )
        for bill in Bill.objects.filter(payer=payer, kind=Bill.Kind.CONTRIBUTION, period__in=in_year[:-1]).order_by(
            "period"
        )
    ]
    # the regional treasury's transfers (SP2D) arrive on the bank's statement like any payer's
    import_demo_statement(rows, f"demo-sp2d-{programme.pk}-{today:%Y%m%d}.csv", today)
    paid = len(rows)
    return {"programmes": 1, "beneficiaries": lst.enrolled_count, "bills paid": paid}

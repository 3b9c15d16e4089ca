"""The bill lines' notes written in English before ("wage 2.845.000 → 4.750.000", "2 months late: …") rewritten
language-neutral (``contributions/line_notes.py``: "wage_corrected 2845000 4750000"), so a reader sees them in
their language. A note of another form is left as it is. Read in batches: memory stays bounded."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from paritrana.contributions.line_notes import from_english

BATCH = 2000


def rewrite(apps: Any, schema_editor: Any) -> None:
    BillLine = apps.get_model("contributions", "BillLine")
    changed = []
    for pk, note in BillLine.objects.exclude(note="").values_list("pk", "note").iterator(chunk_size=BATCH):
        neutral = from_english(note)
        if neutral is not None and neutral != note:
            changed.append(BillLine(pk=pk, note=neutral[:200]))
        if len(changed) >= BATCH:
            BillLine.objects.bulk_update(changed, ["note"])
            changed = []
    if changed:
        BillLine.objects.bulk_update(changed, ["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_jht_entry_not_zero"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]

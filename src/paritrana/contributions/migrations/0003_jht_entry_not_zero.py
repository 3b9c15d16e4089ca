"""A JHT entry moves money: the database refuses a zero entry (decision 0018).

Zero entries written before (a zero line credited) moved nothing; they are removed first so the constraint
can be added. No balance changes.
"""

from typing import Any

from django.db import migrations, models


def drop_zero_entries(apps: Any, schema_editor: Any) -> None:
    apps.get_model("contributions", "JhtEntry").objects.filter(amount=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0002_bank"),
        ("registry", "0002_heir_nik"),
    ]

    operations = [
        migrations.RunPython(drop_zero_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="jhtentry",
            constraint=models.CheckConstraint(condition=~models.Q(amount=0), name="jht_entry_not_zero"),
        ),
    ]

"""Drop the indexes that only repeat the leading column of a unique key.

The line-to-entry table Django made for the many-to-many becomes a declared
model (BillLineEntry) on the same table, which changes nothing in the
database; then its line index goes, as do the line's bill index and the
exclusion's run index. Each was a write per row a run inserts.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0007_run_totals_stored"),
        ("contacts", "0005_contact_author_latest"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BillLineEntry",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "billline",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="billing.billline",
                            ),
                        ),
                        (
                            "timeentry",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="contacts.timeentry",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "billing_billline_time_entries",
                        "unique_together": {("billline", "timeentry")},
                    },
                ),
                migrations.AlterField(
                    model_name="billline",
                    name="time_entries",
                    field=models.ManyToManyField(
                        related_name="bill_lines",
                        through="billing.BillLineEntry",
                        to="contacts.timeentry",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="billlineentry",
            name="billline",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                to="billing.billline",
            ),
        ),
        migrations.AlterField(
            model_name="billline",
            name="bill",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="lines",
                to="billing.bill",
            ),
        ),
        migrations.AlterField(
            model_name="excludedentry",
            name="run",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="excluded_entries",
                to="billing.billingrun",
            ),
        ),
    ]

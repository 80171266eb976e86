"""Drop the texts 0005 turned into facts, in a transaction of its own.

On PostgreSQL the data updates of 0005 leave deferred foreign-key trigger events
pending on billing_bill until commit, and ALTER TABLE refuses to run while they
are ("cannot ALTER TABLE because it has pending trigger events").
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0005_bill_facts_written_in_sql"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="bill",
            name="explanation",
        ),
        migrations.RemoveField(
            model_name="excludedentry",
            name="reasons",
        ),
        migrations.RemoveField(
            model_name="historicalbill",
            name="explanation",
        ),
    ]

"""Date arithmetic as SQL expressions that mean the same on SQLite and PostgreSQL.

The set-based engines compute due dates in the database. Django's own
`DateField + timedelta` gives a datetime string on SQLite, and neither backend
spells "one year later, 29 February becoming 28 February" (tcm.dates.add_years)
the same way, so each function here says it once per backend.
"""

from django.db.models import DateField, Func


class AddDays(Func):
    """`expression` plus a whole number of days, as a date."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        super().__init__(expression)
        self.days = int(days)

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.days})", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params


class Anniversary(Func):
    """One year after `expression`; 29 February falls due on 28 February (SPEC.md section 4)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL clamps to the month's last day: 2024-02-29 + 1 year = 2025-02-28.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST({sql} + INTERVAL '1 year' AS date)", params

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite would roll 2025-02-29 over to 1 March: step back a day first.
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"date({sql}, CASE WHEN strftime('%%m-%%d', {sql}) = '02-29' "
            f"THEN '-1 day' ELSE '+0 days' END, '+1 year')",
            params + params,
        )

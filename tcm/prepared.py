"""Prepared statements, for the write every case manager sends many times a day.

Django sends each statement as text with its parameters quoted into it (psycopg's
client-side binding), which PostgreSQL parses and plans on every run. Logging a
contact is one large statement (tcm.history.insert_created: the rows, their history
and the page versions), the same text each time but for its values, and planning
it was half of its backend CPU (bench/EXPLAIN.md, session 10). Prepared, a
connection parses and plans it once and then only binds and runs it.

Only this cursor prepares. Server-side binding for every query was tried and not
kept (bench/EXPLAIN.md, session 5): Django binds on the client because some of
its SQL (GROUP BY of expressions with parameters, more than 65,535 parameters)
fails bound on the server. The settings turn psycopg's prepared statements on
(`prepare_threshold`), which Django's own cursors never use.
"""

from django.db import connection
from django.db.backends.postgresql.base import ServerBindingCursor


class _PreparedCursor(ServerBindingCursor):
    """psycopg's server-binding cursor that prepares every statement it runs, as
    Django's cursor wrapper passes no `prepare`."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)


class _LoggedPreparedCursor(_PreparedCursor):
    """The same, for a connection that logs its queries (DEBUG, a test counting them):
    psycopg keeps no statement of a prepared run where Django's log reads it."""

    def execute(self, query, params=None, **kwargs):
        super().execute(query, params, **kwargs)
        self._query = self._convert_query(query, params)
        return self


def prepared_cursor():
    """A cursor of the default connection, as `connection.cursor()` gives (query log,
    execute wrappers, Django's exceptions), whose statements are prepared. PostgreSQL
    only; its parameters must have a type PostgreSQL can tell from where they stand
    (a column inserted into, a comparison), as text sent unquoted has none."""
    connection.ensure_connection()
    cursor = _LoggedPreparedCursor if connection.queries_logged else _PreparedCursor
    return connection._prepare_cursor(cursor(connection.connection))

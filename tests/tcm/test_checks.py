import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

from tcm.checks import sqlite_supports_full_join

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="an SQLite check")


@on_sqlite
def test_an_sqlite_without_full_join_fails_the_database_checks(db, monkeypatch):
    """`migrate` runs them: `make run` stops there, naming the version, not at a bill run."""
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 38, 5))
    [error] = sqlite_supports_full_join(databases=["default"])
    assert error.id == "tcm.E001"
    assert "SQLite 3.38.5 is too old" in error.msg
    with pytest.raises(SystemCheckError, match=r"tcm\.E001"):
        call_command("check", databases=["default"])


@on_sqlite
def test_sqlite_3_39_is_enough(monkeypatch):
    monkeypatch.setattr(connection.Database, "sqlite_version_info", (3, 39, 0))
    assert sqlite_supports_full_join(databases=["default"]) == []


def test_this_database_passes():
    assert sqlite_supports_full_join(databases=["default"]) == []

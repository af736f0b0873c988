"""Schema versions: a new database is created, an old one upgraded, a newer one refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, Table, inspect, text

from sambandh.store import StoreError, open_store, resolve_url
from sambandh.store import schema as sc


def test_new_database_has_the_current_version(store):
    assert store.stats()["schema"] == sc.SCHEMA_VERSION


def test_old_database_is_upgraded(db_url, monkeypatch):
    open_store(db_url).close()
    nxt = sc.SCHEMA_VERSION + 1

    def add_table(conn):
        Table("probe_next", sc.MetaData(), Column("x", Integer)).create(conn)

    monkeypatch.setitem(sc.MIGRATIONS, nxt, add_table)
    with pytest.raises(StoreError) as err:
        open_store(db_url, upgrade=False)
    assert err.value.code == "E503"
    s = open_store(db_url)
    assert s.stats()["schema"] == nxt
    with s.connect() as conn:
        assert inspect(conn).has_table("probe_next")
    s.close()


def test_version_1_database_gets_document_idents(db_url):
    from sambandh.store import ingest_records
    from sambandh.store.write import ident_key

    from .conftest import record

    s = open_store(db_url)
    ingest_records(s, [record("old", [], text="An article stored by version 1.", url="https://x.example/1")])
    with s.begin() as conn:  # take the database back to version 1
        conn.execute(text("DROP INDEX ix_documents_ident"))
        conn.execute(text("ALTER TABLE documents DROP COLUMN ident"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    s.close()
    s = open_store(db_url)
    with s.connect() as conn:
        (ident,) = conn.execute(text("SELECT ident FROM documents")).one()
    assert ident == ident_key("old", "https://x.example/1", None, None)
    assert s.stats()["schema"] == sc.SCHEMA_VERSION
    s.close()


def test_newer_database_is_refused(db_url):
    s = open_store(db_url)
    with s.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    s.close()
    with pytest.raises(StoreError, match="upgrade sambandh"):
        open_store(db_url)


def test_urls(tmp_path, monkeypatch):
    monkeypatch.delenv("SAMBANDH_DB", raising=False)
    assert resolve_url(None) == "sqlite:///sambandh.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert resolve_url(str(tmp_path / "x.db")).startswith("sqlite:///")
    monkeypatch.setenv("SAMBANDH_DB", "postgres://u@h/other")
    assert resolve_url(None) == "postgresql+psycopg://u@h/other"


def test_unreachable_or_bad_databases(tmp_path):
    with pytest.raises(StoreError) as err:
        open_store(str(tmp_path / "no" / "such" / "dir.db"))
    assert err.value.code == "E505"
    with pytest.raises(StoreError) as err:
        open_store("postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")
    assert err.value.code == "E506"
    with pytest.raises(StoreError):
        open_store("nosuchdialect://x")

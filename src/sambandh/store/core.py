"""Opening a store: SQLite by default, PostgreSQL through a URL.

`open_store()` resolves the database from its argument, then the SAMBANDH_DB
environment variable, then ./sambandh.db; creates or upgrades the schema; and
returns a `Store` whose query methods return plain dicts and lists (what the
CLI prints and the HTTP API serves).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, OperationalError

from . import query as q
from .schema import StoreError, migrate

DEFAULT_DB = "sambandh.db"


def resolve_url(url: str | None = None) -> str:
    """A database URL from a URL, a file path, SAMBANDH_DB, or the default ./sambandh.db."""
    url = url or os.environ.get("SAMBANDH_DB") or DEFAULT_DB
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" in url:
        return url
    return "sqlite:///" + str(Path(url).expanduser())


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # a killed ingest leaves the last committed batch intact
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Store:
    """A connection to one event store. Query methods return plain dicts and lists."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries (see query.py for the filters) --------------------------------------------------------
    def query_events(self, filters: dict[str, Any] | None = None, limit: int = 100,
                     cursor: str | None = None) -> dict[str, Any]:
        """{"events": [...], "next": cursor or None}; events in date order, then id."""
        with self.connect() as conn:
            return q.query_events(conn, filters or {}, limit, cursor)

    def iter_events(self, filters: dict[str, Any] | None = None, chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """Every event that matches, streamed page by page (for exports)."""
        cursor = None
        while True:
            page = self.query_events(filters, chunk, cursor)
            yield from page["events"]
            cursor = page["next"]
            if not cursor:
                return

    def count_events(self, filters: dict[str, Any] | None = None) -> int:
        with self.connect() as conn:
            return q.count_events(conn, filters or {})

    def dyad_series(self, a: str, b: str, by: str = "month", directed: bool = False,
                    filters: dict[str, Any] | None = None) -> dict[str, Any]:
        with self.connect() as conn:
            return q.dyad_series(conn, a, b, by, directed, filters or {})

    def actors(self, limit: int = 1000) -> list[dict[str, Any]]:
        with self.connect() as conn:
            return q.actors(conn, limit)

    def actor(self, code: str) -> dict[str, Any] | None:
        with self.connect() as conn:
            return q.actor(conn, code)

    def agreements(self, party: str | None = None, status: str | None = None,
                   limit: int = 1000) -> list[dict[str, Any]]:
        with self.connect() as conn:
            return q.agreements(conn, party, status, limit)

    def agreement(self, agreement_id: int) -> dict[str, Any] | None:
        with self.connect() as conn:
            return q.agreement(conn, agreement_id)

    def stories(self, filters: dict[str, Any] | None = None, limit: int = 100,
                cursor: str | None = None) -> dict[str, Any]:
        with self.connect() as conn:
            return q.stories(conn, filters or {}, limit, cursor)

    def story(self, story_id: int) -> dict[str, Any] | None:
        with self.connect() as conn:
            return q.story(conn, story_id)

    def document(self, doc_id: str, text: bool = True) -> dict[str, Any] | None:
        with self.connect() as conn:
            return q.document(conn, doc_id, text)

    def documents(self, limit: int = 100, cursor: str | None = None, source: str | None = None,
                  since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """{"documents": [...without text...], "next": cursor or None}, by date."""
        with self.connect() as conn:
            return q.documents_list(conn, limit, cursor, source, since, until)

    def commitments(self, party: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Commitments whose parties include all of `party` ("IND" or "IND,RUS"), latest first."""
        with self.connect() as conn:
            return q.commitments_of(conn, party, limit)

    def rejects(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.connect() as conn:
            return q.rejects(conn, limit)

    def stats(self) -> dict[str, Any]:
        with self.connect() as conn:
            out = q.stats(conn)
        out["database"] = self.url
        return out


def open_store(url: str | None = None, *, upgrade: bool = True, echo: bool = False) -> Store:
    """Open (creating or upgrading) the store at `url`, SAMBANDH_DB, or ./sambandh.db."""
    full = resolve_url(url)
    try:
        engine = create_engine(full, echo=echo, future=True, pool_pre_ping=not full.startswith("sqlite"))
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"cannot use database {url!r}: {exc}; give a file path or a postgresql:// URL "
                         "(PostgreSQL needs: pip install 'sambandh[postgres]')", code="E504") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        path = full.split("sqlite:///", 1)[-1]
        if path and path != ":memory:" and not Path(path).parent.exists():
            raise StoreError(f"cannot create database {path}: folder {Path(path).parent} does not exist",
                             code="E505")
    try:
        with engine.begin() as conn:
            migrate(conn, upgrade=upgrade)
    except OperationalError as exc:
        engine.dispose()
        msg = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open database {engine.url.render_as_string(hide_password=True)}: {msg}",
                         code="E506") from None
    return Store(engine)

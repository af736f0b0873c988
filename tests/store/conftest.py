"""Store tests run twice: against SQLite and against PostgreSQL.

PostgreSQL comes from SAMBANDH_TEST_PG_URL (.ci/postgres.sh sets it); each
test gets its own schema there. Without the variable the PostgreSQL runs are
skipped, except under CI=true, where they fail: CI must test both.
"""

from __future__ import annotations

import os
import uuid
from typing import Any
from urllib.parse import quote

import pytest

PG_URL = os.environ.get("SAMBANDH_TEST_PG_URL")


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options={quote('-csearch_path=' + schema)}"


class PgSchemas:
    """Creates throwaway schemas and drops them at the end of a test."""

    def __init__(self) -> None:
        import psycopg

        self.conn = psycopg.connect(PG_URL, autocommit=True)
        self.made: list[str] = []

    def new(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        self.conn.execute(f"CREATE SCHEMA {name}")
        self.made.append(name)
        return _pg_schema_url(name)

    def close(self) -> None:
        for name in self.made:
            self.conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
        self.conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """A fresh, empty database URL; call `db_url.another()` style via the `new_db` fixture for more."""
    yield from _urls(request, tmp_path, 1)


@pytest.fixture(params=["sqlite", "postgres"])
def two_dbs(request, tmp_path):
    yield from _urls(request, tmp_path, 2)


def _urls(request, tmp_path, n: int):
    if request.param == "sqlite":
        urls = [str(tmp_path / f"db{i}.sqlite") for i in range(n)]
        yield urls[0] if n == 1 else urls
        return
    if not PG_URL:
        if os.environ.get("CI") == "true":
            pytest.fail("SAMBANDH_TEST_PG_URL is not set under CI: .ci/run must start PostgreSQL")
        pytest.skip("PostgreSQL not available (set SAMBANDH_TEST_PG_URL, see .ci/postgres.sh)")
    pg = PgSchemas()
    try:
        urls = [pg.new() for _ in range(n)]
        yield urls[0] if n == 1 else urls
    finally:
        pg.close()


@pytest.fixture
def store(db_url):
    from sambandh.store import open_store

    s = open_store(db_url)
    yield s
    s.close()


def actor(code: str | None, sector: str = "GOV", **kw: Any) -> dict[str, Any]:
    return {"code": code, "country": code if code and len(code) == 3 else None, "sector": sector, "text": code or "",
            "span": [0, 3], **kw}


def event(event_type: str, a: str | None, b: str | None, date: str | None = None, **kw: Any) -> dict[str, Any]:
    """An event in the output contract's layout; keyword arguments override fields."""
    ev = {"id": kw.pop("id", f"{event_type}-{a}-{b}-{date}"), "actor": actor(a), "recipient": actor(b),
          "event": event_type, "mode": None, "reciprocal": False, "modality": "asserted",
          "context": ["diplomatic"], "topics": [], "quad_code": 1, "cameo": "040", "goldstein": 1.0,
          "event_loc": None, "date": date, "sentence": 0, "span": [0, 40], "evidence": f"{a} and {b} met.",
          "rule": "test/rule", "confidence": 0.9}
    ev.update(kw)
    return ev


def record(doc_id: str, events: list[dict[str, Any]] = (), *, published: str | None = None,
           agreements: list[dict[str, Any]] = (), commitments: list[dict[str, Any]] = (),
           text: str | None = None, url: str | None = None, extractor: str = "test-1") -> dict[str, Any]:
    """An extract record as `sambandh extract` writes it (optionally with its text)."""
    rec: dict[str, Any] = {"id": doc_id, "contract": "1.0", "lang": "en", "published": published, "date": published,
                           "countries": [], "topics": [], "entities": [
                               {"text": "India", "type": "COUNTRY", "span": [0, 5], "country": "IND"}],
                           "events": list(events), "agreements": list(agreements),
                           "commitments": list(commitments), "extractor": extractor}
    if text is not None:
        rec["text"] = text
    if url:
        rec["url"] = url
    return rec


def agreement(parties: list[str], status: str, title: str = "trade agreement", sectors=("trade",),
              evidence: str = "x") -> dict[str, Any]:
    return {"title": title, "parties": parties, "sectors": list(sectors), "status": status, "evidence": evidence,
            "span": [0, 10], "history": [{"status": status, "evidence": evidence, "span": [0, 10], "sentence": 0}]}
